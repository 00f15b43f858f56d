// What a test mirror of an old government site is: its files, and what a migration of it must
// produce (the articles, the old list pages, the planted failures). Plain data.

/** One file of the old site, as its server sends it. */
export interface MirrorFile {
  /** URL path with its query string when it has one: '/xwzx/index.html', '/NewsView.aspx?NewsID=123'. */
  readonly path: string;
  readonly body: Buffer;
  readonly contentType: string;
  /** HTTP status (200 when absent). A wget copy keeps only the 200 answers. */
  readonly status?: number;
}

export interface ExpectedAttachment {
  /** The name the file must be kept under: the link's text, with the file's extension. */
  readonly name: string;
  readonly oldPath: string;
  readonly bytes: Buffer;
}

export interface ExpectedImage {
  readonly oldPath: string;
  readonly alt: string;
}

export interface ExpectedDisclosure {
  readonly indexNo: string;
  readonly organization: string;
  readonly documentNo: string;
  readonly writtenOn: string | null;
  readonly topic: string;
}

export interface ExpectedArticle {
  /** Every old URL path(+query) of the article: its page first, then its continuation pages. */
  readonly oldUrls: readonly string[];
  readonly title: string;
  readonly source: string | null;
  readonly author: string;
  /** Local time of the site (Asia/Shanghai), 'YYYY-MM-DD HH:mm'. */
  readonly publishedAt: string;
  /** Column names top-down, as the new site must have them. */
  readonly columns: readonly string[];
  /**
   * The text of the body's paragraphs in order, continuation pages' appended; paragraphs without
   * text (an image alone) are left out, full-width indents are not part of the text.
   */
  readonly bodyText: readonly string[];
  /** Files fetched into the media library (a file over the media limits is not: see failures). */
  readonly attachments: readonly ExpectedAttachment[];
  readonly images: readonly ExpectedImage[];
  readonly disclosure?: ExpectedDisclosure;
}

export interface PlantedFailure {
  readonly path: string;
  readonly kind: 'challenge' | 'no-body' | 'undecodable' | 'too-large' | 'broken-link';
}

export interface MirrorList {
  readonly oldPath: string;
  readonly columns: readonly string[];
}

export interface Mirror {
  readonly style: 'trs' | 'hanweb' | 'plain';
  readonly files: readonly MirrorFile[];
  readonly articles: readonly ExpectedArticle[];
  /**
   * Old list page paths as the site links them, and the column they belong to (each must 301 to
   * the column). A column linked both as `/x/` and `/x/index.html` has both.
   */
  readonly lists: readonly MirrorList[];
  readonly failures: readonly PlantedFailure[];
  /** Links inside bodies to pages of the site that are not migrated (stay as they are, listed in the report). */
  readonly externalLinks: readonly string[];
  /**
   * Hanweb's data proxy: the records of each column id (`<li>` markup, newest first) that
   * `serveMirror` answers a POST to /module/web/jpage/dataproxy.jsp from. Absent for other styles.
   */
  readonly dataProxy?: Readonly<Record<string, readonly string[]>>;
}

/** The path of Hanweb's data proxy (query: startrecord, endrecord, perpage; form: columnid…). */
export const DATA_PROXY_PATH = '/module/web/jpage/dataproxy.jsp';

/** The size the planted too-large file claims and streams: 60 MiB, over the 50 MiB attachment limit. */
export const TOO_LARGE_BYTES = 60 * 1024 * 1024;
