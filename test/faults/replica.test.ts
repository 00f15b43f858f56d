import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { sql } from 'kysely';
import { openStore, articles } from '../../src/store/index.js';
import { reindexSearch } from '../../src/services/index.js';
import { demoApp } from '../helpers/app.js';
import { demoSite } from '../helpers/factories.js';
import { eventually, freePort } from '../helpers/http.js';
import { contextFor, TEST_BACKEND } from '../helpers/store.js';

/**
 * A real streaming replica: a primary and a hot standby made by the test (initdb, pg_basebackup)
 * on ports of their own, as the machine's postgres user. The standby's replay is paused to make
 * it fall behind, and the standby is stopped to make it go away.
 */
const BIN = `/usr/lib/postgresql/${fs.readdirSync('/etc/postgresql')[0] ?? '15'}/bin`;

function asPostgres(command: string, args: readonly string[]): string {
  return execFileSync('runuser', ['-u', 'postgres', '--', path.join(BIN, command), ...args], { encoding: 'utf8' });
}

function configure(dir: string, port: number, socketDir: string): void {
  fs.appendFileSync(
    path.join(dir, 'postgresql.conf'),
    `\nport = ${port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${socketDir}'\nfsync = off\nhot_standby_feedback = on\n`,
  );
}

// Streaming replication is a PostgreSQL feature: this suite runs in the PostgreSQL pass.
if (TEST_BACKEND !== 'sqlite') {
  describe('a read replica that falls behind or goes away', () => {
    test('readers fall back to the primary and the log says so; when it is back and caught up, they read it again', async (t) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-replication-'));
      execFileSync('chown', ['postgres:postgres', dir]);
      const primaryDir = path.join(dir, 'primary');
      const standbyDir = path.join(dir, 'standby');
      const [primaryPort, standbyPort] = [await freePort(), await freePort()];
      const started: string[] = [];
      t.after(() => {
        for (const data of started.reverse())
          try {
            asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
          } catch {
            // already stopped
          }
        fs.rmSync(dir, { recursive: true, force: true });
      });
      asPostgres('initdb', ['-D', primaryDir, '-A', 'trust', '-U', 'postgres', '--no-sync']);
      configure(primaryDir, primaryPort, dir);
      asPostgres('pg_ctl', ['-D', primaryDir, '-l', path.join(dir, 'primary.log'), '-w', 'start']);
      started.push(primaryDir);
      asPostgres('pg_basebackup', [
        '-h',
        '127.0.0.1',
        '-p',
        String(primaryPort),
        '-U',
        'postgres',
        '-D',
        standbyDir,
        '-R',
        '-X',
        'stream',
      ]);
      configure(standbyDir, standbyPort, dir);
      asPostgres('pg_ctl', ['-D', standbyDir, '-l', path.join(dir, 'standby.log'), '-w', 'start']);
      started.push(standbyDir);

      const primary = await openStore({
        databaseUrl: `postgres://postgres@127.0.0.1:${primaryPort}/postgres`,
        sqliteFile: '',
      });
      const replica = await openStore({
        databaseUrl: `postgres://postgres@127.0.0.1:${standbyPort}/postgres`,
        sqliteFile: '',
        readOnly: true,
      });
      t.after(() => replica.close());
      const log = new PassThrough();
      let logged = '';
      log.on('data', (chunk: Buffer) => (logged += chunk.toString()));
      const app = await demoApp(Object.assign(primary, { dispose: () => primary.close() }), {
        readStore: replica,
        pages: false,
        app: { logLevel: 'info', logStream: log, replica: { checkMs: 100, maxLagMs: 500 } },
      });
      t.after(async () => {
        await app.close();
        await primary.close();
      });
      const ctx = contextFor(primary);
      const site = await demoSite(ctx);
      const channel = await primary.db
        .selectFrom('channel')
        .select('id')
        .where('slug', '=', 'bqdt')
        .executeTakeFirstOrThrow();
      let n = 0;
      /** Publishes an article straight into the primary's store and search index; its title. */
      const add = async () => {
        const title = `副本测试第${++n}篇`;
        await articles.insertArticle(
          primary.db,
          {
            siteId: site.id,
            channelId: channel.id,
            title,
            subtitle: '',
            source: null,
            author: '',
            responsibleEditor: '',
            publishedAt: new Date(Date.UTC(2025, 10, n)).toISOString(),
            bodyHtml: `<p>${title}的正文。</p>`,
            summary: '',
            keywords: '',
            coverImage: null,
            attachments: [],
            status: 'published',
            importKey: null,
            createdBy: null,
          },
          new Date('2025-11-30T02:00:00Z'),
        );
        await reindexSearch(ctx, site.id);
        return title;
      };
      const found = async (title: string) => {
        const response = await app.inject(`/api/v1/search?q=${encodeURIComponent(title)}`);
        assert.equal(response.statusCode, 200, response.body);
        return response.json<{ total: number }>().total > 0;
      };
      const readsReplica = () => app.gazette.replica?.status === 'in-use';

      // In step: the replica serves the readers, and has what the primary wrote.
      const first = await add();
      await eventually('the replica replays the first article', () => found(first));
      assert.ok(readsReplica());

      // Falls behind: its replay paused, the primary writes on; past the allowed lag, readers use the primary.
      await sql`select pg_wal_replay_pause()`.execute(replica.db);
      const second = await add();
      await eventually('readers leave the lagging replica', () => Promise.resolve(!readsReplica()), 10_000);
      assert.equal(app.gazette.replica?.status, 'behind');
      assert.ok(await found(second), 'the primary answers what the replica lacks');
      assert.match(logged, /read replica more than 0.5 s behind the primary: readers use the primary/);

      // Caught up again: back on the replica, and the log says so.
      await sql`select pg_wal_replay_resume()`.execute(replica.db);
      await eventually('readers return to the replica', () => Promise.resolve(readsReplica()), 10_000);
      assert.match(logged, /read replica caught up and reachable: readers use it again/);

      // Goes away: stopped, readers use the primary within a check or two, and every search answers.
      asPostgres('pg_ctl', ['-D', standbyDir, '-m', 'fast', '-w', 'stop']);
      await eventually('readers leave the stopped replica', () => Promise.resolve(!readsReplica()), 10_000);
      assert.equal(app.gazette.replica?.status, 'unreachable');
      const third = await add();
      assert.ok(await found(third));
      assert.match(logged, /read replica unreachable: readers use the primary/);
    });
  });
}
