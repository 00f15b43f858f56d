import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openStore } from '../src/store/index.js';
import {
  articlesInOrder,
  brotliPage,
  gzipPage,
  loadSiteView,
  renderSource,
  type PageSource,
} from '../src/publish/index.js';
import { DEFAULT_THEME_DIR, loadTheme, themeEngine, type Theme } from '../src/theme/index.js';
import { log, makeSyntheticSite, optionReader, removeTemp, round, tempDir } from './support.js';
import { homeFigures } from './render-home.js';

/**
 * `npm run bench render [-- --articles 5000 --rounds 5]`: what one article page costs a build,
 * step by step, on a synthetic site: the page model and render with the compiled theme and with
 * LiquidJS itself (the outputs compared page by page), then gzip level 5 and brotli quality 5,
 * with the output store's own calls. Microseconds per page, the best of --rounds rounds. Then
 * the home page with every block (`home`): its model's and its render's milliseconds per page.
 */
export async function benchRender(args: readonly string[]): Promise<object> {
  const option = optionReader(args);
  const articles = option.number('articles', 5000);
  const rounds = Math.max(1, option.number('rounds', 5));
  const dir = tempDir('render');
  try {
    log(`render: ${articles} articles`);
    await makeSyntheticSite(dir, articles, undefined);
    const store = await openStore({ databaseUrl: null, sqliteFile: path.join(dir, 'gazette.db') });
    const sources: PageSource[] = [];
    const view = await loadSiteView(store.db);
    try {
      if (!view) throw new Error('the synthetic site has no site row');
      for (const channel of view.tree.all()) {
        if (channel.type === 'link') continue;
        for await (const { article, ...around } of articlesInOrder(store.db, channel.id))
          sources.push({ article, around });
      }
    } finally {
      await store.close();
    }
    const compiled = loadTheme(DEFAULT_THEME_DIR);
    const liquid = themeEngine(DEFAULT_THEME_DIR);
    const interpreted: Theme = {
      ...compiled,
      render: (template, model) => liquid.renderFileSync(template, model) as string,
    };
    log('render: the home page with every block');
    const homeStore = await openStore({ databaseUrl: null, sqliteFile: path.join(dir, 'gazette.db') });
    const home = await homeFigures(
      homeStore,
      { compiled, interpreted },
      { rounds, mediaDir: path.join(dir, 'media') },
    ).finally(() => homeStore.close());
    const pages = sources.map((source) => renderSource(compiled, view, source));
    const differing = sources.filter((source, i) => renderSource(interpreted, view, source) !== pages[i]).length;
    const bodies = pages.map((page) => Buffer.from(page));
    const best = (run: () => void) => {
      let fastest = Infinity;
      for (let r = 0; r < rounds; r++) {
        const started = performance.now();
        run();
        fastest = Math.min(fastest, performance.now() - started);
      }
      return round((fastest * 1000) / sources.length, 1);
    };
    const microsecondsPerPage = {
      renderCompiled: best(() => sources.forEach((s) => renderSource(compiled, view, s))),
      renderLiquidJs: best(() => sources.forEach((s) => renderSource(interpreted, view, s))),
      gzip5: best(() => bodies.forEach(gzipPage)),
      brotli5: best(() => bodies.forEach(brotliPage)),
    };
    return {
      bench: 'render',
      articles: sources.length,
      rounds,
      averagePageBytes: Math.round(bodies.reduce((sum, b) => sum + b.length, 0) / bodies.length),
      pagesDifferingFromLiquidJs: differing,
      microsecondsPerPage,
      renderSpeedup: round(microsecondsPerPage.renderLiquidJs / microsecondsPerPage.renderCompiled, 2),
      home,
    };
  } finally {
    removeTemp(dir);
  }
}
