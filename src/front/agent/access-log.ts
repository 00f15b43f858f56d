import fs from 'node:fs/promises';
import { routeOf } from '../../domain/index.js';
import { fileOf } from '../../publish/output.js';
import type { FrontLayout } from '../layout.js';
import type { ViewsBatch } from '../protocol.js';
import type { ArticleRef } from './apply.js';
import type { FrontState } from './state.js';

/** How much of the log one read takes (nginx's lines are short: a site, a status, a method, a path). */
const CHUNK = 4 * 1024 * 1024;
const LINE = /^(\d{1,9})\t(\d{3})\t([A-Z]+)\t(\/[^\t]*)$/;

interface Read {
  readonly siteId: number;
  readonly path: string;
  readonly articleId: number;
}

/** An article read: `siteId\tstatus\tmethod\turi`, a GET answered 200 of an article's path. */
export function articleRead(line: string): Read | null {
  const m = LINE.exec(line);
  if (!m || m[2] !== '200' || m[3] !== 'GET') return null;
  const path = m[4] as string;
  const route = routeOf(path);
  const siteId = Number(m[1]);
  return route?.kind === 'article' && siteId >= 1 ? { siteId, path, articleId: route.id } : null;
}

/**
 * Adds the reads to the pending counts (collected by the CMS) and to the shown counts, and
 * records how far the log was read, in one transaction: a read is counted once.
 */
function record(state: FrontState, reads: readonly Read[], offset: number, inode: number): ArticleRef[] {
  const byPath = new Map<string, Read & { count: number }>();
  for (const read of reads) {
    const key = `${read.siteId}\t${read.path}`;
    const seen = byPath.get(key);
    byPath.set(key, { ...read, count: (seen?.count ?? 0) + 1 });
  }
  const pending = state.db.prepare(
    'insert into views (site_id, path, count) values (?, ?, ?) on conflict (site_id, path) do update set count = count + excluded.count',
  );
  const shown = state.db.prepare(
    'insert into views_shown (site_id, article_id, base, local) values (?, ?, 0, ?) on conflict (site_id, article_id) do update set local = local + excluded.local',
  );
  const articles = new Map<string, ArticleRef>();
  state.db.transaction(() => {
    for (const read of byPath.values()) {
      pending.run(read.siteId, read.path, read.count);
      shown.run(read.siteId, read.articleId, read.count);
      articles.set(`${read.siteId}/${read.articleId}`, {
        siteId: read.siteId,
        articleId: read.articleId,
        file: `${read.siteId}/${fileOf(read.path)}`,
      });
    }
    state.setMeta('logOffset', String(offset));
    state.setMeta('logInode', String(inode));
  })();
  return [...articles.values()];
}

/**
 * Counts 浏览次数 from nginx's access log, so the front never connects inward for it: the lines
 * past the offset read last time (a new file, or a shorter one, is a rotated log: read from its
 * start), whole lines only. Returns the articles whose counts changed.
 */
export async function readAccessLog(state: FrontState, layout: FrontLayout): Promise<ArticleRef[]> {
  const handle = await fs.open(layout.accessLog, 'r').catch(() => null);
  if (!handle) return [];
  const changed = new Map<string, ArticleRef>();
  try {
    const stat = await handle.stat();
    let offset = Number(state.meta('logOffset') ?? '0');
    if (stat.size < offset || String(stat.ino) !== (state.meta('logInode') ?? String(stat.ino))) offset = 0;
    while (offset < stat.size) {
      const buffer = Buffer.alloc(Math.min(CHUNK, stat.size - offset));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
      const end = buffer.subarray(0, bytesRead).lastIndexOf(0x0a);
      // No whole line yet (nginx is writing one); a line longer than a chunk is no page read.
      if (end < 0 && bytesRead < CHUNK) break;
      const taken = end < 0 ? bytesRead : end + 1;
      const lines = buffer.subarray(0, taken).toString('utf8').split('\n');
      const reads = lines.map(articleRead).filter((read) => read !== null);
      offset += taken;
      for (const article of record(state, reads, offset, stat.ino))
        changed.set(`${article.siteId}/${article.articleId}`, article);
    }
  } finally {
    await handle.close();
  }
  return [...changed.values()];
}

/** Tails the access log every `everyMs`, passing the articles whose counts changed on. */
export function startLogTail(
  state: FrontState,
  layout: FrontLayout,
  viewsChanged: (articles: readonly ArticleRef[]) => Promise<void>,
  everyMs = 1000,
): { close(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let closed = false;
  const tick = async (): Promise<void> => {
    try {
      const articles = await readAccessLog(state, layout);
      if (articles.length > 0) await viewsChanged(articles);
    } catch (error) {
      console.error(`gazette front: the access log could not be read: ${String(error)}`);
    }
    if (!closed) timer = setTimeout(() => void (running = tick()), everyMs);
  };
  running = tick();
  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/**
 * `POST /_front/views`: drops the batches the CMS acknowledged, then answers the oldest one it
 * has not (a CMS that died before acknowledging gets the same batch again, and knows it by its
 * number), or moves the pending counts into a new batch.
 */
export function takeViews(state: FrontState, ack: number | null): ViewsBatch {
  const db = state.db;
  return db.transaction((): ViewsBatch => {
    if (ack !== null) db.prepare('delete from views_batch where id <= ?').run(ack);
    const open = db.prepare('select id, counts from views_batch order by id limit 1').get() as
      { id: number; counts: string } | undefined;
    if (open) return { batch: open.id, counts: JSON.parse(open.counts) as ViewsBatch['counts'] };
    const counts = db
      .prepare('select site_id as siteId, path, count from views order by site_id, path')
      .all() as ViewsBatch['counts'][number][];
    if (counts.length === 0) return { batch: null, counts: [] };
    db.prepare('delete from views').run();
    const made = db.prepare('insert into views_batch (counts) values (?)').run(JSON.stringify(counts));
    return { batch: Number(made.lastInsertRowid), counts };
  })();
}
