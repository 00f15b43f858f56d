import { performance } from 'node:perf_hooks';
import { systemClock } from '../src/clock.js';
import { defaultLook, type HomeBlock, type SiteLook } from '../src/domain/index.js';
import { loadSiteView, type SiteView } from '../src/publish/index.js';
import { homePage } from '../src/publish/home.js';
import {
  createArticle,
  createChannel,
  importAnsweredLetter,
  loadDataKeyring,
  newDataKeyHex,
  setArticleMarks,
  stepArticle,
  systemActor,
  type ServiceContext,
} from '../src/services/index.js';
import { articles, type Store } from '../src/store/index.js';
import type { Theme } from '../src/theme/index.js';
import { round } from './support.js';

/**
 * The home page with every block, on the synthetic site: what its model costs a publish (the
 * store's questions) and what its render costs, with the compiled theme and with LiquidJS.
 */

const ACTOR = systemActor('bench');
const OFFICE = { userId: null, userName: 'bench', grants: [{ role: 'office' as const, channelId: null }], ip: null };
const PICTURES = 5;
const LETTERS = 5;

/** 头条, 图片新闻 with covers, a 专题 and answered letters: something for every block to show. */
async function fillHome(store: Store, mediaDir: string): Promise<void> {
  const ctx: ServiceContext = {
    store,
    clock: systemClock,
    mediaDir,
    dataKeys: loadDataKeyring({ GAZETTE_DATA_KEY: newDataKeyHex() }),
  };
  const all = await store.db.selectFrom('channel').select('id').execute();
  const newest = await articles.listPublished(
    store.db,
    all.map((c) => c.id),
    { limit: PICTURES, offset: 0 },
  );
  for (const [i, listing] of newest.entries()) {
    await store.db
      .updateTable('article')
      .set({ coverImage: `/media/bench/${i + 1}.jpg` })
      .where('id', '=', listing.id)
      .execute();
    await setArticleMarks(ctx, ACTOR, listing.id, { headline: i === 0, picture: true });
  }
  const column = await createChannel(ctx, ACTOR, { name: '专题专栏', slug: 'ztzl', contentType: 'topic' });
  const topic = await createArticle(ctx, ACTOR, {
    channelId: column.id,
    title: '优化营商环境',
    bodyHtml: '<p>专题</p>',
    fields: { banner: { url: '/media/bench/topic.png', alt: '专题横幅' }, sections: [{ name: '动态', tag: '营商' }] },
  });
  for (const step of ['submit', 'approve', 'publish'] as const) await stepArticle(ctx, ACTOR, topic.id, step);
  for (let i = 1; i <= LETTERS; i++)
    await importAnsweredLetter(ctx, OFFICE, {
      type: 'consult',
      title: `关于第${i}件事的咨询`,
      body: '请问如何办理？',
      writer: { name: '林一', phone: '13800001111', email: '', address: '' },
      showName: false,
      receivedAt: new Date(Date.UTC(2025, 10, i)),
      answeredAt: new Date(Date.UTC(2025, 10, i + 1)),
      unitName: '区政府办公室',
      replyHtml: '<p>已答复。</p>',
      publish: true,
    });
}

/** The default look with its tabs' pictures on and three groups of links: every block has something. */
function everyBlock(view: SiteView): SiteLook {
  const look = defaultLook(view.tree);
  const links = (group: string) =>
    Array.from({ length: 8 }, (_, i) => ({
      title: `${group}网站${i + 1}`,
      url: `https://site${i + 1}.example.gov.cn/`,
    }));
  const blocks = look.blocks.map((block): HomeBlock => {
    if (block.kind === 'tabs') return { ...block, pictures: true };
    if (block.kind === 'links')
      return { ...block, groups: ['政府', '部门', '镇街'].map((title) => ({ title, links: links(title) })) };
    return block;
  });
  return { ...look, blocks };
}

/** Milliseconds per call of `run`, the best of `rounds` rounds of `times` calls. */
async function perCall(rounds: number, times: number, run: () => unknown): Promise<number> {
  let fastest = Infinity;
  for (let r = 0; r < rounds; r++) {
    const started = performance.now();
    for (let i = 0; i < times; i++) await run();
    fastest = Math.min(fastest, (performance.now() - started) / times);
  }
  return round(fastest, 3);
}

/** The home page's figures: its blocks, bytes, model and render times (ms per page). */
export async function homeFigures(
  store: Store,
  themes: { compiled: Theme; interpreted: Theme },
  options: { readonly rounds: number; readonly mediaDir: string },
): Promise<object> {
  const { rounds } = options;
  await fillHome(store, options.mediaDir);
  const loaded = await loadSiteView(store.db);
  if (!loaded) throw new Error('the synthetic site has no site row');
  const view = { ...loaded, look: everyBlock(loaded) };
  const model = await homePage(store.db, view);
  const html = themes.compiled.render('home', model);
  const shown = model.blocks.filter((b) =>
    b.kind === 'headline'
      ? b.item !== null
      : b.kind === 'links'
        ? b.groups.length > 0
        : 'items' in b
          ? b.items.length > 0
          : true,
  );
  return {
    blocks: model.blocks.map((b) => b.kind),
    blocksWithContent: shown.length,
    pageBytes: Buffer.byteLength(html),
    sameAsLiquidJs: themes.interpreted.render('home', model) === html,
    msPerPage: {
      model: await perCall(rounds, 20, () => homePage(store.db, view)),
      renderCompiled: await perCall(rounds, 200, () => themes.compiled.render('home', model)),
      renderLiquidJs: await perCall(rounds, 50, () => themes.interpreted.render('home', model)),
    },
  };
}
