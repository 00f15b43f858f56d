// Attachments and images of an article: the files its body links (directly or through a download
// gateway) and those in the 附件 block right after the body; every image the body shows.
import { findAll, nextElementSibling } from 'domutils';
import { isTag, type AnyNode, type Element } from 'domhandler';
import type { ExtractedFile, ExtractedImage } from '../types.js';
import { absoluteUrl, flatText, leadingText } from './dom.js';

const FILE_EXTENSION = /\.(docx?|wps|pdf|xlsx?|ofd|zip|rar|txt)$/i;
/** Download gateways of the common CMSs: the file's name, if any, is in the query. */
const GATEWAY = /download\.jsp\?|\/module\/download\/downfile\.jsp\?|download\.aspx\?/i;
const ATTACHMENT_HINT = /attach|fujian|appendix|(?:^|[-_])(?:fj|xgfj|files?|downloads?)(?:[-_]|$)/i;
/** How many blocks after the body may still be its 附件 block. */
const BLOCKS_AFTER_BODY = 3;

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The file name a URL carries: a query value with a file extension (filename=…), else the path's last part. */
function fileNameOf(url: URL): string {
  for (const value of url.searchParams.values()) {
    const name = value.split(/[\\/]/).pop() ?? '';
    if (FILE_EXTENSION.test(name)) return name;
  }
  return decoded(url.pathname.split('/').pop() ?? '');
}

/** Whether an absolute URL is a downloadable file: by extension, or through a download gateway. */
export function isFileUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return FILE_EXTENSION.test(decoded(parsed.pathname)) || GATEWAY.test(url) || FILE_EXTENSION.test(fileNameOf(parsed));
}

/** A link as an attachment: its text as the name, with the file's extension when the text lacks it. */
export function fileFromLink(url: string, text: string): ExtractedFile {
  const fileName = fileNameOf(new URL(url));
  const extension = FILE_EXTENSION.exec(fileName)?.[0] ?? '';
  const name = text.trim();
  if (name === '') return { url, name: fileName };
  const hasExtension = extension !== '' && name.toLowerCase().endsWith(extension.toLowerCase());
  return { url, name: extension === '' || hasExtension ? name : `${name}${extension.toLowerCase()}` };
}

/** The blocks right after the body that are its 附件 block (a class saying so, or the word 附件). */
function attachmentBlocks(body: readonly AnyNode[]): Element[] {
  let anchor: AnyNode | null = body[body.length - 1] ?? null;
  for (let level = 0; level < 2 && anchor; level++) {
    const blocks: Element[] = [];
    let sibling = nextElementSibling(anchor);
    for (let n = 0; sibling && n < BLOCKS_AFTER_BODY; n++, sibling = nextElementSibling(sibling)) {
      const hinted = `${sibling.attribs.class ?? ''} ${sibling.attribs.id ?? ''}`
        .split(/\s+/)
        .some((token) => ATTACHMENT_HINT.test(token));
      if (hinted || leadingText([sibling], 20).includes('附件')) blocks.push(sibling);
    }
    if (blocks.length > 0) return blocks;
    anchor = anchor.parent && isTag(anchor.parent) ? anchor.parent : null;
  }
  return [];
}

/**
 * The files linked from the cleaned body (its links already absolute) and from the 附件 block
 * after the original body, each URL once, in page order.
 */
export function attachmentsOf(
  cleanBody: readonly AnyNode[],
  body: readonly AnyNode[],
  pageUrl: string,
): ExtractedFile[] {
  const files = new Map<string, ExtractedFile>();
  const collect = (nodes: readonly AnyNode[]) => {
    for (const link of findAll((el) => el.name === 'a', nodes as AnyNode[])) {
      const url = absoluteUrl(link.attribs.href, pageUrl);
      if (url && !files.has(url) && isFileUrl(url)) files.set(url, fileFromLink(url, flatText([link])));
    }
  };
  collect(cleanBody);
  collect(attachmentBlocks(body));
  return [...files.values()];
}

/** Every image the body shows (absolute web addresses), each once; alt '' when the page gives none. */
export function imagesOf(cleanBody: readonly AnyNode[], pageUrl: string): ExtractedImage[] {
  const images = new Map<string, ExtractedImage>();
  for (const img of findAll((el) => el.name === 'img', cleanBody as AnyNode[])) {
    const url = absoluteUrl(img.attribs.src, pageUrl);
    if (url && /^https?:/i.test(url) && !images.has(url)) images.set(url, { url, alt: img.attribs.alt?.trim() ?? '' });
  }
  return [...images.values()];
}
