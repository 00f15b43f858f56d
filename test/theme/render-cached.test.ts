import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Liquid } from 'liquidjs';
import { registerRenderCached } from '../../src/theme/index.js';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** An engine over these templates, with a filter that counts how often the partial is really rendered. */
function engineWith(templates: Record<string, string>): { engine: Liquid; renders: () => number } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-liquid-'));
  dirs.push(root);
  for (const [name, text] of Object.entries(templates)) fs.writeFileSync(path.join(root, `${name}.liquid`), text);
  const engine = new Liquid({ root, extname: '.liquid', outputEscape: 'escape', strictFilters: true, cache: true });
  let count = 0;
  engine.registerFilter('counted', (value: unknown) => {
    count++;
    return value;
  });
  registerRenderCached(engine);
  return { engine, renders: () => count };
}

const PART =
  '<nav>{% for item in items %}<a href="{{ item.url | counted }}"{% if item.current %} aria-current="true"{% endif %}>{{ item.name }}</a>{% endfor %}{{ kind }}</nav>';

test('render_cached gives what render gives, and renders a partial once per set of arguments', () => {
  const { engine, renders } = engineWith({
    part: PART,
    cached: "{% render_cached 'part', items: items, kind: kind %}",
    plain: "{% render 'part', items: items, kind: kind %}",
  });
  const items = [
    { url: '/bqdt/', name: '本区动态', current: true },
    { url: '/tzgg/', name: '通知<公告>', current: false },
  ];
  const expected = engine.renderFileSync('plain', { items, kind: 'article' }) as string;
  assert.equal(
    expected,
    '<nav><a href="/bqdt/" aria-current="true">本区动态</a><a href="/tzgg/">通知&lt;公告&gt;</a>article</nav>',
  );
  const before = renders();
  for (let i = 0; i < 5; i++) assert.equal(engine.renderFileSync('cached', { items, kind: 'article' }), expected);
  assert.equal(renders() - before, 2, 'two links rendered once, however many pages ask');
  // Other arguments (another current column, another page kind) are another rendering.
  const other = engine.renderFileSync('cached', {
    items: [{ ...items[0], current: false }, items[1]],
    kind: 'article',
  }) as string;
  assert.equal(other, '<nav><a href="/bqdt/">本区动态</a><a href="/tzgg/">通知&lt;公告&gt;</a>article</nav>');
  assert.equal(engine.renderFileSync('cached', { items, kind: 'home' }), expected.replace('article', 'home'));
  assert.equal(renders() - before, 6);
});

test('render_cached sees only its arguments, as render does', () => {
  const { engine } = engineWith({ part: '[{{ secret }}{{ given }}]', page: "{% render_cached 'part', given: 'x' %}" });
  assert.equal(engine.renderFileSync('page', { secret: 's' }), '[x]');
});

test('render_cached without a quoted partial name is refused where the template says it', () => {
  const { engine } = engineWith({ page: '{% render_cached part %}' });
  assert.throws(() => engine.renderFileSync('page', {}), /render_cached takes a quoted partial name first, not "part"/);
});
