import { parseArgs } from 'node:util';
import { GazetteError, type PlatformSite } from '../domain/index.js';
import {
  addSite,
  archiveSite,
  changeSite,
  listPlatformSites,
  platformConsole,
  removeSite,
  setDefaultSite,
  type SitePatch,
} from '../services/platform/index.js';
import { openRuntime, type Runtime } from './runtime.js';

const USAGE = [
  'gazette site add HOST --name NAME [--code 网站标识码] [--parent HOST] [--organization 主办单位]',
  '       gazette site list [--json]',
  '       gazette site set HOST [--name NAME] [--code CODE] [--organization ORG] [--add-host H]… [--remove-host H]… [--primary H]',
  '                             [--parent HOST | --no-parent] [--archive | --activate]',
  '       gazette site default HOST | --none',
  '       gazette site remove HOST   (a site with content must be archived first)',
].join('\n');

const actor = platformConsole('gazette site');

function one(positionals: readonly string[], what: string): string {
  const [first, ...extra] = positionals;
  if (first === undefined || extra.length > 0)
    throw new GazetteError('USAGE', { reason: `give one ${what}\n${USAGE}` });
  return first;
}

/** One line per site: id, primary host, status, name, parent and the other hosts. */
function line(site: PlatformSite, all: readonly PlatformSite[], defaultSiteId: number | null): string {
  const parent = all.find((s) => s.id === site.parentId);
  const others = site.hosts.filter((h) => h !== site.domain);
  return [
    String(site.id),
    site.domain,
    site.status + (site.id === defaultSiteId ? ',default' : ''),
    site.name,
    parent ? `under ${parent.domain}` : '-',
    others.length > 0 ? `also ${others.join(' ')}` : '-',
  ].join('\t');
}

async function add(runtime: Runtime, args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      code: { type: 'string' },
      parent: { type: 'string' },
      organization: { type: 'string' },
    },
  });
  const host = one(positionals, 'host name');
  if (values.name === undefined) throw new GazetteError('USAGE', { reason: `--name is required\n${USAGE}` });
  const site = await addSite(runtime, actor, {
    host,
    name: values.name,
    ...(values.code !== undefined && { siteCode: values.code }),
    ...(values.parent !== undefined && { parentHost: values.parent }),
    ...(values.organization !== undefined && { hostOrganization: values.organization }),
    timeZone: runtime.config.timeZone,
  });
  console.log(`added site ${site.id} ${site.domain} ${site.name}`);
  return 0;
}

async function list(runtime: Runtime, args: readonly string[]): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: { json: { type: 'boolean', default: false } } });
  const { sites, defaultSiteId } = await listPlatformSites(runtime, actor);
  if (values.json) console.log(JSON.stringify({ sites, defaultSiteId }, null, 2));
  else for (const site of sites) console.log(line(site, sites, defaultSiteId));
  return 0;
}

async function set(runtime: Runtime, args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      code: { type: 'string' },
      organization: { type: 'string' },
      'add-host': { type: 'string', multiple: true },
      'remove-host': { type: 'string', multiple: true },
      primary: { type: 'string' },
      parent: { type: 'string' },
      'no-parent': { type: 'boolean', default: false },
      archive: { type: 'boolean', default: false },
      activate: { type: 'boolean', default: false },
    },
  });
  const host = one(positionals, 'host name');
  if (values.archive && values.activate)
    throw new GazetteError('USAGE', { reason: `--archive or --activate, not both\n${USAGE}` });
  if (values.parent !== undefined && values['no-parent'])
    throw new GazetteError('USAGE', { reason: `--parent or --no-parent, not both\n${USAGE}` });
  const patch: SitePatch = {
    ...(values.name !== undefined && { name: values.name }),
    ...(values.code !== undefined && { siteCode: values.code }),
    ...(values.organization !== undefined && { hostOrganization: values.organization }),
    ...(values['add-host'] && { addHosts: values['add-host'] }),
    ...(values['remove-host'] && { removeHosts: values['remove-host'] }),
    ...(values.primary !== undefined && { primaryHost: values.primary }),
    ...(values.parent !== undefined && { parentHost: values.parent }),
    ...(values['no-parent'] && { parentHost: null }),
    ...(values.archive && { status: 'archived' as const }),
    ...(values.activate && { status: 'active' as const }),
  };
  if (Object.keys(patch).length === 0) throw new GazetteError('USAGE', { reason: `nothing to change\n${USAGE}` });
  const site = await changeSite(runtime, actor, host, patch);
  console.log(`changed site ${site.id} ${site.domain} (${site.status}): ${site.hosts.join(' ')}`);
  return 0;
}

async function setDefault(runtime: Runtime, args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { none: { type: 'boolean', default: false } },
  });
  if (values.none && positionals.length > 0)
    throw new GazetteError('USAGE', { reason: `a host or --none, not both\n${USAGE}` });
  const host = values.none ? null : one(positionals, 'host name');
  await setDefaultSite(runtime, actor, host);
  console.log(host === null ? 'unknown hosts get a 404 page' : `unknown hosts get site ${host}`);
  return 0;
}

/** `gazette site add|list|set|default|archive|remove`: the sites of the platform. */
export async function siteCommand(args: readonly string[]): Promise<number> {
  const [sub, ...rest] = args;
  const known = ['add', 'list', 'set', 'default', 'archive', 'remove'];
  if (sub === undefined || !known.includes(sub)) throw new GazetteError('USAGE', { reason: USAGE });
  const runtime = await openRuntime();
  try {
    if (sub === 'add') return await add(runtime, rest);
    if (sub === 'list') return await list(runtime, rest);
    if (sub === 'set') return await set(runtime, rest);
    if (sub === 'default') return await setDefault(runtime, rest);
    const host = one(parseArgs({ args: rest, allowPositionals: true }).positionals, 'host name');
    if (sub === 'archive') {
      const site = await archiveSite(runtime, actor, host);
      console.log(`archived site ${site.id} ${site.domain}: kept, no longer served`);
    } else {
      await removeSite(runtime, actor, host);
      console.log(`removed site ${host}`);
    }
    return 0;
  } finally {
    await runtime.store.close();
  }
}
