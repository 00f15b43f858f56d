// Turns HTML pasted from Word or WPS into plain semantic HTML: paragraphs, headings, lists, tables,
// emphasis, links, images. Office markup (conditional comments, <o:p>, mso-* styles, font and span
// wrappers, classes) would otherwise end up in published pages. Pure: string in, string out.

const KEEP = new Set([
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'strong',
  'em',
  'ul',
  'ol',
  'li',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'a',
  'img',
  'br',
]);
const RENAME: Record<string, string> = { b: 'strong', i: 'em' };
/** Dropped with everything inside them. */
const DROP = new Set([
  'style',
  'script',
  'meta',
  'link',
  'title',
  'xml',
  'head',
  'noscript',
  'template',
  'iframe',
  'object',
  'embed',
  'svg',
  'math',
  'button',
  'input',
  'select',
  'textarea',
  'form',
]);
/** Block wrappers that are not kept: their loose text becomes paragraphs so lines do not run together. */
const BLOCKISH = new Set([
  'div',
  'section',
  'article',
  'main',
  'header',
  'footer',
  'aside',
  'center',
  'blockquote',
  'figure',
  'figcaption',
  'address',
  'pre',
  'dl',
  'dt',
  'dd',
  'nav',
]);
const BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'table']);
/** Where whitespace between tags means nothing. */
const STRUCTURAL = new Set(['ul', 'ol', 'table', 'thead', 'tbody', 'tr']);
const CJK = /[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/;
const SAFE_HREF = /^(https?:|mailto:|tel:|\/|\.{1,2}\/|[\w-]+\.[\w.-]+\/?)/i;
const SAFE_SRC = /^(https?:\/\/|\/)/i;

export function cleanPastedHtml(html: string): string {
  // Word's downlevel-hidden blocks (<!--[if gte mso 9]><xml>…<![endif]-->) hold only Office data.
  const source = html.replace(/<!--\[if[^\]]*\](?!><!--)[\s\S]*?<!\[endif\]-->/gi, '');
  const doc = new DOMParser().parseFromString(source, 'text/html');
  convertWordLists(doc);
  const root = doc.createElement('div');
  cleanChildren(doc.body, root, root);
  removeEmpty(root);
  return root.innerHTML;
}

function cleanChildren(from: Node, to: Element, root: Element): void {
  for (const child of Array.from(from.childNodes)) cleanNode(child, to, root);
}

function cleanNode(node: Node, to: Element, root: Element): void {
  if (node.nodeType === Node.TEXT_NODE) return appendText(node.textContent ?? '', to, root);
  if (node.nodeType !== Node.ELEMENT_NODE) return; // comments, including conditional ones
  const element = node as Element;
  const tag = element.localName.toLowerCase();
  if (tag.includes(':') || DROP.has(tag)) return; // <o:p>, <v:shape>, <w:…>, <style>, …
  const name = RENAME[tag] ?? tag;
  if (KEEP.has(name)) {
    const copy = cleanCopy(element, name);
    // An <a> without a usable href keeps its text; an unloadable <img> disappears.
    if (!copy) return cleanChildren(element, to, root);
    if (name !== 'br' && name !== 'img') cleanChildren(element, copy, root);
    to.appendChild(copy);
    return;
  }
  if (BLOCKISH.has(tag) && isBlockContext(to, root)) return appendAsParagraphs(element, to);
  cleanChildren(element, to, root); // <span>, <font>, <u>, <tfoot>, …: unwrap, keep the content
}

/** A fresh element without style, class or any attribute except the few that carry meaning. */
function cleanCopy(element: Element, name: string): Element | null {
  const copy = element.ownerDocument.createElement(name);
  if (name === 'a') {
    const href = element.getAttribute('href')?.trim() ?? '';
    if (!SAFE_HREF.test(href)) return null;
    copy.setAttribute('href', href);
  } else if (name === 'img') {
    const src = element.getAttribute('src')?.trim() ?? '';
    // file:///C:/…/clip_image001.png from Word cannot be loaded by anyone else; leave it out.
    if (!SAFE_SRC.test(src)) return null;
    copy.setAttribute('src', src);
    copy.setAttribute('alt', element.getAttribute('alt') ?? '');
  } else if (name === 'td' || name === 'th') {
    for (const attribute of ['colspan', 'rowspan']) {
      const value = element.getAttribute(attribute);
      if (value && /^[2-9]\d*$|^1\d+$/.test(value)) copy.setAttribute(attribute, value);
    }
  }
  return copy;
}

function isBlockContext(to: Element, root: Element): boolean {
  return to === root || ['li', 'td', 'th'].includes(to.localName);
}

function appendText(text: string, to: Element, root: Element): void {
  // Word wraps its HTML source at ~80 columns; a line break between two Chinese characters is not a space.
  const joined = text.replace(/[ \t]*[\r\n]+[ \t]*/g, (match, offset: number, whole: string) => {
    const before = whole.charAt(offset - 1);
    const after = whole.charAt(offset + match.length);
    return CJK.test(before) && CJK.test(after) ? '' : ' ';
  });
  const blank = /^[\s\u00a0]*$/.test(joined);
  if (blank && (to === root || STRUCTURAL.has(to.localName))) return;
  if (joined) to.appendChild(to.ownerDocument.createTextNode(joined));
}

function appendAsParagraphs(element: Element, to: Element): void {
  const holder = element.ownerDocument.createElement('div');
  cleanChildren(element, holder, holder);
  let paragraph: Element | null = null;
  for (const child of Array.from(holder.childNodes)) {
    if (child instanceof Element && BLOCKS.has(child.localName)) {
      paragraph = null;
      to.appendChild(child);
      continue;
    }
    if (!paragraph) {
      paragraph = element.ownerDocument.createElement('p');
      to.appendChild(paragraph);
    }
    paragraph.appendChild(child);
  }
}

function removeEmpty(root: Element): void {
  const isEmpty = (el: Element) =>
    !el.querySelector('img') && (el.textContent ?? '').replace(/[\s\u00a0\u3000\u200b]/g, '') === '';
  for (const el of Array.from(root.querySelectorAll('strong, em, a')).reverse()) {
    if (isEmpty(el)) el.replaceWith(...Array.from(el.childNodes));
  }
  for (const el of Array.from(root.querySelectorAll('p, h1, h2, h3, h4, h5, h6'))) {
    if (isEmpty(el)) el.remove();
  }
}

// ---- Word's lists: paragraphs styled mso-list:l0 level1 with a typed marker ("1." or "·") ----

const ORDERED_MARKER = /^[(（]?([0-9]+|[a-zA-Z]|[ivxlcdmIVXLCDM]+|[一二三四五六七八九十百]+)[.)）、．]/;

function listLevel(element: Element): number | null {
  const style = element.getAttribute('style') ?? '';
  const m = /mso-list:\s*l\d+\s+level(\d+)/i.exec(style);
  return m ? Number(m[1]) : null;
}

function findComment(root: Element, pattern: RegExp): Node | null {
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_COMMENT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (pattern.test(node.textContent ?? '')) return node;
  }
  return null;
}

const isEndif = (node: Node) => node.nodeType === Node.COMMENT_NODE && /^\[endif\]/.test(node.textContent ?? '');

/** Removes the typed marker (inside <![if !supportLists]> … <![endif]> or a mso-list:Ignore span) and returns its text. */
function takeMarker(paragraph: Element): string {
  let marker = '';
  const start = findComment(paragraph, /^\[if !supportLists\]/);
  for (let node = start?.nextSibling ?? null; node && !isEndif(node);) {
    const next: ChildNode | null = node.nextSibling;
    marker += node.textContent ?? '';
    node.remove();
    node = next;
  }
  for (const ignored of Array.from(paragraph.querySelectorAll('[style*="mso-list:Ignore" i]'))) {
    marker += ignored.textContent ?? '';
    ignored.remove();
  }
  return marker.replace(/[\s\u00a0]+/g, ' ').trim();
}

function convertWordLists(doc: Document): void {
  const stack: { list: Element; level: number }[] = [];
  let previous: Element | null = null;
  for (const paragraph of Array.from(doc.body.querySelectorAll('p, h1, h2, h3, h4, h5, h6'))) {
    const level = listLevel(paragraph);
    if (level === null) continue;
    // Word puts newlines between paragraphs; nextElementSibling skips them. A gap starts a new list.
    if (!previous || previous.nextElementSibling !== paragraph) stack.length = 0;
    const ordered = ORDERED_MARKER.test(takeMarker(paragraph));
    const item = doc.createElement('li');
    item.append(...Array.from(paragraph.childNodes));
    while (stack.length > 0 && (stack.at(-1)?.level ?? 0) > level) stack.pop();
    let top = stack.at(-1);
    if (!top || top.level < level) {
      const list = doc.createElement(ordered ? 'ol' : 'ul');
      const parentItem = top?.list.lastElementChild;
      if (parentItem) parentItem.appendChild(list);
      else paragraph.before(list);
      top = { list, level };
      stack.push(top);
    }
    top.list.appendChild(item);
    previous = paragraph;
    // Keep the emptied paragraph until the next one is checked for adjacency, then remove it.
    paragraph.replaceChildren();
    paragraph.setAttribute('data-gz-list-done', '');
  }
  for (const done of Array.from(doc.querySelectorAll('[data-gz-list-done]'))) done.remove();
}

/**
 * The editor's own HTML, minus what TipTap's table view adds for layout (<colgroup> and
 * min-width styles): the stored body stays plain semantic HTML, like pasted content.
 */
export function tidyEditorHtml(html: string): string {
  if (!html.includes('<table')) return html;
  const doc = new DOMParser().parseFromString(html, 'text/html');
  for (const group of Array.from(doc.body.querySelectorAll('colgroup'))) group.remove();
  for (const el of Array.from(doc.body.querySelectorAll('table, th, td'))) el.removeAttribute('style');
  return doc.body.innerHTML;
}
