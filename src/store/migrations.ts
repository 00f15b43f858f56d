import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

/**
 * Versioned migrations, written once for both dialects with Kysely's schema builder. The only
 * dialect differences are the id and timestamp column types, decided here and nowhere else.
 */
function columnTypes(dialect: Dialect) {
  return {
    // SQLite has no timestamp type; ISO 8601 UTC text sorts in time order.
    timestamp: dialect === 'postgres' ? sql`timestamptz` : sql`text`,
  };
}

function initial(dialect: Dialect): Migration {
  const { timestamp } = columnTypes(dialect);
  const id = (db: Kysely<unknown>, table: string) =>
    dialect === 'postgres'
      ? db.schema.createTable(table).addColumn('id', 'serial', (c) => c.primaryKey())
      : db.schema.createTable(table).addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
  return {
    async up(db) {
      await id(db, 'site')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('domain', 'text', (c) => c.notNull())
        .addColumn('host_organization', 'text', (c) => c.notNull())
        .addColumn('site_code', 'text', (c) => c.notNull())
        .addColumn('icp_record', 'text', (c) => c.notNull())
        .addColumn('police_record', 'text', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('contact', 'text', (c) => c.notNull())
        .addColumn('time_zone', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('keywords', 'text', (c) => c.notNull())
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .addColumn('updated_at', timestamp, (c) => c.notNull())
        .execute();

      await id(db, 'channel')
        .addColumn('site_id', 'integer', (c) => c.notNull().references('site.id').onDelete('cascade'))
        .addColumn('parent_id', 'integer', (c) => c.references('channel.id').onDelete('restrict'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('slug', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('list', 'page', 'link')`))
        .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('keywords', 'text', (c) => c.notNull())
        .addColumn('link_url', 'text')
        .addColumn('body_html', 'text')
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .addColumn('updated_at', timestamp, (c) => c.notNull())
        .execute();
      // Sibling slugs are unique (a URL names one channel); top-level rows have a null parent,
      // which unique indexes treat as distinct, so they get an index of their own.
      await db.schema.createIndex('channel_sibling_slug').on('channel').columns(['site_id', 'parent_id', 'slug']).unique().execute();
      await db.schema
        .createIndex('channel_root_slug')
        .on('channel')
        .columns(['site_id', 'slug'])
        .where(sql.ref('parent_id'), 'is', null)
        .unique()
        .execute();

      await id(db, 'article')
        .addColumn('site_id', 'integer', (c) => c.notNull().references('site.id').onDelete('cascade'))
        .addColumn('channel_id', 'integer', (c) => c.notNull().references('channel.id').onDelete('restrict'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('subtitle', 'text', (c) => c.notNull())
        .addColumn('source', 'text')
        .addColumn('author', 'text', (c) => c.notNull())
        .addColumn('responsible_editor', 'text', (c) => c.notNull())
        .addColumn('published_at', timestamp)
        .addColumn('body_html', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('keywords', 'text', (c) => c.notNull())
        .addColumn('cover_image', 'text')
        .addColumn('attachments', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('draft', 'submitted', 'approved', 'published', 'withdrawn')`),
        )
        .addColumn('view_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('import_key', 'text')
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .addColumn('updated_at', timestamp, (c) => c.notNull())
        .execute();
      // Channel lists, neighbours and the home page all read "published, newest first".
      await db.schema
        .createIndex('article_channel_published')
        .on('article')
        .columns(['channel_id', 'status', 'published_at', 'id'])
        .execute();
      await db.schema.createIndex('article_site_published').on('article').columns(['site_id', 'status', 'published_at', 'id']).execute();
      await db.schema.createIndex('article_import_key').on('article').columns(['site_id', 'import_key']).unique().execute();
    },
    async down(db) {
      await db.schema.dropTable('article').execute();
      await db.schema.dropTable('channel').execute();
      await db.schema.dropTable('site').execute();
    },
  };
}

/**
 * Site search: one row per searchable page in search_doc (what results show and filter on),
 * the token index beside it (FTS5 on SQLite, tsvector + GIN on PostgreSQL), the frequent title
 * words for "did you mean", and the site's synonym and stop-word lists.
 */
function search(dialect: Dialect): Migration {
  const { timestamp } = columnTypes(dialect);
  return {
    async up(db) {
      const table = db.schema.createTable('search_doc');
      await (dialect === 'postgres'
        ? table.addColumn('id', 'serial', (c) => c.primaryKey())
        : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()))
        .addColumn('doc_key', 'text', (c) => c.notNull().unique())
        .addColumn('site_id', 'integer', (c) => c.notNull().references('site.id').onDelete('cascade'))
        .addColumn('content_type', 'text', (c) => c.notNull().check(sql`content_type in ('article', 'page')`))
        .addColumn('article_id', 'integer', (c) => c.references('article.id').onDelete('cascade'))
        .addColumn('channel_id', 'integer', (c) => c.notNull().references('channel.id').onDelete('cascade'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('body_text', 'text', (c) => c.notNull())
        .addColumn('published_at', timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('search_doc_site_published').on('search_doc').columns(['site_id', 'published_at']).execute();

      if (dialect === 'postgres') {
        await db.schema
          .createTable('search_vector')
          .addColumn('doc_id', 'integer', (c) => c.notNull().references('search_doc.id').onDelete('cascade'))
          .addColumn('chunk', 'integer', (c) => c.notNull())
          .addColumn('grams', sql`tsvector`, (c) => c.notNull())
          .addColumn('words', sql`tsvector`, (c) => c.notNull())
          .addColumn('pinyin', sql`tsvector`, (c) => c.notNull())
          .addColumn('initials', sql`tsvector`, (c) => c.notNull())
          .addPrimaryKeyConstraint('search_vector_pk', ['doc_id', 'chunk'])
          .execute();
        for (const column of ['grams', 'pinyin', 'initials']) {
          await sql`create index ${sql.id(`search_vector_${column}`)} on search_vector using gin (${sql.ref(column)})`.execute(db);
        }
        // Rare bigrams are the common case in Chinese text: a larger sample of element
        // statistics lets the planner see that a GIN lookup beats a scan for them.
        await sql`alter table search_vector alter column grams set statistics 1000`.execute(db);
      } else {
        // Contentless: the text lives in search_doc; the FTS tables keep only the index. A prefix
        // index of one character makes a query ending on a lone character (党, 12号) a lookup
        // rather than a scan of every bigram that starts with it. Titles have a table of their
        // own as well, so ranking title hits first reads short title doclists only.
        await sql`create virtual table search_fts using fts5(
          title_grams, body_grams, title_words, body_words, pinyin, initials, scope,
          content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 0', prefix = '1'
        )`.execute(db);
        await sql`create virtual table search_title_fts using fts5(
          title_grams, title_words, pinyin, initials, scope,
          content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 0', prefix = '1'
        )`.execute(db);
      }

      await db.schema
        .createTable('search_term')
        .addColumn('site_id', 'integer', (c) => c.notNull().references('site.id').onDelete('cascade'))
        .addColumn('term', 'text', (c) => c.notNull())
        .addColumn('df', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('search_term_pk', ['site_id', 'term'])
        .execute();
      await db.schema
        .createTable('search_synonym')
        .addColumn('site_id', 'integer', (c) => c.notNull().references('site.id').onDelete('cascade'))
        .addColumn('term', 'text', (c) => c.notNull())
        .addColumn('synonym', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('search_synonym_pk', ['site_id', 'term', 'synonym'])
        .execute();
      await db.schema
        .createTable('search_stopword')
        .addColumn('site_id', 'integer', (c) => c.notNull().references('site.id').onDelete('cascade'))
        .addColumn('word', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('search_stopword_pk', ['site_id', 'word'])
        .execute();
    },
    async down(db) {
      for (const name of ['search_stopword', 'search_synonym', 'search_term']) await db.schema.dropTable(name).execute();
      if (dialect === 'postgres') await db.schema.dropTable('search_vector').execute();
      else for (const name of ['search_fts', 'search_title_fts']) await db.schema.dropTable(name).execute();
      await db.schema.dropTable('search_doc').execute();
    },
  };
}

export function migrationProvider(dialect: Dialect): MigrationProvider {
  return {
    async getMigrations() {
      return { '0001_initial': initial(dialect), '0002_search': search(dialect) };
    },
  };
}
