// Which CMS wrote a page: the extractor to run first. Signals from the strongest to the weakest:
// what the page says it is (generator), the containers only one family writes, then URL shapes and
// paging scripts. Pages moved from one CMS to another keep the old body markup (a TRS_Editor
// inside Hanweb's comment markers), so the container of the outer CMS is looked for first.
import type { Document } from 'domhandler';
import type { CmsFamily } from '../types.js';
import { hasClass, hasId } from './dom.js';
import { pageIndex, type PageIndex } from './page.js';

const GENERATORS: readonly [RegExp, CmsFamily][] = [
  [/hanweb|大汉|jcms/i, 'hanweb'],
  [/ucap|开普/i, 'ucap'],
  [/\btrs\b|拓尔思|wcm/i, 'trs'],
];

export const HANWEB_BEGIN = 'ZJEG_RSS.content.begin';
export const HANWEB_END = 'ZJEG_RSS.content.end';

const TRS_ARTICLE_URL = /\/t\d{8}_\d+(?:_\d+)?\.s?html?$/i;
const HANWEB_URL = /\/(?:art\/\d{4}\/\d{1,2}\/\d{1,2}\/art_\d+_\d+|col\/col\d+\/index(?:_\d+)?)\.s?html?$/i;
const HANWEB_SCRIPT = /<datastore>|dataproxy\.jsp|\/module\/web\/jpage\//i;
const HANWEB_SCRIPT_SRC = /\/module\/jslib\//i;

function fromGenerator(page: PageIndex): CmsFamily | null {
  const declared = page.metas.get('generator') ?? '';
  for (const [pattern, family] of GENERATORS) if (pattern.test(declared)) return family;
  return null;
}

function fromContainers(page: PageIndex): CmsFamily | null {
  if (page.comments.some((c) => c.data.includes(HANWEB_BEGIN))) return 'hanweb';
  if (page.elements.some((el) => el.name === 'ucapcontent' || hasId(el, 'UCAP-CONTENT'))) return 'ucap';
  if (page.elements.some((el) => hasClass(el, 'TRS_Editor') || hasClass(el, 'CurrChnlCls'))) return 'trs';
  return null;
}

function fromUrlAndScripts(page: PageIndex, url: string): CmsFamily | null {
  const path = safePath(url);
  if (TRS_ARTICLE_URL.test(path)) return 'trs';
  if (HANWEB_URL.test(path)) return 'hanweb';
  if (HANWEB_SCRIPT.test(page.scripts)) return 'hanweb';
  if (/createPageHTML\s*\(/.test(page.scripts)) return 'trs';
  if (page.elements.some((el) => el.name === 'script' && HANWEB_SCRIPT_SRC.test(el.attribs.src ?? ''))) return 'hanweb';
  return null;
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}

export function detectFamily(doc: Document, url: string): CmsFamily {
  const page = pageIndex(doc);
  return fromGenerator(page) ?? fromContainers(page) ?? fromUrlAndScripts(page, url) ?? 'generic';
}
