import type { ParseArgsConfig } from 'node:util';
import { GazetteError } from '../domain/index.js';
import { addFront, listFronts, removeFront, type FrontStatus } from '../services/fronts/index.js';
import { platformConsole, siteByHost } from '../services/platform/index.js';
import { parseCommandArgs, usageError } from './args.js';
import { openRuntime, type Runtime } from './runtime.js';

const USAGE = [
  'gazette front add URL --name NAME --token-file FILE [--sites HOST,HOST…]   (every site without --sites)',
  '       gazette front list [--json]',
  '       gazette front remove NAME',
].join('\n');

const actor = platformConsole('gazette front');

function parse<T extends ParseArgsConfig['options']>(args: readonly string[], options: T) {
  return parseCommandArgs({ args: [...args], allowPositionals: true, options }, USAGE);
}

function one(positionals: readonly string[], what: string): string {
  const [first, ...extra] = positionals;
  if (first === undefined || extra.length > 0) throw usageError(`give one ${what}`, USAGE);
  return first;
}

const served = (front: FrontStatus) => (front.allSites ? 'every site' : front.sites.map((s) => s.domain).join(','));

async function add(runtime: Runtime, args: readonly string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    name: { type: 'string' },
    'token-file': { type: 'string' },
    sites: { type: 'string' },
  });
  const url = one(positionals, 'agent URL');
  const name = values.name;
  const tokenFile = values['token-file'];
  if (typeof name !== 'string' || typeof tokenFile !== 'string')
    throw usageError('--name and --token-file are required', USAGE);
  const hosts = typeof values.sites === 'string' ? values.sites.split(',').filter((host) => host !== '') : [];
  const siteIds: number[] = [];
  for (const host of hosts) siteIds.push((await siteByHost(runtime.store.db, host)).id);
  const front = await addFront(runtime, actor, { name, url, tokenFile, siteIds });
  console.log(
    `added front ${front.name} ${front.url} serving ${served(front)}; gazette serve pushes to it from its next round`,
  );
  return 0;
}

/** One line per front: name, URL, state, the change it has applied, how far behind, last contact and sweep, the last error. */
function line(front: FrontStatus): string {
  const behind =
    front.behind === 0
      ? 'up to date'
      : `behind ${front.behind} change${front.behind === 1 ? '' : 's'}` +
        (front.behindSeconds === null ? '' : ` (${front.behindSeconds} s)`);
  return [
    front.name,
    front.url,
    front.state,
    `acked ${front.ackedSeq ?? '-'}`,
    behind,
    `contact ${front.lastContactAt ?? 'never'}`,
    `sweep ${front.lastSweepAt ?? 'never'}`,
    served(front),
    front.lastError ?? '-',
  ].join('\t');
}

async function list(runtime: Runtime, args: readonly string[]): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean', default: false } });
  if (positionals.length > 0) throw new GazetteError('USAGE', { reason: USAGE });
  const all = await listFronts(runtime, actor);
  if (values.json) console.log(JSON.stringify(all, null, 2));
  else if (all.length === 0) console.log('no front servers: the CMS serves every site itself');
  else for (const front of all) console.log(line(front));
  return 0;
}

async function remove(runtime: Runtime, args: readonly string[]): Promise<number> {
  const name = one(parse(args, {}).positionals, 'front name');
  await removeFront(runtime, actor, name);
  console.log(`removed front ${name}: nothing is pushed to it any more; its tamper events are kept`);
  return 0;
}

/** `gazette front add|list|remove`: the front servers the CMS pushes published pages to (分发). */
export async function frontAdminCommand(sub: 'add' | 'list' | 'remove', args: readonly string[]): Promise<number> {
  const runtime = await openRuntime();
  try {
    if (sub === 'add') return await add(runtime, args);
    if (sub === 'list') return await list(runtime, args);
    return await remove(runtime, args);
  } finally {
    await runtime.store.close();
  }
}
