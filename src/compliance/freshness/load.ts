import type { Kysely } from 'kysely';
import type { Database } from '../../store/index.js';
import type { ChannelStat } from './evaluate.js';

/** Each channel's published article count and newest 发布时间, in one grouped query. */
export async function channelStats(db: Kysely<Database>, siteId: number): Promise<Map<number, ChannelStat>> {
  const rows = await db
    .selectFrom('article')
    .select((eb) => [
      'channelId',
      eb.fn.countAll<number | string>().as('published'),
      eb.fn.max('publishedAt').as('newest'),
    ])
    .where('siteId', '=', siteId)
    .where('status', '=', 'published')
    .groupBy('channelId')
    .execute();
  return new Map(
    rows.map((r) => [
      r.channelId,
      { published: Number(r.published), newest: r.newest ? new Date(r.newest).toISOString() : null },
    ]),
  );
}

/** The newest 发布时间 of the site's published articles. */
export function newestOf(stats: ReadonlyMap<number, ChannelStat>): string | null {
  let newest: string | null = null;
  for (const stat of stats.values()) {
    if (stat.newest !== null && (newest === null || new Date(stat.newest) > new Date(newest))) newest = stat.newest;
  }
  return newest;
}
