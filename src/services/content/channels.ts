import type { Kysely } from 'kysely';
import {
  ChannelTree,
  GazetteError,
  isWebAddress,
  sanitizeBodyHtml,
  slugFromName,
  RESERVED_SLUGS,
  shippedType,
  type Channel,
  type ChannelType,
} from '../../domain/index.js';
import { articles as articleRepo, channels as channelRepo, type Database } from '../../store/index.js';
import { requireAnywhere, type Actor } from '../actor.js';
import { appendAudit } from '../audit.js';
import type { ServiceContext } from '../context.js';
import { syncArticleIndex, syncChannelPageIndex } from './search.js';
import { currentSite } from '../site.js';
import { recordEvents, sendEvents } from '../events.js';
import type { ChannelInput, ChannelPatch, ChannelView } from '../views.js';

/**
 * The channel at the end of a chain of names (政务公开 > 部门动态), creating the missing links as
 * list channels with pinyin-initial slugs. Runs inside the caller's transaction.
 */
export async function ensureChannelChain(
  db: Kysely<Database>,
  siteId: number,
  names: readonly string[],
  now: Date,
): Promise<{ channel: Channel; tree: ChannelTree; columnsBefore: Channel[] | null }> {
  const all = await channelRepo.listChannels(db, siteId);
  const before = [...all];
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
  // The columns as they were, when any had to be made (the publisher compares the two trees).
  return { channel, tree, columnsBefore: all.length > before.length ? before : null };
}

export function channelViews(tree: ChannelTree): ChannelView[] {
  return tree.all().map((c) => ({
    id: c.id,
    parentId: c.parentId,
    name: c.name,
    slug: c.slug,
    type: c.type,
    sortOrder: c.sortOrder,
    description: c.description,
    keywords: c.keywords,
    linkUrl: c.linkUrl,
    bodyHtml: c.bodyHtml,
    reviewLevels: c.reviewLevels,
    updateRule: c.updateRule ?? 'none',
    contentType: c.contentType ?? 'article',
    path: tree.path(c.id),
  }));
}

function viewOf(tree: ChannelTree, id: number): ChannelView {
  const view = channelViews(tree).find((c) => c.id === id);
  if (!view) throw new GazetteError('CHANNEL_NOT_FOUND', { id });
  return view;
}

function checkLink(type: ChannelType, linkUrl: string | null | undefined): void {
  if (type !== 'link') return;
  if (!linkUrl || !isWebAddress(linkUrl)) {
    throw new GazetteError('FIELD_INVALID', {
      field: 'linkUrl',
      reason: {
        zh: '链接栏目须填写以 http://、https:// 或 / 开头的地址',
        en: 'a link channel needs an address starting with http://, https:// or /',
      },
    });
  }
}

async function afterChannelChange(
  trx: Kysely<Database>,
  ctx: ServiceContext,
  siteId: number,
  channelId: number,
  now: Date,
  moved: boolean,
): Promise<ChannelTree> {
  const tree = new ChannelTree(await channelRepo.listChannels(trx, siteId));
  const channel = tree.get(channelId);
  if (channel) await syncChannelPageIndex(trx, ctx.store.dialect, channel, tree, now);
  if (!moved) return tree;
  // A moved column changes the search scope of every page beneath it. Each article is held
  // first, so an edit in flight is waited for and its text, not the one before, is indexed.
  for (const id of tree.subtreeIds(channelId)) {
    const listed = await articleRepo.listPublished(trx, [id], { limit: 1_000_000, offset: 0 });
    await articleRepo.holdArticles(
      trx,
      ctx.store.dialect,
      listed.map((a) => a.id),
    );
    for (const article of listed) {
      const full = await articleRepo.findArticle(trx, article.id);
      if (full) await syncArticleIndex(trx, ctx.store.dialect, full, tree);
    }
  }
  return tree;
}

/** A top-level slug the site's own pages use (/zcwjk/, /xinxiang/, /ysqgk/). */
function reservedAt(parentId: number | null, slug: string): boolean {
  return parentId === null && RESERVED_SLUGS.includes(slug);
}

export async function createChannel(ctx: ServiceContext, actor: Actor, input: ChannelInput): Promise<ChannelView> {
  const now = ctx.clock.now();
  const { site, tree } = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'channel.manage', tree);
  const parentId = input.parentId ?? null;
  if (parentId !== null && !tree.get(parentId)) throw new GazetteError('CHANNEL_NOT_FOUND', { id: parentId });
  const type = input.type ?? 'list';
  checkLink(type, input.linkUrl);
  const slug = input.slug ?? tree.freeSlug(parentId, slugFromName(input.name));
  if (tree.children(parentId).some((c) => c.slug === slug) || reservedAt(parentId, slug))
    throw new GazetteError('CHANNEL_SLUG_TAKEN', { slug });
  const siblings = tree.children(parentId);
  const { view, recorded } = await ctx.store.db.transaction().execute(async (trx) => {
    const channel = await channelRepo.insertChannel(
      trx,
      {
        siteId: site.id,
        parentId,
        name: input.name.trim(),
        slug,
        type,
        sortOrder: input.sortOrder ?? (siblings[siblings.length - 1]?.sortOrder ?? 0) + 10,
        description: input.description ?? '',
        keywords: input.keywords ?? '',
        linkUrl: type === 'link' ? (input.linkUrl ?? null) : null,
        bodyHtml: type === 'page' ? sanitizeBodyHtml(input.bodyHtml ?? '') : null,
        reviewLevels: input.reviewLevels ?? 1,
        updateRule: input.updateRule ?? 'none',
        contentType: input.contentType ?? 'article',
      },
      now,
    );
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'channel.create',
      targetType: 'channel',
      targetId: channel.id,
      details: { name: channel.name, slug, parentId },
    });
    const after = await afterChannelChange(trx, ctx, site.id, channel.id, now, false);
    const event = { type: 'channel.changed', siteId: site.id, channelId: channel.id, before: tree.all() } as const;
    return { view: viewOf(after, channel.id), recorded: await recordEvents(trx, ctx, [event]) };
  });
  sendEvents(ctx, recorded);
  return view;
}

export async function updateChannel(
  ctx: ServiceContext,
  actor: Actor,
  id: number,
  patch: ChannelPatch,
): Promise<ChannelView> {
  const now = ctx.clock.now();
  const { site, tree } = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'channel.manage', tree);
  const current = tree.get(id);
  if (!current) throw new GazetteError('CHANNEL_NOT_FOUND', { id });
  const parentId = patch.parentId === undefined ? current.parentId : patch.parentId;
  if (parentId !== null) {
    if (!tree.get(parentId)) throw new GazetteError('CHANNEL_NOT_FOUND', { id: parentId });
    if (tree.subtreeIds(id).includes(parentId)) throw new GazetteError('CHANNEL_CYCLE');
  }
  const slug = patch.slug ?? current.slug;
  if (
    tree.children(parentId).some((c) => c.slug === slug && c.id !== id) ||
    (slug !== current.slug && reservedAt(parentId, slug))
  )
    throw new GazetteError('CHANNEL_SLUG_TAKEN', { slug });
  if (patch.contentType !== undefined && patch.contentType !== (current.contentType ?? 'article')) {
    // An item's type is its column's: a column holding items cannot change what they are.
    const held = await articleRepo.countInChannel(ctx.store.db, id);
    if (held > 0)
      throw new GazetteError('CHANNEL_TYPE_HAS_ITEMS', {
        name: current.name,
        count: held,
        type: shippedType(current.contentType ?? 'article').label,
      });
  }
  const type = patch.type ?? current.type;
  checkLink(type, patch.linkUrl === undefined ? current.linkUrl : patch.linkUrl);
  const { view, recorded } = await ctx.store.db.transaction().execute(async (trx) => {
    await channelRepo.updateChannel(
      trx,
      id,
      {
        ...(patch.name !== undefined && { name: patch.name.trim() }),
        parentId,
        slug,
        type,
        ...(patch.sortOrder !== undefined && { sortOrder: patch.sortOrder }),
        ...(patch.description !== undefined && { description: patch.description }),
        ...(patch.keywords !== undefined && { keywords: patch.keywords }),
        ...(patch.linkUrl !== undefined && { linkUrl: patch.linkUrl }),
        ...(patch.bodyHtml !== undefined && {
          bodyHtml: patch.bodyHtml === null ? null : sanitizeBodyHtml(patch.bodyHtml),
        }),
        ...(patch.reviewLevels !== undefined && { reviewLevels: patch.reviewLevels }),
        ...(patch.updateRule !== undefined && { updateRule: patch.updateRule }),
        ...(patch.contentType !== undefined && { contentType: patch.contentType }),
      },
      now,
    );
    const { bodyHtml: _body, ...logged } = patch;
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'channel.update',
      targetType: 'channel',
      targetId: id,
      details: logged,
    });
    const after = await afterChannelChange(trx, ctx, site.id, id, now, parentId !== current.parentId);
    const event = { type: 'channel.changed', siteId: current.siteId, channelId: id, before: tree.all() } as const;
    return { view: viewOf(after, id), recorded: await recordEvents(trx, ctx, [event]) };
  });
  sendEvents(ctx, recorded);
  return view;
}

export async function deleteChannel(ctx: ServiceContext, actor: Actor, id: number): Promise<void> {
  const now = ctx.clock.now();
  const { tree } = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'channel.manage', tree);
  const channel = tree.get(id);
  if (!channel) throw new GazetteError('CHANNEL_NOT_FOUND', { id });
  const recorded = await ctx.store.db.transaction().execute(async (trx) => {
    const articleCount = await trx
      .selectFrom('article')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('channelId', '=', id)
      .executeTakeFirstOrThrow();
    if (tree.children(id).length > 0 || Number(articleCount.n) > 0)
      throw new GazetteError('CHANNEL_NOT_EMPTY', { name: channel.name });
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'channel.delete',
      targetType: 'channel',
      targetId: id,
      details: { name: channel.name },
    });
    await trx.deleteFrom('searchDoc').where('channelId', '=', id).execute();
    await channelRepo.deleteChannel(trx, id);
    const event = { type: 'channel.deleted', siteId: channel.siteId, channelId: id, before: tree.all() } as const;
    return recordEvents(trx, ctx, [event]);
  });
  sendEvents(ctx, recorded);
}
