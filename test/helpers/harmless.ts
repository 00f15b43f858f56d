import assert from 'node:assert/strict';
import { parseDocument } from 'htmlparser2';
import { isTag, type AnyNode, type Element } from 'domhandler';
import { sanitizeBodyHtml } from '../../src/domain/index.js';

const ALLOWED_TAGS = new Set([
  'p',
  'br',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'strong',
  'b',
  'em',
  'i',
  'u',
  's',
  'sub',
  'sup',
  'blockquote',
  'ul',
  'ol',
  'li',
  'a',
  'img',
  'figure',
  'figcaption',
  'table',
  'caption',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
  'hr',
  'span',
  'div',
  'pre',
  'code',
]);
const SAFE_SCHEMES: Readonly<Record<string, readonly string[]>> = {
  href: ['http', 'https', 'mailto', 'tel'],
  src: ['http', 'https', 'data'],
};

export function elements(html: string): Element[] {
  const found: Element[] = [];
  const walk = (node: AnyNode) => {
    if (isTag(node)) {
      found.push(node);
      node.children.forEach(walk);
    } else if ('children' in node) {
      node.children.forEach(walk);
    }
  };
  parseDocument(html, { decodeEntities: true }).children.forEach(walk);
  return found;
}

/**
 * Reads the sanitised HTML as a browser would (entities decoded) and checks that nothing in it can
 * run: only allowed elements, no event handlers or styles, links and sources only by safe schemes.
 */
export function assertHarmless(output: string, input: string): void {
  const label = `${JSON.stringify(input)} → ${JSON.stringify(output)}`;
  for (const element of elements(output)) {
    assert.ok(ALLOWED_TAGS.has(element.name), `<${element.name}> survived: ${label}`);
    for (const [name, value] of Object.entries(element.attribs)) {
      assert.ok(!/^on/i.test(name), `${name} survived: ${label}`);
      assert.ok(
        !['style', 'srcset', 'formaction', 'action', 'xlink:href', 'background'].includes(name.toLowerCase()),
        `${name} survived: ${label}`,
      );
      const schemes = SAFE_SCHEMES[name];
      if (schemes) {
        // What a browser would make of it: control characters and spaces (U+0000 to U+0020) inside a
        // scheme are ignored.
        const squeezed = value
          .split('')
          .filter((c) => c > ' ')
          .join('')
          .toLowerCase();
        assert.ok(!squeezed.startsWith('//'), `protocol-relative ${name}: ${label}`);
        const scheme = /^([a-z][a-z0-9+.-]*):/.exec(squeezed)?.[1];
        if (scheme) assert.ok(schemes.includes(scheme), `${name} with ${scheme}: ${label}`);
      }
    }
  }
  // A second pass changes nothing: the output is a fixed point, not something that re-forms markup.
  assert.equal(sanitizeBodyHtml(output), output, `not stable: ${label}`);
}

/** The sanitised form of an input, checked harmless and stable. */
export function clean(input: string): string {
  const output = sanitizeBodyHtml(input);
  assertHarmless(output, input);
  return output;
}
