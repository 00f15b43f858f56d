import type { Kysely } from 'kysely';
import { ChannelTree, slugFromName, type Channel } from '../domain/index.js';
import { channels as channelRepo, type Database } from '../store/index.js';

/**
 * The channel at the end of a chain of names (政务公开 > 部门动态), creating the missing links as
 * list channels with pinyin-initial slugs. Runs inside the caller's transaction.
 */
export async function ensureChannelChain(
  db: Kysely<Database>,
  siteId: number,
  names: readonly string[],
  now: Date,
): Promise<{ channel: Channel; tree: ChannelTree }> {
  const all = await channelRepo.listChannels(db, siteId);
  let tree = new ChannelTree(all);
  let parentId: number | null = null;
  let channel: Channel | undefined;
  for (const name of names) {
    channel = tree.findChild(parentId, name);
    if (!channel) {
      const siblings = tree.children(parentId);
      channel = await channelRepo.insertChannel(
        db,
        {
          siteId,
          parentId,
          name,
          slug: tree.freeSlug(parentId, slugFromName(name)),
          type: 'list',
          sortOrder: (siblings[siblings.length - 1]?.sortOrder ?? 0) + 10,
          description: '',
          keywords: '',
          linkUrl: null,
          bodyHtml: null,
        },
        now,
      );
      all.push(channel);
      tree = new ChannelTree(all);
    }
    parentId = channel.id;
  }
  if (!channel) throw new TypeError('ensureChannelChain needs at least one channel name');
  return { channel, tree };
}
