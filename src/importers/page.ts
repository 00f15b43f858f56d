/** What every importer makes of one page, before it is stored. */
export interface ImportedPage {
  /** Column names from the top level down, as the page's breadcrumb names them. */
  readonly columns: readonly string[];
  /** The line that named the columns (the breadcrumb), for reports about them. */
  readonly columnsLine: number | null;
  readonly title: string;
  readonly subtitle: string;
  /** null: the site itself (本站). */
  readonly source: string | null;
  readonly author: string;
  readonly responsibleEditor: string;
  readonly publishedAt: Date;
  /** Safe HTML: escaped text for the text format, sanitised markup for HTML pages. */
  readonly bodyHtml: string;
  readonly keywords: string;
}
