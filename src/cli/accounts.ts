import { parseArgs } from 'node:util';
import { GazetteError, ROLES, isRole, type RoleGrant } from '../domain/index.js';
import { createUser, currentSite, verifyAuditChain } from '../services/index.js';
import { users } from '../store/index.js';
import { openRuntime, type Runtime } from './runtime.js';

const USER_USAGE =
  'echo PASSWORD | gazette user add NAME --role ROLE [--role ROLE…] [--channel /path/] [--name DISPLAY] [--keep-password]\n' +
  '       gazette user list';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY)
    throw new GazetteError('USAGE', { reason: `the password is read from standard input\n${USER_USAGE}` });
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

async function addUser(runtime: Runtime, args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      role: { type: 'string', multiple: true },
      channel: { type: 'string' },
      name: { type: 'string' },
      'keep-password': { type: 'boolean', default: false },
    },
  });
  const [username, ...extra] = positionals;
  if (!username || extra.length > 0) throw new GazetteError('USAGE', { reason: `give one user name\n${USER_USAGE}` });
  const roles = values.role ?? [];
  if (roles.length === 0)
    throw new GazetteError('USAGE', { reason: `give at least one --role (${ROLES.join(', ')})\n${USER_USAGE}` });
  let channelId: number | null = null;
  if (values.channel) {
    const { tree } = await currentSite(runtime.store.db, runtime.siteId);
    const slugs = values.channel.split('/').filter(Boolean);
    const channel = tree.findByPath(slugs);
    if (!channel) throw new GazetteError('USAGE', { reason: `no channel at ${values.channel}` });
    channelId = channel.id;
  }
  const grants: RoleGrant[] = roles.map((role) => {
    if (!isRole(role)) throw new GazetteError('ROLE_INVALID', { role, roles: ROLES.join(', ') });
    return { role, channelId };
  });
  const password = (await readStdin()).split(/\r?\n/)[0] ?? '';
  const user = await createUser(runtime, 'console', {
    username,
    displayName: values.name ?? username,
    password,
    roles: grants,
    mustChangePassword: !values['keep-password'],
  });
  console.log(
    `created ${user.username} (${grants.map((g) => g.role).join(', ')})${user.mustChangePassword ? '; the password must be changed at first sign-in' : ''}`,
  );
  return 0;
}

async function listUsers(runtime: Runtime): Promise<number> {
  const rows = await users.listUsers(runtime.store.db);
  const grants = await users.grantsOf(
    runtime.store.db,
    rows.map((r) => r.id),
  );
  for (const row of rows) {
    const roles = (grants.get(row.id) ?? [])
      .map((g) => (g.channelId === null ? g.role : `${g.role}@${g.channelId}`))
      .join(',');
    console.log(`${row.username}\t${row.displayName}\t${roles}${row.disabled ? '\tdisabled' : ''}`);
  }
  return 0;
}

/** `gazette user add|list`: the first accounts, from the machine's console. */
export async function userCommand(args: readonly string[]): Promise<number> {
  const [sub, ...rest] = args;
  const runtime = await openRuntime();
  try {
    if (sub === 'add') return await addUser(runtime, rest);
    if (sub === 'list') return await listUsers(runtime);
    throw new GazetteError('USAGE', { reason: USER_USAGE });
  } finally {
    await runtime.store.close();
  }
}

/** `gazette audit verify [--json]`: checks every link of the audit chain; exit 1 when it is broken. */
export async function auditCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  if (positionals[0] !== 'verify' || positionals.length > 1)
    throw new GazetteError('USAGE', { reason: 'gazette audit verify [--json]' });
  const runtime = await openRuntime();
  try {
    const report = await verifyAuditChain(runtime.store.db);
    if (values.json) console.log(JSON.stringify(report));
    else if (report.ok)
      console.log(
        `audit chain intact: ${report.entries} entries; head ${report.head ? `${report.head.seq}:${report.head.hash}` : '(empty)'}`,
      );
    else
      console.log(
        `audit chain BROKEN at entry ${report.firstBadSeq}: ${report.reason} (${report.entries} entries verified before it)`,
      );
    return report.ok ? 0 : 1;
  } finally {
    await runtime.store.close();
  }
}
