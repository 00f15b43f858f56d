import fs from 'node:fs';
import path from 'node:path';
import { GazetteError, type Site } from '../domain/index.js';
import {
  adoptSubmission,
  currentSite,
  placeArticle,
  returnSubmission,
  setSubmissionColumn,
  stepArticle,
  stepPlacement,
  submitArticle,
  systemActor,
  type ServiceContext,
} from '../services/index.js';
import { PACKAGE_DIR } from './runtime.js';
import { demoArticleId } from './demo-articles.js';

/** demo/sharing.json: how the demo's sites share articles with the portal (引用 and 信息报送). */
interface DemoSharing {
  readonly open: readonly { column: string; points: number }[];
  readonly submissions: readonly {
    from: string;
    title: string;
    to: string;
    note: string;
    decision: 'copy' | 'placement' | 'return' | 'pending';
    reason?: string;
  }[];
  readonly placements: readonly { from: string; title: string; to: string }[];
}

const DEMO_SHARING = path.join(PACKAGE_DIR, 'demo', 'sharing.json');

/**
 * Some of the demo sites' articles reach the portal: submitted and adopted (as an edited copy
 * whose 来源 is the town, or as a placement of the original), one returned with its reason, one
 * waiting in the inbox, and a notice placed directly. All through the same operations an editor
 * uses, with the portal's review and publishing.
 */
export async function createDemoSharing(ctx: ServiceContext, portal: Site, others: readonly Site[]): Promise<void> {
  const spec = JSON.parse(fs.readFileSync(DEMO_SHARING, 'utf8')) as DemoSharing;
  const actor = systemActor('gazette serve');
  const atPortal = { ...ctx, siteId: portal.id };
  const portalTree = (await currentSite(ctx.store.db, portal.id)).tree;
  const column = (slugPath: string) => {
    const found = portalTree.findByPath(slugPath.split('/'));
    if (!found) throw new GazetteError('CHANNEL_NOT_FOUND', { id: slugPath });
    return found.id;
  };
  const article = async (host: string, title: string) => {
    const site = others.find((s) => s.domain === host);
    if (!site) throw new GazetteError('SITE_NOT_FOUND', { site: host });
    return { site, id: await demoArticleId(ctx.store.db, site.id, title) };
  };
  for (const open of spec.open)
    await setSubmissionColumn(atPortal, actor, column(open.column), { open: true, points: open.points });
  for (const item of spec.submissions) {
    const { site, id } = await article(item.from, item.title);
    const sent = await submitArticle({ ...ctx, siteId: site.id }, actor, {
      articleId: id,
      channelId: column(item.to),
      note: item.note,
    });
    if (item.decision === 'pending') continue;
    if (item.decision === 'return') {
      await returnSubmission(atPortal, actor, sent.id, item.reason);
      continue;
    }
    const adopted = await adoptSubmission(atPortal, actor, sent.id, { as: item.decision });
    if (adopted.copyId !== null)
      for (const step of ['submit', 'approve', 'publish'] as const)
        await stepArticle(atPortal, actor, adopted.copyId, step);
    if (adopted.placementId !== null) await publishPlacement(atPortal, adopted.placementId);
  }
  for (const item of spec.placements) {
    const { id } = await article(item.from, item.title);
    await publishPlacement(
      atPortal,
      (await placeArticle(atPortal, actor, { articleId: id, channelId: column(item.to) })).id,
    );
  }

  async function publishPlacement(at: ServiceContext, id: number): Promise<void> {
    let placement = await stepPlacement(at, actor, id, 'approve');
    while (placement.status === 'submitted') placement = await stepPlacement(at, actor, id, 'approve');
    await stepPlacement(at, actor, id, 'publish');
  }
}
