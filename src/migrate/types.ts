// What the parts of a site migration hand each other: the source's bytes, a page's analysis, an
// extracted article. Plain data, no I/O.

/** The CMS families whose pages Gazette knows; `generic` is the fallback extractor. */
export const CMS_FAMILIES = ['trs', 'hanweb', 'ucap', 'generic'] as const;
export type CmsFamily = (typeof CMS_FAMILIES)[number];

/** One answer from the source: a live site over HTTP, or a saved copy (a wget mirror) on disk. */
export interface Fetched {
  /** The URL asked for, absolute, with its query string. */
  readonly url: string;
  /** The URL the bytes came from after redirects within the source's host (same as `url` when none). */
  readonly finalUrl: string;
  readonly status: number;
  /** The Content-Type header (null for a saved copy: the file's extension decides). */
  readonly contentType: string | null;
  readonly bytes: Buffer;
}

/** A page's text, or why it could not be read as text. */
export type DecodedPage =
  | { readonly ok: true; readonly text: string; readonly charset: string }
  | { readonly ok: false; readonly reason: string };

/** What a link on a page leads to, as far as the page and the URL's shape tell. */
export type LinkRole =
  /** A column's list page (or a further page of one). */
  | 'list'
  /** An article page. */
  | 'article'
  /** A downloadable file: .doc/.docx/.wps/.pdf/.xls/.xlsx/.ofd/.zip, or a download gateway. */
  | 'file'
  /** Any other page of the site worth visiting (home, site map, navigation). */
  | 'page';

export interface DiscoveredLink {
  /** Absolute URL on the source's host, without the fragment. */
  readonly url: string;
  readonly role: LinkRole;
  /** The link's text (for files: the name they are kept under). */
  readonly text: string;
}

/** One step of the breadcrumb (当前位置), top first, 首页 left out. */
export interface CrumbStep {
  readonly name: string;
  /** Absolute URL of the column's list page, when the step is a link. */
  readonly url: string | null;
}

export interface ExtractedFile {
  /** Absolute URL of the file (through a download gateway when the page links so). */
  readonly url: string;
  /** The name the file is kept under: the link's text, with the file's extension. */
  readonly name: string;
}

export interface ExtractedImage {
  readonly url: string;
  readonly alt: string;
}

/** 信息公开 metadata read from a page's 索引号 table. */
export interface ExtractedDisclosure {
  readonly indexNo: string;
  /** 发布机构. */
  readonly organization: string;
  /** 文号 ('' when none). */
  readonly documentNo: string;
  /** 成文日期 as YYYY-MM-DD, or null. */
  readonly writtenOn: string | null;
  /** 主题分类 ('' when none). */
  readonly topic: string;
}

export interface ExtractedArticle {
  readonly title: string;
  readonly subtitle: string;
  /** 来源; null when the page names none or names the site itself. */
  readonly source: string | null;
  readonly author: string;
  /** 发布时间 as the page writes it (local time of the site), parsed by the caller. */
  readonly publishedAtText: string | null;
  /** The body's markup, cleaned (widgets, styles and Flash dropped, indents normalised), not yet sanitised. */
  readonly bodyHtml: string;
  readonly breadcrumb: readonly CrumbStep[];
  readonly attachments: readonly ExtractedFile[];
  readonly images: readonly ExtractedImage[];
  readonly disclosure: ExtractedDisclosure | null;
  /** Absolute URLs of the article's further pages (`t…_1.html`, `_2.html`), in order. */
  readonly continuations: readonly string[];
}

/** Why a page is not content, when it is not. */
export type PageProblem =
  | { readonly kind: 'challenge'; readonly reason: string }
  | { readonly kind: 'login'; readonly reason: string }
  | { readonly kind: 'error'; readonly reason: string }
  | { readonly kind: 'no-body'; readonly reason: string };

/** Everything a migration learns from one page. */
export interface PageAnalysis {
  readonly family: CmsFamily;
  /** What the page is: an article, a column's list page, or any other page (home, site map…). */
  readonly kind: 'article' | 'list' | 'other';
  readonly links: readonly DiscoveredLink[];
  /** For an article page: what it holds, or null with `problem` set when it holds nothing usable. */
  readonly article: ExtractedArticle | null;
  readonly problem: PageProblem | null;
  /** For a list page: the column as its own breadcrumb or title names it. */
  readonly listColumn: readonly CrumbStep[] | null;
}
