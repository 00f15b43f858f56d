import { revisions } from '../../store/index.js';
import { requirePermission, type Actor } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { loadArticle } from './editorial.js';
import { diffRevisions, revisionOf } from './revisions.js';
import { currentSite } from '../site.js';
import type { DiffPart, Revision } from '../views.js';

async function readable(ctx: ServiceContext, actor: Actor, id: number): Promise<void> {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  const article = await loadArticle(ctx.store.db, scope, id);
  requirePermission(actor, 'article.read', article.channelId, scope.tree);
}

/** Every saved state of an article, newest first (kept after withdrawal and restore). */
export async function listRevisions(ctx: ServiceContext, actor: Actor, id: number) {
  await readable(ctx, actor, id);
  const rows = await revisions.listRevisions(ctx.store.db, id);
  return rows.map((r) => ({
    number: r.number,
    version: r.version,
    at: r.at,
    userName: r.userName,
    action: r.action,
    title: (JSON.parse(r.snapshot) as { title: string }).title,
  }));
}

export async function getRevision(ctx: ServiceContext, actor: Actor, id: number, number: number): Promise<Revision> {
  await readable(ctx, actor, id);
  const { snapshot: _snapshot, ...revision } = await revisionOf(ctx.store.db, id, number);
  return revision;
}

/** Revision `number` against `against` (default: the one before it; the first against nothing). */
export async function diffArticleRevisions(
  ctx: ServiceContext,
  actor: Actor,
  id: number,
  number: number,
  against?: number,
): Promise<{ title: DiffPart[]; body: DiffPart[] }> {
  await readable(ctx, actor, id);
  const after = await revisionOf(ctx.store.db, id, number);
  const base = against ?? number - 1;
  const before =
    base >= 1 ? (await revisionOf(ctx.store.db, id, base)).snapshot : { ...after.snapshot, title: '', bodyHtml: '' };
  return diffRevisions(before, after.snapshot);
}
