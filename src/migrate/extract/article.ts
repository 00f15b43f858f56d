// One article page to an ExtractedArticle: the body from the first place that holds content, the
// fields around it, and what hangs off it (attachments, images, 索引号 block, further pages).
import { existsOne } from 'domutils';
import type { Document } from 'domhandler';
import type { CmsFamily, ExtractedArticle, PageProblem } from '../types.js';
import { bodyCandidates, type BodyPick } from './body.js';
import { cleanBody, type CleanBody } from './clean.js';
import { readBreadcrumb } from './crumbs.js';
import { findDisclosureBlock, readDisclosure } from './disclosure.js';
import { readFields } from './fields.js';
import { attachmentsOf, imagesOf } from './files.js';
import { continuationsOf } from './continuations.js';
import { leadingText } from './dom.js';
import { pageIndex } from './page.js';

/** Whether a cleaned body holds anything a reader would see: text, or at least an image. */
function holdsContent(body: CleanBody): boolean {
  return leadingText(body.fragment.children, 1) !== '' || existsOne((el) => el.name === 'img', body.fragment.children);
}

function firstBody(doc: Document, url: string, family: CmsFamily): { pick: BodyPick; clean: CleanBody } | null {
  for (const pick of bodyCandidates(doc, family)) {
    const clean = cleanBody(pick.nodes, url, pick.byDensity);
    if (holdsContent(clean)) return { pick, clean };
  }
  return null;
}

export function extractArticle(doc: Document, url: string, family: CmsFamily): ExtractedArticle | PageProblem {
  const body = firstBody(doc, url, family);
  if (!body) return { kind: 'no-body', reason: 'no article body found on the page' };
  const fields = readFields(doc, body.pick.place, body.pick.byDensity);
  const disclosureBlock = findDisclosureBlock(pageIndex(doc).elements);
  return {
    ...fields,
    bodyHtml: body.clean.html,
    breadcrumb: readBreadcrumb(doc, url, family),
    attachments: attachmentsOf(body.clean.fragment.children, body.pick.place, url),
    images: imagesOf(body.clean.fragment.children, url),
    disclosure: disclosureBlock ? readDisclosure(disclosureBlock) : null,
    continuations: continuationsOf(doc, url, family),
  };
}
