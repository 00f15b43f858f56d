import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { openStore } from '../../src/store/index.js';
import { runCli, startServer } from '../helpers/cli.js';
import { api, eventually, signIn, type Session } from '../helpers/http.js';
import { siteWith } from '../helpers/sites.js';
import { TEST_BACKEND } from '../helpers/store.js';

const PASSWORD = 'Pg-Restart-Test-2025';
const run = promisify(execFile);

/** Restarts the machine's PostgreSQL cluster (as the machine's notes name it). */
async function restartPostgres(): Promise<void> {
  const [version] = fs.readdirSync('/etc/postgresql');
  assert.ok(version, 'a PostgreSQL cluster under /etc/postgresql');
  await run('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart']);
}

interface Tally {
  /** Titles of the saves the server acknowledged (201). */
  readonly acknowledged: string[];
  /** Saves refused as the issue asks: 503, Retry-After, STORE_UNAVAILABLE. */
  refused: number;
  /** Anything else: a 500, a 503 without its retry hint, a dropped connection. */
  readonly unexpected: string[];
}

/** An editor saving new articles on one instance, one after another, until `stop()`. */
function editor(base: string, session: Session, channelId: number, name: string, tally: Tally) {
  let going = true;
  const done = (async () => {
    for (let i = 0; going; i++) {
      const title = `${name}的第${i}篇`;
      try {
        const saved = await api<{ code?: string }>(base, session, 'POST', '/api/v1/articles', {
          channelId,
          title,
          bodyHtml: `<p>${title}。</p>`,
        });
        if (saved.status === 201) tally.acknowledged.push(title);
        else if (
          saved.status === 503 &&
          saved.headers.get('retry-after') === '5' &&
          saved.body.code === 'STORE_UNAVAILABLE'
        )
          tally.refused++;
        else tally.unexpected.push(`${name} save: ${saved.status} ${JSON.stringify(saved.body)}`);
      } catch (error) {
        tally.unexpected.push(`${name} save: ${String(error)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return () => {
    going = false;
    return done;
  };
}

/** Readers asking for pages on an instance until `stop()`; a 5xx other than 503 is unexpected. */
function readers(base: string, paths: readonly string[], unexpected: string[]) {
  let going = true;
  const loops = [0, 1, 2].map(async (k) => {
    for (let i = k; going; i++) {
      const path = paths[i % paths.length] ?? '/';
      try {
        const response = await fetch(`${base}${path}`);
        await response.arrayBuffer();
        if (response.status >= 500 && response.status !== 503) unexpected.push(`GET ${path}: ${response.status}`);
      } catch (error) {
        unexpected.push(`GET ${path}: ${String(error)}`);
      }
    }
  });
  return () => {
    going = false;
    return Promise.all(loops);
  };
}

// Restarting PostgreSQL is a PostgreSQL matter: this suite runs in the PostgreSQL pass.
if (TEST_BACKEND !== 'sqlite') {
  describe('PostgreSQL restarted under load, two instances serving', () => {
    test('instances reconnect, failed saves answer 503 with a retry hint, /healthz reports the outage, no acknowledged save is lost', async (t) => {
      const site = await siteWith(30, 'gazette-pg-restart-');
      t.after(() => site.dispose());
      const env = { ...site.env };
      assert.equal((await runCli(['build'], env)).code, 0);
      const made = await runCli(['user', 'add', 'chief', '--role', 'editor', '--keep-password'], env, `${PASSWORD}\n`);
      assert.equal(made.code, 0, made.stderr);
      const a = await startServer(env);
      t.after(() => void (a.child.exitCode === null && a.child.kill('SIGKILL')));
      const b = await startServer(env);
      t.after(() => void (b.child.exitCode === null && b.child.kill('SIGKILL')));
      const onA = await signIn(a.url, 'chief', PASSWORD);
      const onB = await signIn(b.url, 'chief', PASSWORD);
      const channels = await api<{ items: { id: number; slug: string }[] }>(a.url, onA, 'GET', '/api/v1/channels');
      const channelId = channels.body.items.find((c) => c.slug === 'bqdt')?.id ?? 0;

      const tally: Tally = { acknowledged: [], refused: 0, unexpected: [] };
      const health: number[] = [];
      let watching = true;
      const watch = (async () => {
        while (watching) {
          health.push((await fetch(`${a.url}/healthz`).catch(() => null))?.status ?? 0);
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      })();
      const pages = ['/', '/bqdt/', '/bqdt/index_2.html', '/search?q=构建测试', '/xxgk.html'];
      const stops = [
        editor(a.url, onA, channelId, '甲', tally),
        editor(b.url, onB, channelId, '乙', tally),
        readers(a.url, pages, tally.unexpected),
        readers(b.url, pages, tally.unexpected),
      ];
      await eventually('saves go through before the restart', () => {
        assert.deepEqual(tally.unexpected.slice(0, 3), []);
        return Promise.resolve(tally.acknowledged.length >= 4);
      });
      await restartPostgres();
      const acknowledgedBefore = tally.acknowledged.length;
      await eventually(
        'both instances save again after the restart',
        () =>
          Promise.resolve(
            ['甲', '乙'].every((name) =>
              tally.acknowledged.slice(acknowledgedBefore).some((title) => title.startsWith(name)),
            ),
          ),
        30_000,
      );
      await Promise.all(stops.map((stop) => stop()));
      await eventually('/healthz reports the store back', () => Promise.resolve(health.at(-1) === 200));
      watching = false;
      await watch;

      assert.deepEqual(tally.unexpected, [], 'no 500, no dropped connection, no 503 without its retry hint');
      assert.ok(tally.refused > 0, 'saves made while PostgreSQL was down were refused with 503');
      assert.ok(health.includes(503), `/healthz reported the outage (${[...new Set(health)].join(', ')})`);
      const store = await openStore(site.location);
      t.after(() => store.close());
      const stored = await store.db
        .selectFrom('article')
        .select('title')
        .where('title', 'in', tally.acknowledged)
        .execute();
      assert.deepEqual(
        stored.map((r) => r.title).sort(),
        [...tally.acknowledged].sort(),
        'every acknowledged save is in the store',
      );
    });
  });
}
