import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { probeExternal } from '../../../src/compliance/index.js';
import { purgeHook } from '../../../src/web/purge.js';
import { ROOT } from '../../helpers/factories.js';

// ASVS 9.2.1: outbound TLS connections validate the server's certificate. Node's defaults do;
// these tests keep it so, against a server whose certificate nobody vouches for.

/** A self-signed certificate for 127.0.0.1 and localhost, made now (valid for a day). */
function selfSigned(dir: string): { key: Buffer; cert: Buffer } {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '1'].concat([
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      key,
      '-out',
      cert,
    ]),
    { stdio: 'ignore' },
  );
  return { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
}

/** A GET that trusts the certificate: the server itself answers, so a refusal is the certificate's doing. */
function trustedGet(url: string, ca: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca, agent: false }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      })
      .on('error', reject);
  });
}

describe('outbound TLS: certificates are validated', () => {
  let dir: string;
  let cert: Buffer;
  let server: https.Server;
  let origin: string;
  const hits: string[] = [];

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-tls-'));
    const pair = selfSigned(dir);
    cert = pair.cert;
    server = https.createServer(pair, (request, response) => {
      hits.push(`${request.method} ${request.url}`);
      response.writeHead(200).end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a link probe to an HTTPS server with a self-signed certificate fails, and its reason names the certificate problem', async () => {
    hits.length = 0;
    // Loopback is allowed here so that only the certificate stands in the way.
    const verdict = await probeExternal(`${origin}/page.html`, { timeoutMs: 5_000, allowPrivate: ['127.0.0.1'] });
    assert.deepEqual(verdict, { ok: false, status: null, reason: 'unreachable: self-signed certificate' });
    assert.deepEqual(hits, []);
    assert.equal(await trustedGet(`${origin}/page.html`, cert), 200);
    assert.deepEqual(hits, ['GET /page.html']);
  });

  test('the CDN purge hook to an HTTPS server with a self-signed certificate fails with a logged warning', async (t) => {
    hits.length = 0;
    const lines: Record<string, unknown>[] = [];
    const app = Fastify({
      logger: {
        level: 'warn',
        stream: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
      },
    });
    t.after(() => app.close());
    const purge = purgeHook(`${origin}/purge`, () => Promise.resolve('https://www.example.gov.cn'), app.log);
    await purge(['/index.html']);
    assert.deepEqual(
      // Pino's error serialiser puts the cause's message (the certificate problem) after fetch's own.
      lines.map((line) => [line.level, line.msg, line.pages, (line.err as { message?: string }).message]),
      [[40, 'CDN purge failed', 1, 'fetch failed: self-signed certificate']],
    );
    assert.deepEqual(hits, []);
  });

  test('no source file turns certificate validation off (rejectUnauthorized, NODE_TLS_REJECT_UNAUTHORIZED, checkServerIdentity)', () => {
    const files = [path.join(ROOT, 'src'), path.join(ROOT, 'bin')]
      .flatMap((top) => fs.readdirSync(top, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()))
      .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)))
      .filter((file) => /\.(ts|tsx|js|mjs|cjs)$/.test(file) && !file.split(path.sep).includes('node_modules'));
    // The scan sees the code that makes outbound connections.
    for (const file of ['src/web/purge.ts', 'src/compliance/links/external.ts', 'src/store/index.ts', 'bin/gazette.js'])
      assert.ok(files.includes(path.normalize(file)), file);
    const offending = files.filter((file) =>
      /rejectUnauthorized|NODE_TLS_REJECT_UNAUTHORIZED|checkServerIdentity/.test(
        fs.readFileSync(path.join(ROOT, file), 'utf8'),
      ),
    );
    assert.deepEqual(offending, []);
  });
});
