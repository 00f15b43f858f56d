import { test } from 'node:test';
import fc from 'fast-check';
import { anyText, fuzzRuns } from '../helpers/fuzz.js';
import { clean } from '../helpers/harmless.js';

// Generated hostile HTML (fast-check: a fixed seed in npm test, a random one in npm run fuzz).

const TAGS = [
  'p',
  'a',
  'img',
  'div',
  'span',
  'table',
  'td',
  'h1',
  'font',
  'script',
  'style',
  'svg',
  'math',
  'iframe',
  'object',
  'embed',
  'form',
  'input',
  'button',
  'template',
  'noscript',
  'textarea',
  'xmp',
  'meta',
  'base',
  'link',
  'details',
  'video',
  'o:p',
];
const ATTRIBUTES = [
  'href',
  'src',
  'alt',
  'title',
  'class',
  'style',
  'onerror',
  'onclick',
  'OnLoad',
  'srcset',
  'formaction',
  'action',
  'xlink:href',
  'background',
  'colspan',
  'start',
  'data-x',
];
const SCHEMES = [
  'javascript:',
  'JaVaScRiPt:',
  'vbscript:',
  'data:text/html,',
  'data:text/html;base64,',
  'data:image/png;base64,',
  'data:image/svg+xml,',
  'http://',
  'https://',
  'mailto:',
  'tel:',
  '//',
  'ftp://',
  ' javascript:',
  '\u0001javascript:',
  'java\tscript:',
  'java\nscript:',
  '',
];
const PAYLOADS = [
  'alert(1)',
  'evil.example/x',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'expression(alert(1))',
  'url(javascript:alert(1))',
  '政府网站',
  '',
];

/** A character as it might be spelled in an attribute: itself, or a decimal, hexadecimal or named entity. */
const spelled = (c: string) =>
  fc.constantFrom(
    c,
    `&#${c.codePointAt(0)};`,
    `&#x${(c.codePointAt(0) ?? 0).toString(16)};`,
    `&#0000${c.codePointAt(0)}`,
    c === ':' ? '&colon;' : c === '\t' ? '&Tab;' : c,
  );
const disguised = (text: string) => fc.tuple(...[...text].map(spelled)).map((parts) => parts.join(''));
const attributeValue = fc.oneof(
  fc
    .tuple(fc.constantFrom(...SCHEMES), fc.constantFrom(...PAYLOADS))
    .chain(([scheme, payload]) => disguised(scheme).map((s) => s + payload)),
  fc.constantFrom(...PAYLOADS),
);
const attribute = fc
  .tuple(fc.constantFrom(...ATTRIBUTES), attributeValue, fc.constantFrom('"', "'", ''))
  .map(([name, value, quote]) =>
    quote === '' ? `${name}=${value.replace(/[\s>]/g, '')}` : `${name}=${quote}${value.split(quote).join('')}${quote}`,
  );
const { html: hostileHtml } = fc.letrec((tie) => ({
  html: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('text'),
    tie('element'),
    tie('junk'),
    fc.array(tie('html'), { maxLength: 4 }).map((parts) => parts.join('')),
  ),
  text: fc.constantFrom('正文', 'a < b', '&amp;', '&lt;script&gt;', '', ' '),
  junk: fc.constantFrom(
    '<!--',
    '-->',
    '<![CDATA[',
    ']]>',
    '<scr',
    'ipt>',
    '</',
    '<',
    '>',
    '"',
    '<!DOCTYPE html>',
    '<?xml?>',
  ),
  element: fc
    .tuple(fc.constantFrom(...TAGS), fc.array(attribute, { maxLength: 3 }), tie('html'), fc.boolean(), fc.boolean())
    .map(([tag, attributes, inner, close, upper]) => {
      const name = upper ? tag.toUpperCase() : tag;
      return `<${name}${attributes.map((a) => ` ${a}`).join('')}>${String(inner)}${close ? `</${name}>` : ''}`;
    }),
}));

test('generated hostile HTML: nothing that runs survives, and sanitising twice is sanitising once', () => {
  fc.assert(
    fc.property(hostileHtml, (input) => {
      clean(String(input));
    }),
    fuzzRuns(300),
  );
});

test('arbitrary text: the sanitiser answers, and its answer is a fixed point', () => {
  fc.assert(
    fc.property(anyText(400), (input) => {
      clean(input);
    }),
    fuzzRuns(300),
  );
});
