import type { GroupEntry } from './fields.js';

/**
 * 专题: a topic's sections gather items by a tag (one of their keywords) or from chosen columns,
 * of any site of the platform.
 */

/** A 专题 section: the tag it gathers by, and the columns (of any site) it gathers from. */
export function sectionRule(entry: GroupEntry): { tag: string; channelIds: number[] } {
  const tag = typeof entry.tag === 'string' ? entry.tag.trim() : '';
  const channels = typeof entry.channels === 'string' ? entry.channels : '';
  const channelIds = channels
    .split(/[,，、\s]+/)
    .filter((s) => /^\d{1,12}$/.test(s))
    .map(Number);
  return { tag, channelIds };
}

/** The tags an item carries: its keywords, split as editors write them. */
export function tagsOf(keywords: string): string[] {
  return keywords
    .split(/[,，、;；\s]+/)
    .map((t) => t.trim())
    .filter((t) => t !== '');
}
