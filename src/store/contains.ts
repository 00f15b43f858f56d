import { sql, type RawBuilder } from 'kysely';

/**
 * `column LIKE '%text%'` with the text taken literally: its %, _ and \ cannot widen the match.
 * The same on SQLite and PostgreSQL (both honour ESCAPE); Chinese text has no case to fold.
 */
export function columnContains(column: string, text: string): RawBuilder<boolean> {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<boolean>`${sql.ref(column)} like ${pattern} escape '\\'`;
}
