import { lazyModule } from '../lazy.js';
import type { ContentTypeKey } from './content-types/fields.js';

const pinyinPro = lazyModule<typeof import('pinyin-pro')>('pinyin-pro');

/** 栏目 kinds: a list of articles, a single page of its own, or a link elsewhere. */
export type ChannelType = 'list' | 'page' | 'link';
export const CHANNEL_TYPES: readonly ChannelType[] = ['list', 'page', 'link'];

/**
 * How often a column must be updated (国办秘函〔2019〕19号): dynamic (动态/要闻, 2 weeks), notice
 * (通知公告) and policy (政策文件, 6 months), or none (no duty; e.g. 人事信息, 机构概况).
 */
export type UpdateRule = 'dynamic' | 'notice' | 'policy' | 'none';
export const UPDATE_RULES: readonly UpdateRule[] = ['dynamic', 'notice', 'policy', 'none'];

export interface Channel {
  readonly id: number;
  readonly siteId: number;
  readonly parentId: number | null;
  readonly name: string;
  /** One URL segment, unique among siblings: `bqdt` in `/bqdt/`. */
  readonly slug: string;
  readonly type: ChannelType;
  readonly sortOrder: number;
  readonly description: string;
  readonly keywords: string;
  /** Target of a `link` channel. */
  readonly linkUrl: string | null;
  /** Content of a `page` channel (sanitised HTML). */
  readonly bodyHtml: string | null;
  /** Review levels an article passes before it can be published (0–3). */
  readonly reviewLevels: number;
  /** How often the column must be updated; absent means 'none' (channels built in memory). */
  readonly updateRule?: UpdateRule;
  /** The content type of its items; absent means 'article' (channels built in memory). */
  readonly contentType?: ContentTypeKey;
}

export type NewChannel = Omit<Channel, 'id' | 'reviewLevels' | 'updateRule' | 'contentType'> &
  Partial<Pick<Channel, 'reviewLevels' | 'updateRule' | 'contentType'>>;

const SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;

export function isValidSlug(slug: string): boolean {
  return SLUG.test(slug);
}

/**
 * A slug from a Chinese name, by pinyin initials as Chinese portals do (本区动态 → bqdt);
 * Latin letters and digits are kept. Never empty.
 */
export function slugFromName(name: string): string {
  const initials = pinyinPro()
    .pinyin(name, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' })
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
  return (initials || 'lm').slice(0, 48);
}

/** The channels of one site as a tree, ordered as the navigation shows them. */
export class ChannelTree {
  private readonly byId = new Map<number, Channel>();
  private readonly childrenOf = new Map<number | null, Channel[]>();
  /** The tree never changes once made: paths are worked out once (every list item asks for one). */
  private readonly paths = new Map<number, string>();

  constructor(channels: readonly Channel[]) {
    for (const channel of channels) this.byId.set(channel.id, channel);
    for (const channel of channels) {
      const parent = channel.parentId !== null && this.byId.has(channel.parentId) ? channel.parentId : null;
      const siblings = this.childrenOf.get(parent) ?? [];
      siblings.push(channel);
      this.childrenOf.set(parent, siblings);
    }
    for (const siblings of this.childrenOf.values()) {
      siblings.sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id);
    }
  }

  get(id: number): Channel | undefined {
    return this.byId.get(id);
  }

  children(parentId: number | null): readonly Channel[] {
    return this.childrenOf.get(parentId) ?? [];
  }

  roots(): readonly Channel[] {
    return this.children(null);
  }

  /** From the top-level channel down to this one. */
  ancestry(id: number): Channel[] {
    const chain: Channel[] = [];
    const seen = new Set<number>();
    let current = this.byId.get(id);
    while (current && !seen.has(current.id)) {
      seen.add(current.id);
      chain.unshift(current);
      current = current.parentId === null ? undefined : this.byId.get(current.parentId);
    }
    return chain;
  }

  /** URL path of a channel's front page: `/zwgk/bmdt/`. */
  path(id: number): string {
    let path = this.paths.get(id);
    if (path === undefined) {
      path = `/${this.ancestry(id)
        .map((c) => c.slug)
        .join('/')}/`;
      this.paths.set(id, path);
    }
    return path;
  }

  /** The channel whose path is these slugs, if any. */
  findByPath(slugs: readonly string[]): Channel | undefined {
    let parentId: number | null = null;
    let found: Channel | undefined;
    for (const slug of slugs) {
      found = this.children(parentId).find((c) => c.slug === slug);
      if (!found) return undefined;
      parentId = found.id;
    }
    return found;
  }

  findChild(parentId: number | null, name: string): Channel | undefined {
    return this.children(parentId).find((c) => c.name === name);
  }

  /** Every channel once: each top-level channel in navigation order, followed by its subtree. */
  all(): Channel[] {
    return this.roots().flatMap((root) => this.subtreeIds(root.id).flatMap((id) => this.byId.get(id) ?? []));
  }

  /** This channel and all below it: a list channel shows its whole subtree's articles. */
  subtreeIds(id: number): number[] {
    const ids = [id];
    for (let i = 0; i < ids.length; i++) {
      for (const child of this.children(ids[i] ?? null)) ids.push(child.id);
    }
    return ids;
  }

  /** A slug for a new child of `parentId`, unique among its siblings. */
  freeSlug(parentId: number | null, wanted: string): string {
    const taken = new Set(this.children(parentId).map((c) => c.slug));
    if (!taken.has(wanted)) return wanted;
    for (let n = 2; ; n++) if (!taken.has(`${wanted}${n}`)) return `${wanted}${n}`;
  }
}

/**
 * The ColumnType meta tag: the national categories (要闻动态, 通知公告, 政策文件, 解读回应…)
 * recognised from a channel's name, else the name itself.
 */
export function columnTypeOf(channel: Pick<Channel, 'name'>): string {
  const rules: readonly [RegExp, string][] = [
    [/解读|回应/, '解读回应'],
    [/政策|文件|规章|法规/, '政策文件'],
    [/通知|公告|公示/, '通知公告'],
    [/动态|要闻|新闻|资讯/, '要闻动态'],
    [/办事|服务/, '办事服务'],
    [/互动|留言|信箱|咨询/, '互动交流'],
  ];
  return rules.find(([pattern]) => pattern.test(channel.name))?.[1] ?? channel.name;
}
