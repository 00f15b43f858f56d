import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { sql } from 'kysely';
import { newTestSite, runCli, startServer, useTestSite } from '../helpers/cli.js';
import { openStore } from '../../src/store/index.js';
import { FIXTURE_PAGES, SEED_PAGE, demoSite } from '../helpers/factories.js';
import {
  infoRequestApplicant,
  letterPersonalData,
  loadDataKeyring,
  submitInfoRequest,
  submitLetter,
} from '../../src/services/index.js';
import { contextFor } from '../helpers/store.js';
import { letterInput, solvedPow } from '../helpers/letters.js';
import { citizenRequest } from '../helpers/info-requests.js';
import { actorFor, makeRoleAccounts } from '../helpers/backoffice.js';

/**
 * The other sites of this suite start from a migrated database on PostgreSQL (a copy of the
 * template, not seconds of migrations per site): the suite's own site, whose first command is an
 * import, still has the command migrate an empty one.
 */
const MIGRATED = { migrated: true };

describe('the gazette command', () => {
  const site = useTestSite('gazette-cli-');

  test('import prints one line per article ending in its URL path; again updates the same URL', async () => {
    const files = [SEED_PAGE, path.join(FIXTURE_PAGES, 'nested-special-chars.txt')];
    const first = await runCli(['import', ...files], site().env);
    assert.equal(first.stderr, '');
    assert.equal(first.code, 0);
    const lines = first.stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(
      lines[0] ?? '',
      /^.*01-bqdt-rongrushi-dangjian\.txt: created 百年逐“一”梦 使命“同”担当丨吴江以“融入式党建”新成效向党“表白” \/bqdt\/202105\/t20210520_1\.html$/,
    );
    assert.match(lines[1] ?? '', / \/zwgk\/bmdt\/202510\/t20251009_2\.html$/);
    if (!site().location.databaseUrl) assert.ok(fs.existsSync(site().location.sqliteFile));

    const again = await runCli(['import', SEED_PAGE], { ...site().env, GAZETTE_LANG: 'zh' });
    assert.equal(again.code, 0);
    assert.match(again.stdout, /: 更新 .* \/bqdt\/202105\/t20210520_1\.html\n$/);
  });

  test('bad files: file:line: reason on stderr, exit 1, the good files still imported', async () => {
    const bad = path.join(site().dataDir, 'bad.txt');
    fs.writeFileSync(bad, '首页 > 本区动态 > 正文\n标题\n来源: 本站 发布时间:某天\n\n正文\n');
    const result = await runCli(
      ['import', bad, path.join(FIXTURE_PAGES, 'crlf-nbsp-notice.txt'), path.join(site().dataDir, 'nope.txt')],
      site().env,
    );
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      `${bad}:3: unreadable publish time "某天" (expected YYYY-MM-DD HH:mm)\n${path.join(site().dataDir, 'nope.txt')}: file does not exist or cannot be read\n`,
    );
    assert.match(
      result.stdout,
      /crlf-nbsp-notice\.txt: created 关于暂停办理不动产登记业务的公告 \/tzgg\/202509\/t20250930_\d+\.html\n$/,
    );
  });

  test('search: results as text and JSON, a rebuild with progress, editable word lists', async () => {
    const text = await runCli(['search', '李铭'], site().env);
    assert.equal(text.code, 0);
    assert.match(
      text.stdout,
      /^1 results \(page 1\/1\)\n2021-05-20 {2}百年逐“一”梦 使命“同”担当丨吴江以“融入式党建”新成效向党“表白” {2}\/bqdt\/202105\/t20210520_1\.html\n {4}….*吴江区委书记李铭,/,
    );
    const json = await runCli(['search', '--json', '数据局', '--channel', '3'], site().env);
    assert.equal(json.code, 0);
    const parsed = JSON.parse(json.stdout) as { total: number; hits: { channel: { name: string } }[] };
    assert.equal(parsed.total, 1);
    assert.equal(parsed.hits[0]!.channel.name, '部门动态');

    const reindex = await runCli(['search', 'reindex'], site().env);
    assert.equal(reindex.code, 0);
    assert.equal(reindex.stdout, 'Indexed 4 pages, removed 0 stale entries\n');
    assert.match(reindex.stderr, /^reindex: 0% 0\/4 \d+\/s\n(.|\n)*reindex: 100% 4\/4 \d+\/s\n$/);

    assert.equal((await runCli(['search', 'synonyms', 'add', '数字政府', '智慧城市'], site().env)).code, 0);
    assert.equal(
      (await runCli(['search', 'synonyms', 'list'], site().env)).stdout,
      '数字政府: 智慧城市\n智慧城市: 数字政府\n',
    );
    assert.match((await runCli(['search', '智慧城市'], site().env)).stdout, /^1 results/);
    assert.equal((await runCli(['search', 'stopwords', 'remove', '没有这个词'], site().env)).code, 1);

    const bad = await runCli(['search', '党'.repeat(201)], site().env);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, 'gazette: The search is too long (at most 200 characters)\n');
  });

  test('usage errors exit 2 with the reason', async () => {
    const none = await runCli(['import'], site().env);
    assert.equal(none.code, 2);
    assert.equal(none.stderr, 'gazette: Usage: gazette import FILE…\n');
    const unknown = await runCli(['frobnicate'], site().env);
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr, 'gazette: Usage: unknown command "frobnicate"; see gazette help\n');
    const badEnv = await runCli(['import', SEED_PAGE], { ...site().env, GAZETTE_NOW: 'tomorrow' });
    assert.equal(badEnv.code, 2);
    assert.match(badEnv.stderr, /^gazette: Invalid setting GAZETTE_NOW: "tomorrow"/);
  });

  test('user add takes the password from stdin; audit verify checks the chain and fails when it is broken', async (t) => {
    const users = await newTestSite('gazette-cli-users-', undefined, MIGRATED);
    t.after(() => users.dispose());
    const env = { ...users.env, GAZETTE_LANG: 'en' };
    const weak = await runCli(['user', 'add', 'chief', '--role', 'admin'], env, 'short\n');
    assert.equal(weak.code, 2);
    assert.equal(weak.stderr, 'gazette: The password is too weak: at least 10 characters\n');
    const made = await runCli(
      ['user', 'add', 'chief', '--role', 'admin', '--name', '王主任'],
      env,
      'Head-Office-2025\n',
    );
    assert.equal(made.code, 0, made.stderr);
    assert.equal(made.stdout, 'created chief (admin); the password must be changed at first sign-in\n');
    const noSite = await runCli(
      ['user', 'add', 'zhang', '--role', 'editor', '--channel', '/zwgk/bmdt/'],
      env,
      'Local-Editor-2025\n',
    );
    assert.deepEqual([noSite.code, noSite.stderr], [2, 'gazette: No site has been created yet\n']);
    assert.equal((await runCli(['import', SEED_PAGE], env)).code, 0);
    const scoped = await runCli(
      ['user', 'add', 'zhang', '--role', 'editor', '--channel', '/zwgk/bmdt/', '--keep-password'],
      env,
      'Local-Editor-2025\n',
    );
    assert.equal(scoped.code, 0, scoped.stderr);
    const badRole = await runCli(['user', 'add', 'li', '--role', 'boss'], env, 'Li-Editor-2025x\n');
    assert.equal(badRole.code, 2);
    assert.equal(
      badRole.stderr,
      'gazette: Unknown role boss (one of editor, reviewer, publisher, admin, security, auditor, platform, office, handler)\n',
    );
    const list = await runCli(['user', 'list'], env);
    assert.match(list.stdout, /^chief\t王主任\tadmin\nzhang\tzhang\teditor@\d+\n$/);

    const verified = await runCli(['audit', 'verify', '--json'], env);
    assert.equal(verified.code, 0);
    const report = JSON.parse(verified.stdout) as { ok: boolean; entries: number };
    assert.deepEqual([report.ok, report.entries], [true, 3], 'two accounts and one imported article');

    // Someone with the database file edits an entry behind the trigger's back.
    const store = await openStore(users.location);
    try {
      await sql
        .raw(
          store.dialect === 'sqlite'
            ? 'drop trigger audit_log_no_update'
            : 'drop trigger audit_log_no_change on audit_log',
        )
        .execute(store.db);
      await sql`update audit_log set user_name = 'nobody' where seq = 1`.execute(store.db);
    } finally {
      await store.close();
    }
    const broken = await runCli(['audit', 'verify'], env);
    assert.equal(broken.code, 1);
    assert.equal(
      broken.stdout,
      'audit chain BROKEN at entry 1: its content does not match its hash (0 entries verified before it)\n',
    );
  });

  test('14.2.2: GAZETTE_DEMO=off makes the site and its columns, and no demo articles or demo sites', async (t) => {
    const fresh = await newTestSite('gazette-nodemo-', undefined, MIGRATED);
    t.after(() => fresh.dispose());
    const server = await startServer({ ...fresh.env, GAZETTE_DEMO: 'off' });
    t.after(() => server.child.kill('SIGKILL'));
    assert.match(
      server.output(),
      /^Created the site "示范区人民政府" with its columns and no articles \(GAZETTE_DEMO=off\)$/m,
    );
    const store = await openStore(fresh.location);
    t.after(() => store.close());
    const count = async (table: 'site' | 'article' | 'channel') =>
      Number(
        (
          await store.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    assert.deepEqual([await count('site'), await count('article'), (await count('channel')) > 0], [1, 0, true]);
    const bad = await runCli(['site', 'list'], { ...fresh.env, GAZETTE_DEMO: 'maybe', GAZETTE_LANG: 'en' });
    assert.deepEqual(
      [bad.code, bad.stderr],
      [2, 'gazette: Invalid setting GAZETTE_DEMO: "maybe" is neither on nor off\n'],
    );
  });

  test('2.4.5: without GAZETTE_SECRET_KEY the first command makes secret.key for its owner only; a store set up with another key refuses to run', async (t) => {
    const fresh = await newTestSite('gazette-key-', undefined, MIGRATED);
    t.after(() => fresh.dispose());
    const env = Object.fromEntries(
      Object.entries({ ...fresh.env, GAZETTE_LANG: 'en' }).filter(([name]) => name !== 'GAZETTE_SECRET_KEY'),
    );
    const made = await runCli(['user', 'add', 'chief', '--role', 'admin'], env, 'Head-Office-2025\n');
    assert.equal(made.code, 0, made.stderr);
    const file = path.join(fresh.dataDir, 'secret.key');
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    const key = fs.readFileSync(file, 'utf8');
    assert.match(key, /^[A-Za-z0-9+/]{43}=\n$/);
    assert.equal((await runCli(['user', 'list'], env)).code, 0);
    assert.equal((await runCli(['user', 'list'], { ...env, GAZETTE_SECRET_KEY: key.trim() })).code, 0);
    const other = await runCli(['user', 'list'], {
      ...env,
      GAZETTE_SECRET_KEY: Buffer.alloc(32, 1).toString('base64'),
    });
    assert.deepEqual(
      [other.code, other.stdout, other.stderr],
      [
        2,
        '',
        'gazette: The secret key does not match this store: use the GAZETTE_SECRET_KEY or data/secret.key it was set up with\n',
      ],
    );
    const short = await runCli(['user', 'list'], { ...env, GAZETTE_SECRET_KEY: 'c2hvcnQ=' });
    assert.deepEqual(
      [short.code, short.stderr],
      [
        2,
        'gazette: Invalid setting GAZETTE_SECRET_KEY: not base64 of at least 32 bytes (make one with: openssl rand -base64 32)\n',
      ],
    );
    assert.equal(fs.readFileSync(file, 'utf8'), key, 'a wrong key never replaces the file');
  });

  test('serve: the first start creates the demo site, answers /healthz, and stops cleanly on SIGTERM', async () => {
    const fresh = await newTestSite('gazette-serve-', undefined, MIGRATED);
    const started: ChildProcess[] = [];
    try {
      const server = await startServer({ ...fresh.env, GAZETTE_NOW: '2025-12-01T09:00:00+08:00' });
      started.push(server.child);
      assert.match(server.output(), /Created the demo site "示范区人民政府" with 6 articles/);
      // ASVS 14.2.2: a pinned clock is said out loud.
      assert.match(
        server.output(),
        /^gazette: warning: GAZETTE_NOW pins the clock at 2025-12-01T01:00:00.000Z; scheduled publishing, session expiry and the date bar stand still. Unset it in service.$/m,
      );
      // ASVS 2.5.4: no default or shared account; the first is made by the operator.
      const store = await openStore(fresh.location);
      try {
        assert.deepEqual(await store.db.selectFrom('userAccount').select('username').execute(), []);
      } finally {
        await store.close();
      }
      const health = await fetch(`${server.url}/healthz`);
      assert.equal(health.status, 200);
      const home = await (await fetch(`${server.url}/`)).text();
      assert.ok(home.includes('今天是2025年12月01日 星期一'));
      assert.ok(home.includes('百年逐“一”梦 使命“同”担当'));
      const exited = once(server.child, 'exit');
      server.child.kill('SIGTERM');
      const [code] = (await exited) as [number | null, NodeJS.Signals | null];
      assert.equal(code, 0);

      // A second start finds the site and does not import the demo again.
      const again = await startServer(fresh.env);
      started.push(again.child);
      assert.doesNotMatch(again.output(), /Created the demo site/);
      assert.doesNotMatch(again.output(), /GAZETTE_NOW/);
      const stopped = once(again.child, 'exit');
      again.child.kill('SIGINT');
      assert.deepEqual(await stopped, [0, null]);
    } finally {
      // A server an assertion left running would keep this process alive.
      for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await fresh.dispose();
    }
  });

  test('serve without GAZETTE_DATA_KEY: the demo keeps its own key, for its owner only, and shows its answered letters; GAZETTE_DEMO=off has no forms', async () => {
    const fresh = await newTestSite('gazette-serve-letters-', undefined, MIGRATED);
    const started: ChildProcess[] = [];
    const { GAZETTE_DATA_KEY: _key, ...withoutKey } = fresh.env;
    void _key;
    try {
      const demo = await startServer({ ...withoutKey, GAZETTE_NOW: '2025-12-01T09:00:00+08:00' });
      started.push(demo.child);
      const file = path.join(fresh.dataDir, 'data.key');
      assert.match(
        demo.output(),
        new RegExp(
          `^gazette: warning: the demo seals the personal data of its letters with its own key in ${file.replaceAll('.', '\\.')}; set GAZETTE_DATA_KEY in service \\(gazette key new\\)\\.$`,
          'm',
        ),
      );
      assert.match(demo.output(), /^Created the demo letter desk with 3 answered letters, at \/xinxiang\/$/m);
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
      assert.match(fs.readFileSync(file, 'utf8'), /^[0-9a-f]{64}\n$/);
      const list = await (await fetch(`${demo.url}/xinxiang/`)).text();
      assert.deepEqual(
        [...list.matchAll(/<tr><td><a href="\/xinxiang\/(\d+)\.html">([^<]+)<\/a>/g)].map((m) => `${m[1]} ${m[2]}`),
        [
          '3 建议在区图书馆增设夜间自习区域',
          '2 关于中山南路夜间渣土车噪音扰民的投诉',
          '1 关于老旧小区加装电梯补贴政策的咨询',
        ],
      );
      const letter = await (await fetch(`${demo.url}/xinxiang/1.html`)).text();
      assert.ok(letter.includes('<tr><th scope="row">来信人</th><td>陈**</td>'));
      assert.ok(!letter.includes('13912345678') && letter.includes('139****5678'));
      const stopped = once(demo.child, 'exit');
      demo.child.kill('SIGTERM');
      assert.deepEqual(await stopped, [0, null]);

      const other = await newTestSite('gazette-serve-nodemo-', undefined, MIGRATED);
      try {
        const { GAZETTE_DATA_KEY: _k, ...bare } = other.env;
        void _k;
        const off = await startServer({ ...bare, GAZETTE_DEMO: 'off' });
        started.push(off.child);
        assert.equal(fs.existsSync(path.join(other.dataDir, 'data.key')), false);
        const form = await (await fetch(`${off.url}/xinxiang/xiexin`)).text();
        assert.ok(
          form.includes(
            '<p class="form-error" role="alert">网上信箱暂不可用：服务器未配置个人信息加密密钥（GAZETTE_DATA_KEY）</p>',
          ),
        );
        const ended = once(off.child, 'exit');
        off.child.kill('SIGTERM');
        assert.deepEqual(await ended, [0, null]);
      } finally {
        await other.dispose();
      }
    } finally {
      for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await fresh.dispose();
    }
  });

  test('gazette key: new prints a key; rotate seals every letter and request with the new key, and the old one is no longer needed', async () => {
    const made = await runCli(['key', 'new'], {});
    assert.equal(made.code, 0, made.stderr);
    assert.match(made.stdout, /^[0-9a-f]{64}\n$/);
    const fresh = await newTestSite('gazette-key-', undefined, MIGRATED);
    try {
      // The first command sets the store up (and records the secret key's fingerprint).
      assert.equal((await runCli(['site', 'list'], fresh.env)).code, 0);
      const oldKey = fresh.env.GAZETTE_DATA_KEY ?? '';
      const newKey = made.stdout.trim();
      const store = await openStore(fresh.location);
      try {
        const ctx = { ...contextFor(store), dataKeys: loadDataKeyring({ GAZETTE_DATA_KEY: oldKey }) };
        await demoSite(ctx);
        await submitLetter(ctx, { ...letterInput(), altcha: await solvedPow(ctx) }, '203.0.113.50');
        await submitInfoRequest(ctx, { ...citizenRequest(), altcha: await solvedPow(ctx) }, '203.0.113.51');
      } finally {
        await store.close();
      }
      const refused = await runCli(['key', 'rotate'], fresh.env);
      assert.deepEqual(
        [refused.code, refused.stderr],
        [2, 'gazette: Usage: set the new key as GAZETTE_DATA_KEY and the old one as GAZETTE_DATA_KEY_PREVIOUS first\n'],
      );
      const rotated = await runCli(['key', 'rotate'], {
        ...fresh.env,
        GAZETTE_DATA_KEY: newKey,
        GAZETTE_DATA_KEY_PREVIOUS: oldKey,
      });
      const newId = loadDataKeyring({ GAZETTE_DATA_KEY: newKey })?.current.id ?? '';
      assert.deepEqual(
        [rotated.code, rotated.stdout],
        [0, `sealed the personal data of 2 cases (letters and disclosure requests) with key ${newId}\n`],
      );
      const after = await openStore(fresh.location);
      try {
        const ctx = { ...contextFor(after), dataKeys: loadDataKeyring({ GAZETTE_DATA_KEY: newKey }) };
        const [row] = await after.db.selectFrom('letter').select(['id', 'personalKeyId']).execute();
        assert.equal(row?.personalKeyId, newId);
        const office = actorFor((await makeRoleAccounts(ctx)).office);
        assert.equal((await letterPersonalData(ctx, office, row?.id ?? 0)).name, '张三丰');
        const [request] = await after.db.selectFrom('infoRequest').select(['id', 'personalKeyId']).execute();
        assert.equal(request?.personalKeyId, newId);
        assert.equal((await infoRequestApplicant(ctx, office, request?.id ?? 0)).name, '李四');
      } finally {
        await after.close();
      }
    } finally {
      await fresh.dispose();
    }
  });

  test('regression: a signal as soon as the address is printed stops serve with 0, not 1 (no store read after it)', async () => {
    // serve read the accounts after printing its address; a SIGINT sent on that line closed the
    // store under the read, and the exit code was 1 (CI, stop 28). Three starts, each stopped at once.
    const fresh = await newTestSite('gazette-serve-signal-', undefined, MIGRATED);
    const started: ChildProcess[] = [];
    try {
      const codes: Array<[number | null, NodeJS.Signals | null]> = [];
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGINT'] as const) {
        const server = await startServer({ ...fresh.env, GAZETTE_DEMO: 'off' });
        started.push(server.child);
        const exited = once(server.child, 'exit');
        server.child.kill(signal);
        codes.push((await exited) as [number | null, NodeJS.Signals | null]);
      }
      assert.deepEqual(codes, [
        [0, null],
        [0, null],
        [0, null],
      ]);
    } finally {
      for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await fresh.dispose();
    }
  });
});
