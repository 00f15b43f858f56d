import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GazetteError } from '../../src/domain/index.js';
import { DEFAULT_THEME_DIR, pageTemplates, themeFiles, trialPages, validateTemplate } from '../../src/theme/index.js';

const THEME = { dir: DEFAULT_THEME_DIR };
const files = themeFiles(DEFAULT_THEME_DIR);

/** What validation refused: code, the message in both languages, and where (params the API reports). */
function refusal(name: string, source: string, options = {}) {
  try {
    validateTemplate(name, source, THEME, options);
  } catch (error) {
    assert.ok(error instanceof GazetteError, String(error));
    const { line, column } = error.params;
    return { code: error.code, zh: error.messageIn('zh'), en: error.messageIn('en'), line, column };
  }
  return null;
}

describe('validating a template of a site', () => {
  test('the default theme’s own templates pass', () => {
    for (const name of ['article', 'layout', 'footer', 'masthead', 'home', 'blocks/headline'])
      assert.equal(refusal(name, files.source(name) ?? ''), null, name);
  });

  test('a name the default theme does not have is refused', () => {
    for (const name of ['nope', '../article', '/etc/passwd', 'article.liquid', 'blocks'])
      assert.deepEqual(refusal(name, 'x'), {
        code: 'THEME_TEMPLATE_UNKNOWN',
        zh: `默认主题中没有模板“${name}”`,
        en: `The default theme has no template "${name}"`,
        line: undefined,
        column: undefined,
      });
  });

  test('a syntax error is refused with its line and column', () => {
    const source = '<main>\n<h1>\n<p>\n{% if article.title %}{{ article.title }}\n</main>';
    assert.deepEqual(refusal('article', source), {
      code: 'THEME_TEMPLATE_ERROR',
      zh: 'article.liquid 第 4 行：语法错误：tag {% if article.title %} not closed',
      en: 'article.liquid line 4: syntax error: tag {% if article.title %} not closed',
      line: 4,
      column: 1,
    });
    assert.deepEqual(refusal('footer', '<footer>\n  {{ site.name </footer>'), {
      code: 'THEME_TEMPLATE_ERROR',
      zh: 'footer.liquid 第 2 行：语法错误：output "{{ site.name </footer>" not closed',
      en: 'footer.liquid line 2: syntax error: output "{{ site.name </footer>" not closed',
      line: 2,
      column: 3,
    });
  });

  test('an unknown filter is refused with its line', () => {
    const source = `${'<p>\n'.repeat(11)}<h1>{{ title | foo }}</h1>`;
    assert.deepEqual(refusal('article', source), {
      code: 'THEME_TEMPLATE_ERROR',
      zh: 'article.liquid 第 12 行：未知的过滤器 "foo"',
      en: 'article.liquid line 12: unknown filter "foo"',
      line: 12,
      column: 5,
    });
  });

  test('an include or render of a missing partial is refused with its line', () => {
    assert.deepEqual(refusal('layout', "<body>\n<main>\n  {% render 'sidebar', x: 1 %}\n</main>"), {
      code: 'THEME_TEMPLATE_ERROR',
      zh: 'layout.liquid 第 3 行：引用的模板 "sidebar" 不存在',
      en: 'layout.liquid line 3: the template "sidebar" it includes does not exist',
      line: 3,
      column: 3,
    });
    assert.deepEqual(
      refusal('footer', "<footer>{% include '../secrets' %}</footer>")?.zh,
      'footer.liquid 第 1 行：引用的模板 "../secrets" 不存在',
    );
    // A name computed while rendering is found missing by the trial render.
    assert.deepEqual(
      refusal('footer', "{% assign p = 'side' | append: 'bar' %}\n{% render p %}")?.zh,
      'footer.liquid 第 2 行：引用的模板 "sidebar" 不存在',
    );
  });

  test('a trial render that exceeds the time bound is refused, naming the template and the line of the loop', () => {
    const source =
      '<footer>\n<p>\n{% for i in (1..100000) %}{% for j in (1..100000) %}.{% endfor %}{% endfor %}\n</footer>';
    const started = performance.now();
    const { column, ...refused } = refusal('footer', source) ?? {};
    assert.deepEqual(refused, {
      code: 'THEME_TEMPLATE_ERROR',
      zh: 'footer.liquid 第 3 行：渲染超过 300 毫秒的时限（循环过多？）',
      en: 'footer.liquid line 3: the render took longer than its limit of 300 ms (a loop too long?)',
      line: 3,
    });
    // The outer loop or the inner one, as the clock ran out between their nodes or within the inner one.
    assert.ok(column === 1 || column === 27, JSON.stringify(column));
    assert.ok(performance.now() - started < 1500, 'the first page that runs out of time ends the trial');
  });

  test('a trial on the pages given: a template fine on an empty model that fails on a real one is refused', () => {
    const source =
      "{% layout 'layout' %}{% block main %}\n{% for i in (1..article.count) %}\n{% for j in (1..article.count) %}{% endfor %}{% endfor %}{% endblock %}";
    assert.equal(refusal('article', source), null);
    const model = { article: { count: 30_000_000 } };
    assert.deepEqual(refusal('article', source, { pages: [{ template: 'article', model }] }), {
      code: 'THEME_TEMPLATE_ERROR',
      zh: 'article.liquid 第 2 行：渲染占用的内存超过上限',
      en: 'article.liquid line 2: the render used more memory than its limit',
      line: 2,
      column: 1,
    });
  });

  test('the site’s other templates are checked with it: a partial one of them needs must stay', () => {
    const others = { footer: "<footer>{% render 'breadcrumb', breadcrumb: site.trail %}</footer>" };
    assert.equal(refusal('breadcrumb', '<nav>{{ breadcrumb.size }}</nav>', { others }), null);
    assert.equal(
      refusal('breadcrumb', '<nav>{{ breadcrumb | nope }}</nav>', { others })?.zh,
      'breadcrumb.liquid 第 1 行：未知的过滤器 "nope"',
    );
  });

  test('a template over the size limit is refused at line 1', () => {
    assert.deepEqual(refusal('footer', 'x'.repeat(200_001)), {
      code: 'THEME_TEMPLATE_ERROR',
      zh: 'footer.liquid 第 1 行：模板超过 200000 个字符的上限',
      en: 'footer.liquid line 1: the template is over the limit of 200000 characters',
      line: 1,
      column: 1,
    });
  });

  test('the page templates, and the pages a trial renders for a template', () => {
    assert.deepEqual(pageTemplates(files), [
      'article',
      'channel',
      'consultation',
      'consultation-received',
      'consultations',
      'disclosure-catalogue',
      'error',
      'home',
      'info-request-follow',
      'info-request-form',
      'letter',
      'letter-follow',
      'letter-form',
      'letter-stats',
      'letters',
      'library',
      'page',
      'search',
      'site-map',
      'survey',
      'survey-thanks',
      'surveys',
    ]);
    assert.deepEqual(trialPages(THEME, 'blocks/headline', {}), ['home']);
    assert.deepEqual(trialPages(THEME, 'disclosure', {}), ['article']);
    assert.deepEqual(trialPages(THEME, 'article', {}), ['article']);
    // A template the site's own article brings in: its pages are the article pages.
    assert.deepEqual(trialPages(THEME, 'blocks/links', { article: "{% render 'blocks/links' %}" }), [
      'article',
      'home',
    ]);
  });
});
