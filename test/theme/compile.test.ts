import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_THEME_DIR, compiledThemeEngine, loadTheme, themeEngine, themeFiles } from '../../src/theme/index.js';
import { templateFileSystem } from '../../src/theme/files.js';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A theme folder holding these templates (name → text). */
function themeWith(templates: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-compile-'));
  dirs.push(dir);
  fs.mkdirSync(path.join(dir, 'templates'));
  for (const [name, text] of Object.entries(templates))
    fs.writeFileSync(path.join(dir, 'templates', `${name}.liquid`), text);
  return dir;
}

/** Renders one template with the compiled engine and with LiquidJS itself; both outputs. */
function bothWays(templates: Record<string, string>, model: object, name = 'page') {
  const dir = themeWith(templates);
  const { engine, compiler } = compiledThemeEngine(dir);
  // A fresh copy each time: {% increment %} counts in the model itself.
  const compiled = engine.renderFileSync(name, structuredClone(model)) as string;
  // Twice: the first render of a file runs on what the parser gave, later ones on the compiled list.
  assert.equal(
    engine.renderFileSync(name, structuredClone(model)),
    compiled,
    'the second render gives the first one’s output',
  );
  return { compiled, interpreted: themeEngine(dir).renderFileSync(name, structuredClone(model)) as string, compiler };
}

const MODEL = {
  title: '通知<公告> & "引号"',
  empty: '',
  zero: 0,
  no: false,
  nothing: null,
  list: [
    { name: 'a', url: '/a/' },
    { name: 'b<', url: '/b/' },
    { name: 'c', url: '/c/' },
  ],
  none: [],
  object: { x: 1, y: 'two' },
  nested: { deep: { value: 'v', list: [1, 2, 3] } },
  key: 'deep',
  html: '<p class="indent">正文</p>',
  count: 25,
};

/** Templates in every form the compiler handles, and some it leaves to LiquidJS inside compiled ones. */
const CASES: Record<string, string> = {
  outputs:
    '{{ title }}|{{ title | raw }}|{{ html | raw }}|{{ missing }}|{{ nothing }}|{{ zero }}|{{ no }}|{{ list }}|{{ object }}',
  filters:
    '{{ title | upcase }}|{{ title | truncate: 4 }}|{{ missing | default: "无" }}|{{ count | plus: 5 | times: 2 }}|{{ list | map: "name" | join: "," }}|{{ title | replace: "通知", "公告" | raw }}',
  properties:
    '{{ nested.deep.value }}|{{ nested["deep"].value }}|{{ nested[key].list.size }}|{{ list[1].name }}|{{ list.first.url }}|{{ list.last.name }}|{{ list.size }}|{{ title.size }}|{{ object.size }}|{{ missing.x.y }}|{{ "abc".size }}',
  conditions: [
    '{% if title %}t{% endif %}{% if empty %}e{% endif %}{% if zero %}z{% endif %}{% if no %}n{% else %}!n{% endif %}{% if nothing %}x{% elsif list.size > 2 %}big{% else %}small{% endif %}',
    '{% if empty == "" %}1{% endif %}{% if nothing == nil %}2{% endif %}{% if missing == nil %}3{% endif %}{% if empty == empty %}4{% endif %}{% if none == empty %}5{% endif %}{% if empty == blank %}6{% endif %}',
    '{% if count >= 25 and title contains "公告" %}7{% endif %}{% if count < 3 or list contains "a" %}8{% endif %}{% if zero != 0 %}9{% endif %}{% if list == list %}10{% endif %}{% if object.y == "two" %}11{% endif %}',
    '{% unless no %}u{% endunless %}{% case count %}{% when 25 %}c25{% else %}c?{% endcase %}',
  ].join(''),
  loops: [
    '{% for item in list %}[{{ forloop.index }}/{{ forloop.length }}{% if forloop.first %}F{% endif %}{% if forloop.last %}L{% endif %}{{ forloop.rindex0 }}:{{ item.name }}]{% endfor %}',
    '{% for item in none %}x{% else %}empty{% endfor %}{% for c in title %}<{{ c }}>{% endfor %}{% for pair in object %}{{ pair[0] }}={{ pair[1] }};{% endfor %}{% for n in (1..4) %}{{ n }}{% endfor %}',
    '{% for item in list %}{% for n in nested.deep.list %}{{ item.name }}{{ n }}{% if n == 2 %}{% break %}{% endif %}{% endfor %}{% if item.name == "a" %}{% continue %}{% endif %}-{% endfor %}',
    '{% for item in list limit: 2 %}{{ item.name }}{% endfor %}|{% for item in list offset: continue %}{{ item.name }}{% endfor %}|{% for item in list reversed %}{{ item.name }}{% endfor %}',
    '{% for item in list %}{{ forloop }}{% endfor %}',
  ].join('|'),
  assigns:
    '{% assign t = title | append: "!" %}{{ t }}{% capture c %}[{{ count }}]{% endcapture %}{{ c }}{% for item in list %}{% assign last = item.name %}{% endfor %}{{ last }}{% increment n %}{% increment n %}{% cycle "x", "y" %}{% cycle "x", "y" %}',
  partials:
    "{% render 'part', item: list[1], label: 'L' %}{% render 'part' %}{% render_cached 'part', item: list[0], label: title %}{% render_cached 'part', item: list[0], label: title %}{% include 'part' %}{% render 'part' for list as item %}",
  part: '({{ label }}:{{ item.name }}:{{ title }})',
  layout: "{% layout 'frame', kind: 'k' %}{% block main %}<main>{{ title }}{{ block.super }}</main>{% endblock %}",
  frame:
    '<html>{{ kind }}{% block main %}default{% endblock %}{% block side %}<aside>{{ count }}</aside>{% endblock %}</html>',
  comments: 'a{% comment %}{{ hidden }}{% endcomment %}b{%- # inline -%}c {{- title -}} d',
};

describe('compiled templates', () => {
  for (const name of Object.keys(CASES).filter((n) => n !== 'part' && n !== 'frame')) {
    test(`${name}: the same output as LiquidJS`, () => {
      const { compiled, interpreted } = bothWays(CASES, MODEL, name);
      assert.equal(compiled, interpreted);
    });
  }

  test('exact outputs, compiled: escaping, lookups, loops, break and continue', () => {
    const outputs = bothWays(CASES, MODEL, 'outputs').compiled;
    assert.equal(
      outputs,
      '通知&lt;公告&gt; &amp; &#34;引号&#34;|通知<公告> & "引号"|<p class="indent">正文</p>|||0|false|[object Object][object Object][object Object]|[object Object]',
    );
    assert.equal(bothWays(CASES, MODEL, 'properties').compiled, 'v|v|3|b&lt;|/a/|c|3|13|2||3');
    const loops = bothWays(CASES, MODEL, 'loops').compiled.split('|');
    assert.equal(loops[0], '[1/3F2:a][2/31:b&lt;][3/3L0:c]');
    assert.equal(loops[1], 'empty<通知&lt;公告&gt; &amp; &#34;引号&#34;>x=1;y=two;1234');
    assert.equal(loops[2], 'a1a2b&lt;1b&lt;2-c1c2-');
    assert.deepEqual(loops.slice(3, 6), ['ab&lt;', 'c', 'cb&lt;a']);
    assert.equal(
      bothWays(CASES, MODEL, 'layout').compiled,
      '<html>k<main>通知&lt;公告&gt; &amp; &#34;引号&#34;default</main><aside>25</aside></html>',
    );
  });

  test("under a render time limit (a site's own templates) every case compiles to LiquidJS's output", () => {
    const dir = themeWith(CASES);
    const site = templateFileSystem(themeFiles(dir), {});
    const { engine, compiler } = compiledThemeEngine(dir, site);
    const liquid = themeEngine(dir, true, site);
    for (const name of Object.keys(CASES).filter((n) => n !== 'part' && n !== 'frame')) {
      const compiled = engine.renderFileSync(name, structuredClone(MODEL)) as string;
      assert.equal(engine.renderFileSync(name, structuredClone(MODEL)), compiled, name);
      assert.equal(compiled, liquid.renderFileSync(name, structuredClone(MODEL)), name);
    }
    assert.ok(compiler.compiled > 50, `${compiler.compiled} nodes compiled`);
  });

  test('the default theme is compiled but for its layout and blocks', () => {
    const { engine, compiler } = compiledThemeEngine(DEFAULT_THEME_DIR);
    for (const name of ['home', 'channel', 'article', 'page', 'error', 'search', 'disclosure-catalogue'])
      engine.parseFileSync(name);
    assert.deepEqual([...new Set(compiler.interpreted)].sort(), ['block', 'layout']);
    assert.ok(compiler.compiled > 300, `${compiler.compiled} nodes compiled`);
  });

  test('a compiled render that throws is done again by LiquidJS, whose error says where', () => {
    const theme = loadTheme(themeWith({ home: '<p>\n{{ site.name }}{{ site.boom }}</p>' }));
    const site = {
      name: '示范区',
      get boom(): string {
        throw new RangeError('the model broke');
      },
    };
    assert.throws(
      () => theme.render('home', { site }),
      (error: Error) => error.name === 'UndefinedVariableError' && error.message === 'the model broke, line:2, col:19',
    );
    assert.equal(theme.render('home', { site: { name: '示范区', boom: '!' } }), '<p>\n示范区!</p>');
  });
});
