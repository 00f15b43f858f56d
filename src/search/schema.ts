import { Type, type Static } from 'typebox';

/** What a search finds: a single-page column, or an item of a content type. */
export const SearchTypeSchema = Type.Union(
  [
    Type.Literal('article'),
    Type.Literal('page'),
    Type.Literal('policy'),
    Type.Literal('interpretation'),
    Type.Literal('guide'),
    Type.Literal('leader'),
    Type.Literal('organ'),
    Type.Literal('topic'),
  ],
  { description: 'page: a single-page column; else the content type of the item' },
);

/** What a search answers, described once: the TypeScript types, the API's response schema and its docs. */
export const SearchHitSchema = Type.Object({
  title: Type.String(),
  titleHtml: Type.String({ description: 'Escaped HTML, matches in <mark>' }),
  url: Type.String({ description: "URL path of the page; a sub-site's page, its full URL at that site's host" }),
  snippetHtml: Type.String({ description: 'Escaped HTML, matches in <mark>' }),
  publishedAt: Type.String({ format: 'date-time' }),
  date: Type.String({ description: 'Local date, YYYY-MM-DD' }),
  channel: Type.Object({ id: Type.Integer(), name: Type.String() }),
  contentType: SearchTypeSchema,
  site: Type.Optional(
    Type.Object(
      { id: Type.Integer(), name: Type.String() },
      { description: 'The sub-site the page is on (absent: this site)' },
    ),
  ),
});

export const SearchResultSchema = Type.Object({
  query: Type.String(),
  total: Type.Integer(),
  exact: Type.Boolean({
    description:
      "False when total is an estimate (约), on PostgreSQL only: a phrase with more than 200 pages that could hold it (counted from a sample of 200), or a term in at least 1,000 of the pages searched (the planner's estimate)",
  }),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  pages: Type.Integer(),
  hits: Type.Array(SearchHitSchema),
  didYouMean: Type.Union([Type.String(), Type.Null()], {
    description: 'A query that finds something, when this one found nothing',
  }),
});

export type SearchHit = Static<typeof SearchHitSchema>;
export type SearchResult = Static<typeof SearchResultSchema>;
