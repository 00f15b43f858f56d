import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { GazetteError } from '../../src/domain/index.js';
import { generateSyntheticArticles } from '../../src/services/index.js';
import {
  DEFAULT_THEME_DIR,
  loadTheme,
  themeFiles,
  type TemplateName,
  type TemplateOverrides,
  type Theme,
} from '../../src/theme/index.js';
import { renderWith, siteEngine } from '../../src/theme/overrides.js';
import { demoApp } from '../helpers/app.js';
import { contextFor, pinnedClock, testStore, type TestStore } from '../helpers/store.js';

const files = themeFiles(DEFAULT_THEME_DIR);

/** A model every page template renders with: the frame the layout reads, nothing else. */
const MODEL = {
  frame: { site: { name: '示范区' }, title: '页面', metas: [], feeds: [], nav: [], canonical: 'https://x/' },
  breadcrumb: [],
  status: 404,
};

let serial = 0;
/** A set of the site's templates, with a key of its own (as loadSiteView gives one per set). */
function own(sources: Record<string, string>): TemplateOverrides {
  return { key: `test-${++serial}`, sources };
}

/** The failure a render throws, as `[code, message in Chinese, message in English]`. */
function failure(render: () => unknown): [string, string, string] {
  try {
    render();
  } catch (error) {
    assert.ok(error instanceof GazetteError, String(error));
    return [error.code, error.messageIn('zh'), error.messageIn('en')];
  }
  assert.fail('the render did not fail');
}

describe("a site's templates over the default theme", () => {
  const theme = loadTheme();

  test("the site's version of a partial is served; every other template is the default theme's", () => {
    const plain = theme.render('error', MODEL);
    const footer = '<footer id="own">本站页脚 {{ site.name }}</footer>';
    const html = theme.render('error', MODEL, own({ footer }));
    assert.ok(html.includes('<footer id="own">本站页脚 示范区</footer>'), html);
    const rest = (page: string) => page.replace(/<footer[\s\S]*<\/footer>/, '');
    assert.equal(rest(html), rest(plain));
  });

  test('regression: an engine of site templates parses them all when made, so a render counts no parsing against its time limit', () => {
    // The first article page of a fresh engine parsed the layout and its partials inside the
    // render: about 20 ms of its 300 on a quiet machine, and a theme import on a loaded one
    // was refused as "a loop too long".
    const engine = siteEngine(DEFAULT_THEME_DIR, { footer: '<footer>本站页脚</footer>' });
    // A template is read from the file system only when it is parsed (then it is kept).
    const { fs } = engine.options;
    const read = fs.readFileSync?.bind(fs);
    assert.ok(read);
    const parsed: string[] = [];
    fs.readFileSync = (filepath) => {
      parsed.push(filepath);
      return read(filepath);
    };
    for (const page of ['article', 'channel', 'home', 'search', 'error']) renderWith(engine, files, page, MODEL);
    assert.deepEqual(parsed, []);
  });

  test('the default theme’s own texts as overrides render byte for byte as the default theme', () => {
    const sources = Object.fromEntries(files.names.map((name) => [name, files.source(name) ?? '']));
    for (const page of ['error', 'search', 'home', 'channel', 'article'] as const)
      assert.equal(theme.render(page, MODEL, own(sources)), theme.render(page, MODEL), page);
  });

  test('output is escaped as in the default theme: markup in a value is text unless the template says raw', () => {
    const html = theme.render('error', { ...MODEL, x: '<b>&' }, own({ error: '{{ x }}|{{ x | raw }}' }));
    assert.equal(html, '&lt;b&gt;&amp;|<b>&');
  });

  test('names outside the theme are refused: .., absolute paths, files beside the templates', () => {
    const cases: [string, string][] = [
      ["{% render '../../../../etc/passwd' %}", '../../../../etc/passwd'],
      ["{% include '/etc/passwd' %}", '/etc/passwd'],
      ["{% render '../assets/site.css' %}", '../assets/site.css'],
      // The backslash pair is Liquid's escape for one backslash.
      ["{% layout 'C:\\\\windows' %}", 'C:\\windows'],
      ["{% render './footer' %}", './footer'],
    ];
    for (const [source, name] of cases)
      assert.deepEqual(
        failure(() => theme.render('error', MODEL, own({ error: `<p>\n${source}` }))),
        [
          'THEME_TEMPLATE_ERROR',
          `error.liquid 第 2 行：引用的模板 "${name}" 不存在`,
          `error.liquid line 2: the template "${name}" it includes does not exist`,
        ],
        source,
      );
  });

  test('a loop too long fails with the template’s name and the line of the loop, within the time limit', () => {
    const slow =
      '<ul>\n<li>\n{%- for i in (1..100000) %}{% for j in (1..100000) %}{{ j }}{% endfor %}{% endfor %}\n</ul>';
    const started = performance.now();
    const cpu = process.cpuUsage();
    assert.deepEqual(
      failure(() => theme.render('article', MODEL, own({ breadcrumb: slow }))),
      [
        'THEME_TEMPLATE_ERROR',
        'breadcrumb.liquid 第 3 行：渲染超过 300 毫秒的时限（循环过多？）',
        'breadcrumb.liquid line 3: the render took longer than its limit of 300 ms (a loop too long?)',
      ],
    );
    // The limit is of wall time, so at least 300 ms pass. What shows the loop was stopped is the
    // CPU it took, far under the hours the whole loop would: wall time under load is not (a
    // CI run took 1,653 ms of it with four test files on two cores).
    const ms = performance.now() - started;
    const { user, system } = process.cpuUsage(cpu);
    assert.ok(ms >= 300, `${ms} ms`);
    assert.ok((user + system) / 1000 < 1500, `${(user + system) / 1000} ms of CPU`);
  });

  test('a set of templates that keeps running out of time is given up: later renders fail at once', () => {
    const set = own({ error: '{% for i in (1..100000) %}{% for j in (1..100000) %}{% endfor %}{% endfor %}' });
    for (let i = 0; i < 3; i++) failure(() => theme.render('error', MODEL, set));
    const started = performance.now();
    assert.deepEqual(
      failure(() => theme.render('error', MODEL, set)),
      [
        'THEME_TEMPLATE_ERROR',
        'error.liquid 第 1 行：渲染超过 300 毫秒的时限（循环过多？）',
        'error.liquid line 1: the render took longer than its limit of 300 ms (a loop too long?)',
      ],
    );
    assert.ok(performance.now() - started < 50);
    // The same templates saved again are a new set (a new key): tried afresh.
    assert.equal(theme.render('error', MODEL, own({ error: 'ok' })), 'ok');
  });

  test('a string doubled in a loop stops at the memory limit', () => {
    const source = "{% assign s = 'aaaaaaaaaa' %}\n{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}";
    assert.deepEqual(
      failure(() => theme.render('error', MODEL, own({ error: source }))),
      [
        'THEME_TEMPLATE_ERROR',
        'error.liquid 第 2 行：渲染占用的内存超过上限',
        'error.liquid line 2: the render used more memory than its limit',
      ],
    );
  });

  test('no tag beyond LiquidJS’s and render_cached, and unknown filters are errors', () => {
    assert.deepEqual(
      failure(() => theme.render('error', MODEL, own({ error: 'a\nb {% exec "ls" %}' }))),
      ['THEME_TEMPLATE_ERROR', 'error.liquid 第 2 行：未知的标签 "exec"', 'error.liquid line 2: unknown tag "exec"'],
    );
    assert.deepEqual(
      failure(() => theme.render('error', MODEL, own({ error: '{{ x | shell }}' }))),
      [
        'THEME_TEMPLATE_ERROR',
        'error.liquid 第 1 行：未知的过滤器 "shell"',
        'error.liquid line 1: unknown filter "shell"',
      ],
    );
  });

  test('a template reads only its own model: no prototype, no process', () => {
    const html = theme.render(
      'error',
      MODEL,
      own({ error: '[{{ frame.constructor }}][{{ frame.title.constructor.name }}][{{ process.env.PATH }}]' }),
    );
    assert.equal(html, '[][][]');
  });
});

describe('every demo page renders with the default texts as overrides exactly as with the default theme', () => {
  let store: TestStore;
  let app: FastifyInstance;
  const differing: string[] = [];
  const rendered = new Set<string>();
  const compiled = loadTheme();
  const sources = Object.fromEntries(files.names.map((name) => [name, files.source(name) ?? '']));
  const theme: Theme = {
    dir: compiled.dir,
    assetsDir: compiled.assetsDir,
    render(template: TemplateName, model: object) {
      const html = compiled.render(template, model);
      if (html !== compiled.render(template, model, { key: 'identity', sources })) differing.push(template);
      rendered.add(template);
      return html;
    },
  };

  before(async () => {
    store = await testStore();
    app = await demoApp(store, { theme });
    await generateSyntheticArticles(contextFor(store, pinnedClock()), { articles: 30, seed: 5, bodyChars: 300 });
  });
  after(async () => {
    await app?.close();
    await store?.dispose();
  });

  test('home, columns, articles, search, error pages', async () => {
    const home = await app.inject('/');
    const links = [...home.body.matchAll(/href="(\/[^"#?]*\.html|\/[a-z0-9/-]+\/)"/g)].map((m) => m[1] ?? '/');
    for (const url of [...new Set(links)].slice(0, 60)) await app.inject(url);
    for (const url of ['/search?q=%E5%8C%BA', '/no/such/page.html']) await app.inject(url);
    assert.deepEqual(differing, []);
    for (const kind of ['home', 'channel', 'article', 'search', 'error']) assert.ok(rendered.has(kind), kind);
  });
});
