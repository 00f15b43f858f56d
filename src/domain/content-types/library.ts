import type { ChannelTree } from '../channel.js';

/** The columns whose items the site's 政策文件库 lists: every list column of 政策文件. */
export function libraryChannelIds(tree: ChannelTree): number[] {
  return tree
    .all()
    .filter((c) => c.type === 'list' && c.contentType === 'policy')
    .map((c) => c.id);
}
