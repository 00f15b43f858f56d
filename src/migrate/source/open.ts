// SOURCE on the command line: a live site (http:// or https://) or a folder holding a wget mirror.
// A source that cannot be used is the operator's to fix, so it is refused before anything starts.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { GazetteError, type ErrorParam } from '../../domain/errors.js';
import { DirectorySource, mirrorRoot } from './directory.js';
import { HttpSource } from './http.js';
import { readRobots } from './robots.js';
import { SourceError, type Source, type SourceOptions } from './types.js';

export async function openSource(spec: string, options: SourceOptions): Promise<Source> {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(spec)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https') return openHttp(spec, options);
  if (scheme !== undefined) {
    throw invalid(spec, {
      zh: '只能迁移 http:// 或 https:// 网站',
      en: 'only http:// and https:// sites can be migrated',
    });
  }
  const dir = path.resolve(spec);
  const found = await stat(dir).catch(() => null);
  if (found === null) {
    throw invalid(spec, {
      zh: '既不是 http(s) 网址，也不是已有的目录（网站地址请以 http:// 开头）',
      en: 'neither an http(s) URL nor an existing directory (write a site as http://…)',
    });
  }
  if (!found.isDirectory()) throw invalid(spec, { zh: '是文件而不是目录', en: 'a file, not a directory' });
  const { root, origin } = await mirrorRoot(dir, options.origin);
  return new DirectorySource(origin, root, options.maxPageBytes);
}

function invalid(source: string, reason: ErrorParam): GazetteError {
  return new GazetteError('MIGRATE_SOURCE_INVALID', { source, reason });
}

async function openHttp(spec: string, options: SourceOptions): Promise<Source> {
  if (!URL.canParse(spec)) throw invalid(spec, { zh: '不是有效的网址', en: 'not a valid URL' });
  const source = new HttpSource(new URL(spec).origin, options);
  try {
    source.obey(await readRobots(source, options.userAgent));
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    throw new GazetteError(
      'MIGRATE_SOURCE_UNREACHABLE',
      { url: source.origin, reason: inChinese(error.reason) },
      undefined,
      error,
    );
  }
  return source;
}

const CHINESE: Readonly<Record<string, string>> = {
  'connection refused': '连接被拒绝',
  'host not found': '域名无法解析',
  'host name lookup failed': '域名解析失败',
  'host unreachable': '主机不可达',
  'network unreachable': '网络不可达',
  'connect timeout': '连接超时',
};

function inChinese(reason: string): ErrorParam {
  const tls = /^TLS: (.+)$/.exec(reason)?.[1];
  const zh = tls === undefined ? (CHINESE[reason] ?? reason) : `TLS 证书或握手被拒绝（${tls}）`;
  return { zh, en: reason };
}
