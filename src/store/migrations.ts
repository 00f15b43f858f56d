import { sql, type ColumnDefinitionBuilder, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { letterAttachments } from './letter-attachment-migration.js';

export type Dialect = 'sqlite' | 'postgres';

/**
 * Versioned migrations, written once for both dialects with Kysely's schema builder. The only
 * dialect differences are the id and timestamp column types, decided here and nowhere else.
 */
/** `create table` with an auto-numbered integer primary key `id`. */
function tableWithId(dialect: Dialect, db: Kysely<unknown>, table: string) {
  return dialect === 'postgres'
    ? db.schema.createTable(table).addColumn('id', 'serial', (c) => c.primaryKey())
    : db.schema.createTable(table).addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

function columnTypes(dialect: Dialect) {
  return {
    // SQLite has no timestamp type; ISO 8601 UTC text sorts in time order.
    timestamp: dialect === 'postgres' ? sql`timestamptz` : sql`text`,
  };
}

function initial(dialect: Dialect): Migration {
  const { timestamp } = columnTypes(dialect);
  const id = (db: Kysely<unknown>, table: string) => tableWithId(dialect, db, table);
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
      await db.schema
        .createIndex('channel_sibling_slug')
        .on('channel')
        .columns(['site_id', 'parent_id', 'slug'])
        .unique()
        .execute();
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
      await db.schema
        .createIndex('article_site_published')
        .on('article')
        .columns(['site_id', 'status', 'published_at', 'id'])
        .execute();
      await db.schema
        .createIndex('article_import_key')
        .on('article')
        .columns(['site_id', 'import_key'])
        .unique()
        .execute();
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
      await tableWithId(dialect, db, 'search_doc')
        .addColumn('doc_key', 'text', (c) => c.notNull().unique())
        .addColumn('site_id', 'integer', (c) => c.notNull().references('site.id').onDelete('cascade'))
        .addColumn('content_type', 'text', (c) => c.notNull().check(sql`content_type in ('article', 'page')`))
        .addColumn('article_id', 'integer', (c) => c.references('article.id').onDelete('cascade'))
        .addColumn('channel_id', 'integer', (c) => c.notNull().references('channel.id').onDelete('cascade'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('body_text', 'text', (c) => c.notNull())
        .addColumn('published_at', timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('search_doc_site_published')
        .on('search_doc')
        .columns(['site_id', 'published_at'])
        .execute();

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
          await sql`create index ${sql.id(`search_vector_${column}`)} on search_vector using gin (${sql.ref(column)})`.execute(
            db,
          );
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
      for (const name of ['search_stopword', 'search_synonym', 'search_term'])
        await db.schema.dropTable(name).execute();
      if (dialect === 'postgres') await db.schema.dropTable('search_vector').execute();
      else for (const name of ['search_fts', 'search_title_fts']) await db.schema.dropTable(name).execute();
      await db.schema.dropTable('search_doc').execute();
    },
  };
}

/**
 * The back office: accounts, role grants, sessions, revisions, review comments, the
 * hash-chained audit log, media, and the job table behind scheduled publishing.
 */
function backOffice(dialect: Dialect): Migration {
  const { timestamp } = columnTypes(dialect);
  const id = (db: Kysely<unknown>, table: string) => tableWithId(dialect, db, table);
  const flag = (c: ColumnDefinitionBuilder) => c.notNull().defaultTo(0);
  return {
    async up(db) {
      await id(db, 'user_account')
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('must_change_password', 'integer', flag)
        .addColumn('totp_secret', 'text')
        .addColumn('totp_pending_secret', 'text')
        .addColumn('totp_enabled', 'integer', flag)
        .addColumn('totp_last_step', 'integer')
        .addColumn('disabled', 'integer', flag)
        .addColumn('failed_logins', 'integer', flag)
        .addColumn('locked_until', timestamp)
        .addColumn('last_login_at', timestamp)
        .addColumn('password_changed_at', timestamp, (c) => c.notNull())
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .addColumn('updated_at', timestamp, (c) => c.notNull())
        .execute();
      await id(db, 'role_grant')
        .addColumn('user_id', 'integer', (c) => c.notNull().references('user_account.id').onDelete('cascade'))
        .addColumn('role', 'text', (c) =>
          c.notNull().check(sql`role in ('editor', 'reviewer', 'publisher', 'admin', 'security', 'auditor')`),
        )
        .addColumn('channel_id', 'integer', (c) => c.references('channel.id').onDelete('cascade'))
        .execute();
      await db.schema.createIndex('role_grant_user').on('role_grant').column('user_id').execute();
      await db.schema
        .createTable('session')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('user_account.id').onDelete('cascade'))
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('ip', 'text')
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .addColumn('last_seen_at', timestamp, (c) => c.notNull())
        .addColumn('expires_at', timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('session_user').on('session').column('user_id').execute();

      await db.schema
        .alterTable('channel')
        .addColumn('review_levels', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema
        .alterTable('article')
        .addColumn('created_by', 'integer', (c) => c.references('user_account.id').onDelete('set null'))
        .execute();
      await db.schema.alterTable('article').addColumn('review_level', 'integer', flag).execute();
      await db.schema.alterTable('article').addColumn('withdraw_reason', 'text').execute();
      await db.schema
        .createIndex('article_site_status_updated')
        .on('article')
        .columns(['site_id', 'status', 'updated_at'])
        .execute();

      await id(db, 'article_revision')
        .addColumn('article_id', 'integer', (c) => c.notNull().references('article.id').onDelete('cascade'))
        .addColumn('number', 'integer', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('user_id', 'integer', (c) => c.references('user_account.id').onDelete('set null'))
        .addColumn('user_name', 'text', (c) => c.notNull())
        .addColumn('at', timestamp, (c) => c.notNull())
        .addColumn('snapshot', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('article_revision_number')
        .on('article_revision')
        .columns(['article_id', 'number'])
        .unique()
        .execute();
      await id(db, 'article_comment')
        .addColumn('article_id', 'integer', (c) => c.notNull().references('article.id').onDelete('cascade'))
        .addColumn('user_id', 'integer', (c) => c.references('user_account.id').onDelete('set null'))
        .addColumn('user_name', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('at', timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('article_comment_article').on('article_comment').column('article_id').execute();

      // The audit log keeps user names and ids as plain values, never as foreign keys: an entry
      // outlives the account it names, and nothing may change a row once written.
      await db.schema
        .createTable('audit_log')
        .addColumn('seq', 'integer', (c) => c.primaryKey())
        .addColumn('at', timestamp, (c) => c.notNull())
        .addColumn('user_id', 'integer')
        .addColumn('user_name', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target_type', 'text', (c) => c.notNull())
        .addColumn('target_id', 'text')
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('ip', 'text')
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      for (const column of ['at', 'user_id', 'action']) {
        await db.schema.createIndex(`audit_log_${column}`).on('audit_log').column(column).execute();
      }
      if (dialect === 'postgres') {
        await sql`create function audit_log_append_only() returns trigger language plpgsql as $$
          begin raise exception 'audit_log is append-only'; end $$`.execute(db);
        await sql`create trigger audit_log_no_change before update or delete on audit_log
          for each row execute function audit_log_append_only()`.execute(db);
        // Row triggers do not fire for TRUNCATE; this one does.
        await sql`create trigger audit_log_no_truncate before truncate on audit_log
          for each statement execute function audit_log_append_only()`.execute(db);
      } else {
        for (const op of ['update', 'delete']) {
          await sql
            .raw(
              `create trigger audit_log_no_${op} before ${op} on audit_log
            begin select raise(abort, 'audit_log is append-only'); end`,
            )
            .execute(db);
        }
      }

      await id(db, 'media')
        .addColumn('site_id', 'integer', (c) => c.notNull().references('site.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('image', 'attachment')`))
        .addColumn('storage_key', 'text', (c) => c.notNull())
        .addColumn('original_name', 'text', (c) => c.notNull())
        .addColumn('mime_type', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('width', 'integer')
        .addColumn('height', 'integer')
        .addColumn('alt', 'text', (c) => c.notNull())
        .addColumn('variants', 'text', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('uploaded_by', 'integer', (c) => c.references('user_account.id').onDelete('set null'))
        .addColumn('uploader_name', 'text', (c) => c.notNull())
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('media_site_created').on('media').columns(['site_id', 'created_at']).execute();

      await id(db, 'job')
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('publish', 'withdraw')`))
        .addColumn('article_id', 'integer', (c) => c.notNull().references('article.id').onDelete('cascade'))
        .addColumn('run_at', timestamp, (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('pending', 'running', 'done', 'failed', 'cancelled')`),
        )
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', flag)
        .addColumn('last_error', 'text')
        .addColumn('created_by', 'integer', (c) => c.references('user_account.id').onDelete('set null'))
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .addColumn('finished_at', timestamp)
        .execute();
      await db.schema.createIndex('job_due').on('job').columns(['status', 'run_at']).execute();
    },
    async down(db) {
      for (const table of [
        'job',
        'media',
        'audit_log',
        'article_comment',
        'article_revision',
        'session',
        'role_grant',
      ]) {
        await db.schema.dropTable(table).execute();
      }
      await db.schema.dropIndex('article_site_status_updated').execute();
      for (const column of ['withdraw_reason', 'review_level', 'created_by']) {
        await db.schema.alterTable('article').dropColumn(column).execute();
      }
      await db.schema.alterTable('channel').dropColumn('review_levels').execute();
      await db.schema.dropTable('user_account').execute();
    },
  };
}

/**
 * The output store's manifest (every published file with its content hash, to serve, verify and
 * repair) and the state of full builds, so that a killed build resumes where it stopped.
 */
function outputStore(dialect: Dialect): Migration {
  const { timestamp } = columnTypes(dialect);
  return {
    async up(db) {
      await db.schema
        .createTable('page_manifest')
        .addColumn('path', 'text', (c) => c.primaryKey())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('updated_at', timestamp, (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .execute();
      // Servers that keep pages in memory follow changes by seq (other processes write here too).
      await db.schema.createIndex('page_manifest_seq').on('page_manifest').column('seq').execute();
      await tableWithId(dialect, db, 'build_run')
        .addColumn('started_at', timestamp, (c) => c.notNull())
        .addColumn('finished_at', timestamp)
        .addColumn('cursor', 'text', (c) => c.notNull())
        .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('written', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    },
    async down(db) {
      await db.schema.dropTable('build_run').execute();
      await db.schema.dropTable('page_manifest').execute();
    },
  };
}

/**
 * Published articles per channel, kept by triggers on every write to `article` (services, the
 * importer, bulk generation, anything): list layouts need the count of a column on every
 * publish, and counting rows costs as much as the column is long.
 */
function channelCounts(dialect: Dialect): Migration {
  return {
    async up(db) {
      await db.schema
        .createTable('channel_count')
        .addColumn('channel_id', 'integer', (c) => c.primaryKey().references('channel.id').onDelete('cascade'))
        .addColumn('published', 'integer', (c) => c.notNull())
        .execute();
      // Sitemap parts read id ranges; this index answers them without reading article bodies.
      await db.schema
        .createIndex('article_location')
        .on('article')
        .columns(['id', 'site_id', 'channel_id', 'published_at', 'created_at', 'updated_at', 'status'])
        .execute();
      await sql`insert into channel_count (channel_id, published)
        select channel_id, count(*) from article where status = 'published' group by channel_id`.execute(db);
      if (dialect === 'postgres') {
        await sql`create function article_count() returns trigger language plpgsql as $$
          begin
            if tg_op in ('UPDATE', 'DELETE') and old.status = 'published' then
              update channel_count set published = published - 1 where channel_id = old.channel_id;
            end if;
            if tg_op in ('INSERT', 'UPDATE') and new.status = 'published' then
              insert into channel_count (channel_id, published) values (new.channel_id, 1)
                on conflict (channel_id) do update set published = channel_count.published + 1;
            end if;
            return null;
          end $$`.execute(db);
        await sql`create trigger article_count after insert or delete or update of status, channel_id on article
          for each row execute function article_count()`.execute(db);
      } else {
        const add = (
          row: 'new',
        ) => `insert into channel_count (channel_id, published) select ${row}.channel_id, 1 where ${row}.status = 'published'
            on conflict (channel_id) do update set published = published + 1;`;
        const remove = (row: 'old') =>
          `update channel_count set published = published - 1 where channel_id = ${row}.channel_id and ${row}.status = 'published';`;
        await sql
          .raw(`create trigger article_count_insert after insert on article begin ${add('new')} end`)
          .execute(db);
        await sql
          .raw(`create trigger article_count_delete after delete on article begin ${remove('old')} end`)
          .execute(db);
        await sql
          .raw(
            `create trigger article_count_update after update of status, channel_id on article begin ${remove('old')} ${add('new')} end`,
          )
          .execute(db);
      }
    },
    async down(db) {
      if (dialect === 'postgres') {
        await sql`drop trigger article_count on article`.execute(db);
        await sql`drop function article_count()`.execute(db);
      } else {
        for (const op of ['insert', 'delete', 'update']) await sql.raw(`drop trigger article_count_${op}`).execute(db);
      }
      await db.schema.dropTable('channel_count').execute();
      await db.schema.dropIndex('article_location').execute();
    },
  };
}

/**
 * What several app instances on one database share instead of keeping it in memory: the lease of
 * a running scheduled job (an instance killed mid-job frees it), the publish tasks not yet done (a
 * publish committed by an instance that dies before writing its pages is finished by another),
 * rate-limit windows, and on PostgreSQL a notification whenever the manifest changes.
 */
function instances(dialect: Dialect): Migration {
  const { timestamp } = columnTypes(dialect);
  return {
    async up(db) {
      await db.schema.alterTable('job').addColumn('claimed_at', timestamp).execute();
      await tableWithId(dialect, db, 'publish_task')
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .addColumn('claimed_at', timestamp)
        .addColumn('claimed_by', 'text')
        .execute();
      await db.schema
        .createTable('rate_limit')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('window_start', 'bigint', (c) => c.notNull())
        .addColumn('hits', 'integer', (c) => c.notNull())
        .execute();
      if (dialect === 'postgres') {
        // One notification per statement, not per row: listeners re-read the manifest from the
        // last change they saw, so the payload carries nothing.
        await sql`create function page_manifest_notify() returns trigger language plpgsql as $$
          begin perform pg_notify('gazette_pages', ''); return null; end $$`.execute(db);
        await sql`create trigger page_manifest_notify after insert or update on page_manifest
          for each statement execute function page_manifest_notify()`.execute(db);
      }
    },
    async down(db) {
      if (dialect === 'postgres') {
        await sql`drop trigger page_manifest_notify on page_manifest`.execute(db);
        await sql`drop function page_manifest_notify()`.execute(db);
      }
      await db.schema.dropTable('rate_limit').execute();
      await db.schema.dropTable('publish_task').execute();
      await db.schema.alterTable('job').dropColumn('claimed_at').execute();
    },
  };
}

/**
 * Government-site health (国办秘函〔2019〕19号 checks): the site's own wording dictionary and the
 * audited overrides of serious findings, each column's update rule, the 哀悼日 grey mode, 信息公开
 * metadata with never-reused 索引号 serials, link-check findings and the nightly health reports.
 */
function compliance(dialect: Dialect): Migration {
  const { timestamp } = columnTypes(dialect);
  const id = (db: Kysely<unknown>, table: string) => tableWithId(dialect, db, table);
  return {
    async up(db) {
      await db.schema
        .alterTable('site')
        .addColumn('mourning', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      // dynamic (动态/要闻: 14 days), notice and policy (通知公告, 政策文件: 6 months), none.
      await db.schema
        .alterTable('channel')
        .addColumn('update_rule', 'text', (c) => c.notNull().defaultTo('none'))
        .execute();
      await id(db, 'wording_entry')
        .addColumn('site_id', 'integer', (c) => c.notNull().references('site.id').onDelete('cascade'))
        .addColumn('phrase', 'text', (c) => c.notNull())
        // canonical (the right form, near misses are findings), wrong or outdated (a form to replace).
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('suggestion', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_by', 'integer', (c) => c.references('user_account.id').onDelete('set null'))
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .addColumn('updated_at', timestamp, (c) => c.notNull())
        .addUniqueConstraint('wording_entry_phrase', ['site_id', 'phrase', 'kind'])
        .execute();
      await id(db, 'wording_override')
        .addColumn('article_id', 'integer', (c) => c.notNull().references('article.id').onDelete('cascade'))
        .addColumn('version', 'integer', (c) => c.notNull())
        /** JSON: the findings overridden, as they were shown. */
        .addColumn('findings', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('user_id', 'integer', (c) => c.references('user_account.id').onDelete('set null'))
        .addColumn('at', timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('disclosure')
        .addColumn('article_id', 'integer', (c) => c.primaryKey().references('article.id').onDelete('cascade'))
        .addColumn('index_no', 'text', (c) => c.notNull().unique())
        .addColumn('organization', 'text', (c) => c.notNull())
        .addColumn('organization_code', 'text', (c) => c.notNull())
        .addColumn('document_no', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('written_on', 'text')
        .addColumn('topic', 'text', (c) => c.notNull())
        .addColumn('disclosure_form', 'text', (c) => c.notNull())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('serial', 'integer', (c) => c.notNull())
        .execute();
      // The last serial handed out per organisation and year: 索引号 are never reused, even after a delete.
      await db.schema
        .createTable('disclosure_serial')
        .addColumn('organization_code', 'text', (c) => c.notNull())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('last_serial', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('disclosure_serial_pk', ['organization_code', 'year'])
        .execute();
      await id(db, 'link_finding')
        .addColumn('site_id', 'integer', (c) => c.notNull().references('site.id').onDelete('cascade'))
        .addColumn('page_path', 'text', (c) => c.notNull())
        .addColumn('article_id', 'integer', (c) => c.references('article.id').onDelete('cascade'))
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('status', 'integer')
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('checked_at', timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('link_finding_page').on('link_finding').columns(['site_id', 'page_path']).execute();
      await id(db, 'health_run')
        .addColumn('site_id', 'integer', (c) => c.notNull().references('site.id').onDelete('cascade'))
        .addColumn('at', timestamp, (c) => c.notNull())
        .addColumn('score', 'integer', (c) => c.notNull())
        .addColumn('vetoes', 'integer', (c) => c.notNull())
        /** JSON: the whole report, as `gazette check --json` prints it. */
        .addColumn('report', 'text', (c) => c.notNull())
        // The nightly run's day (YYYY-MM-DD, site time), null for runs asked for: one instance claims each night.
        .addColumn('slot', 'text')
        .addUniqueConstraint('health_run_slot', ['site_id', 'slot'])
        .execute();
    },
    async down(db) {
      for (const table of [
        'health_run',
        'link_finding',
        'disclosure_serial',
        'disclosure',
        'wording_override',
        'wording_entry',
      ])
        await db.schema.dropTable(table).execute();
      await db.schema.alterTable('channel').dropColumn('update_rule').execute();
      await db.schema.alterTable('site').dropColumn('mourning').execute();
    },
  };
}

/**
 * One platform, many sites (集约化): every host name that reaches a site (the existing site keeps
 * its domain), a site's status (archived sites keep everything and are served no more), the site
 * it sits under (a department's or town's site under the district portal), and platform-wide
 * settings such as the site an unknown host falls back to.
 */
function platform(dialect: Dialect): Migration {
  return {
    async up(db) {
      await db.schema
        .alterTable('site')
        .addColumn('status', 'text', (c) =>
          c
            .notNull()
            .defaultTo('active')
            .check(sql`status in ('active', 'archived')`),
        )
        .execute();
      await db.schema
        .alterTable('site')
        .addColumn('parent_id', 'integer', (c) => c.references('site.id').onDelete('set null'))
        .execute();
      await db.schema
        .createTable('site_host')
        .addColumn('host', 'text', (c) => c.primaryKey())
        .addColumn('site_id', 'integer', (c) => c.notNull().references('site.id').onDelete('cascade'))
        .execute();
      await db.schema.createIndex('site_host_site').on('site_host').column('site_id').execute();
      await sql`insert into site_host (host, site_id) select lower(domain), min(id) from site group by lower(domain)`.execute(
        db,
      );
      await db.schema
        .createTable('platform_setting')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
      await grantsPerSite(dialect, db);
      // A build belongs to one site: `gazette build --site` carries on that site's stopped build.
      await db.schema
        .alterTable('build_run')
        .addColumn('site_id', 'integer', (c) => c.references('site.id').onDelete('cascade'))
        .execute();
      await sql`update build_run set site_id = (select min(id) from site)`.execute(db);
      void dialect;
    },
    async down(db) {
      await db.schema.alterTable('build_run').dropColumn('site_id').execute();
      await db.schema.dropTable('platform_setting').execute();
      await db.schema.dropTable('site_host').execute();
      await db.schema.alterTable('site').dropColumn('parent_id').execute();
      await db.schema.alterTable('site').dropColumn('status').execute();
    },
  };
}

/**
 * Shared articles (引用) and 信息报送. A placement shows an article of one column in another
 * column (of its own site or another), never as a copy: the article, the column, the
 * placement's own workflow state and its place in that column. `live` is 1 while both the
 * placement and its article are published; triggers keep it and the per-column count of live
 * placements, so a list's layout costs the same with placements as without. A submission offers
 * an article to another site's column; the receiving column's editors adopt it (as a placement,
 * or as an edited copy that keeps the link to its original) or return it with a reason.
 */
function sharing(dialect: Dialect): Migration {
  const { timestamp } = columnTypes(dialect);
  return {
    async up(db) {
      await tableWithId(dialect, db, 'placement')
        .addColumn('article_id', 'integer', (c) => c.notNull().references('article.id').onDelete('cascade'))
        .addColumn('site_id', 'integer', (c) => c.notNull().references('site.id').onDelete('cascade'))
        .addColumn('channel_id', 'integer', (c) => c.notNull().references('channel.id').onDelete('cascade'))
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('draft', 'submitted', 'approved', 'published', 'withdrawn')`),
        )
        .addColumn('review_level', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('live', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('published_at', timestamp)
        .addColumn('created_by', 'integer', (c) => c.references('user_account.id').onDelete('set null'))
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .addColumn('updated_at', timestamp, (c) => c.notNull())
        .addUniqueConstraint('placement_article_channel', ['article_id', 'channel_id'])
        .execute();
      await db.schema
        .createIndex('placement_list')
        .on('placement')
        .columns(['channel_id', 'live', 'published_at', 'article_id'])
        .execute();
      await db.schema.createIndex('placement_article').on('placement').column('article_id').execute();
      await db.schema.createIndex('placement_site').on('placement').columns(['site_id', 'status']).execute();
      await db.schema
        .alterTable('channel_count')
        .addColumn('placed', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      // How a site's lists show articles placed from other sites: a link to their own page, or a copy of it here.
      await db.schema
        .alterTable('site')
        .addColumn('placed_pages', 'text', (c) =>
          c
            .notNull()
            .defaultTo('link')
            .check(sql`placed_pages in ('link', 'copy')`),
        )
        .execute();
      await placementTriggers(dialect, db);

      await db.schema
        .createTable('submission_column')
        .addColumn('channel_id', 'integer', (c) => c.primaryKey().references('channel.id').onDelete('cascade'))
        .addColumn('points', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await tableWithId(dialect, db, 'submission')
        .addColumn('article_id', 'integer', (c) => c.notNull().references('article.id').onDelete('cascade'))
        .addColumn('from_site_id', 'integer', (c) => c.notNull().references('site.id').onDelete('cascade'))
        .addColumn('site_id', 'integer', (c) => c.notNull().references('site.id').onDelete('cascade'))
        .addColumn('channel_id', 'integer', (c) => c.notNull().references('channel.id').onDelete('cascade'))
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'adopted', 'returned')`))
        .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('submitted_by', 'integer', (c) => c.references('user_account.id').onDelete('set null'))
        .addColumn('submitter_name', 'text', (c) => c.notNull())
        .addColumn('submitted_at', timestamp, (c) => c.notNull())
        .addColumn('decided_by', 'integer', (c) => c.references('user_account.id').onDelete('set null'))
        .addColumn('decider_name', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('decided_at', timestamp)
        .addColumn('adopted_as', 'text', (c) => c.check(sql`adopted_as in ('placement', 'copy')`))
        .addColumn('placement_id', 'integer', (c) => c.references('placement.id').onDelete('set null'))
        .addColumn('copy_id', 'integer', (c) => c.references('article.id').onDelete('set null'))
        .addColumn('points', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createIndex('submission_inbox')
        .on('submission')
        .columns(['site_id', 'status', 'submitted_at'])
        .execute();
      await db.schema
        .createIndex('submission_sender')
        .on('submission')
        .columns(['from_site_id', 'submitted_at'])
        .execute();
      await db.schema.createIndex('submission_article').on('submission').column('article_id').execute();
    },
    async down(db) {
      await db.schema.dropTable('submission').execute();
      await db.schema.dropTable('submission_column').execute();
      if (dialect === 'postgres') {
        await sql`drop trigger article_placement_live on article`.execute(db);
        await sql`drop function article_placement_live()`.execute(db);
      } else {
        await sql`drop trigger article_placement_live`.execute(db);
      }
      await db.schema.dropTable('placement').execute();
      if (dialect === 'postgres') await sql`drop function placement_count()`.execute(db);
      await db.schema.alterTable('channel_count').dropColumn('placed').execute();
      await db.schema.alterTable('site').dropColumn('placed_pages').execute();
    },
  };
}

/**
 * `placement.live` follows its article's status, and `channel_count.placed` counts the live
 * placements of each column. A removed article takes its placements with it (cascade), and the
 * count goes with each placement's own `live`, whatever became of the article row first.
 */
async function placementTriggers(dialect: Dialect, db: Kysely<unknown>): Promise<void> {
  if (dialect === 'postgres') {
    await sql`create function placement_count() returns trigger language plpgsql as $$
      begin
        if tg_op in ('UPDATE', 'DELETE') and old.live = 1 then
          update channel_count set placed = placed - 1 where channel_id = old.channel_id;
        end if;
        if tg_op in ('INSERT', 'UPDATE') and new.live = 1 then
          insert into channel_count (channel_id, published, placed) values (new.channel_id, 0, 1)
            on conflict (channel_id) do update set placed = channel_count.placed + 1;
        end if;
        return null;
      end $$`.execute(db);
    await sql`create trigger placement_count after insert or delete or update of live, channel_id on placement
      for each row execute function placement_count()`.execute(db);
    await sql`create function article_placement_live() returns trigger language plpgsql as $$
      begin
        update placement set live = case when status = 'published' and new.status = 'published' then 1 else 0 end
          where article_id = new.id and live <> case when status = 'published' and new.status = 'published' then 1 else 0 end;
        return null;
      end $$`.execute(db);
    await sql`create trigger article_placement_live after update of status on article
      for each row execute function article_placement_live()`.execute(db);
  } else {
    const add = `insert into channel_count (channel_id, published, placed) select new.channel_id, 0, 1 where new.live = 1
        on conflict (channel_id) do update set placed = placed + 1;`;
    const remove = `update channel_count set placed = placed - 1 where channel_id = old.channel_id and old.live = 1;`;
    await sql.raw(`create trigger placement_count_insert after insert on placement begin ${add} end`).execute(db);
    await sql.raw(`create trigger placement_count_delete after delete on placement begin ${remove} end`).execute(db);
    await sql
      .raw(
        `create trigger placement_count_update after update of live, channel_id on placement begin ${remove} ${add} end`,
      )
      .execute(db);
    const live = `case when status = 'published' and new.status = 'published' then 1 else 0 end`;
    await sql
      .raw(
        `create trigger article_placement_live after update of status on article begin
        update placement set live = ${live} where article_id = new.id and live <> ${live}; end`,
      )
      .execute(db);
  }
}

/**
 * ASVS 12.1.3: what one user may upload to a site, in MiB (2 GiB unless the site's administrator
 * sets another), and an index to sum a user's uploads on a site with.
 */
function mediaQuota(): Migration {
  return {
    async up(db) {
      await db.schema
        .alterTable('site')
        .addColumn('media_quota_mb', 'integer', (c) =>
          c
            .notNull()
            .defaultTo(2048)
            .check(sql`media_quota_mb > 0`),
        )
        .execute();
      await db.schema.createIndex('media_site_uploader').on('media').columns(['site_id', 'uploaded_by']).execute();
    },
    async down(db) {
      await db.schema.dropIndex('media_site_uploader').execute();
      await db.schema.alterTable('site').dropColumn('media_quota_mb').execute();
    },
  };
}

/**
 * ASVS 3.3.4, 3.7.1 and 2.2.3: a session keeps the browser it was opened in (so its owner can tell their
 * sessions apart when ending one) and when its owner last proved who they are (a sensitive
 * action asks again after a while). Existing sessions count as proved when they were opened.
 */
function sessionDetails(): Migration {
  return {
    async up(db) {
      await db.schema.alterTable('session').addColumn('user_agent', 'text').execute();
      await db.schema.alterTable('session').addColumn('verified_at', 'text').execute();
      await sql`update session set verified_at = created_at`.execute(db);
      // What happened to one account (its notices at sign-in, ASVS 2.2.3).
      await db.schema.createIndex('audit_log_target').on('audit_log').columns(['target_type', 'target_id']).execute();
    },
    async down(db) {
      await db.schema.dropIndex('audit_log_target').execute();
      await db.schema.alterTable('session').dropColumn('verified_at').execute();
      await db.schema.alterTable('session').dropColumn('user_agent').execute();
    },
  };
}

const ROLE_CHECK_7 = sql`role in ('editor', 'reviewer', 'publisher', 'admin', 'security', 'auditor', 'platform')`;

/**
 * Roles are granted per site: editors, reviewers, publishers and site administrators on one site
 * (the existing grants go to the first site), the security administrator, the auditor and the
 * new platform administrator on the platform (site_id null: every site). SQLite cannot change a
 * CHECK constraint, so there the table is made again with the same ids.
 */
async function grantsPerSite(dialect: Dialect, db: Kysely<unknown>): Promise<void> {
  const siteOf = sql`case when role in ('security', 'auditor') then null else (select min(id) from site) end`;
  if (dialect === 'postgres') {
    await sql`alter table role_grant drop constraint role_grant_role_check`.execute(db);
    await sql`alter table role_grant add constraint role_grant_role_check check (${ROLE_CHECK_7})`.execute(db);
    await db.schema
      .alterTable('role_grant')
      .addColumn('site_id', 'integer', (c) => c.references('site.id').onDelete('cascade'))
      .execute();
    await sql`update role_grant set site_id = ${siteOf}`.execute(db);
  } else {
    await tableWithId(dialect, db, 'role_grant_next')
      .addColumn('user_id', 'integer', (c) => c.notNull().references('user_account.id').onDelete('cascade'))
      .addColumn('role', 'text', (c) => c.notNull().check(ROLE_CHECK_7))
      .addColumn('channel_id', 'integer', (c) => c.references('channel.id').onDelete('cascade'))
      .addColumn('site_id', 'integer', (c) => c.references('site.id').onDelete('cascade'))
      .execute();
    await sql`insert into role_grant_next (id, user_id, role, channel_id, site_id) select id, user_id, role, channel_id, ${siteOf} from role_grant`.execute(
      db,
    );
    await db.schema.dropTable('role_grant').execute();
    await sql`alter table role_grant_next rename to role_grant`.execute(db);
    await db.schema.createIndex('role_grant_user').on('role_grant').column('user_id').execute();
  }
}

const ROLE_CHECK_9 = sql`role in ('editor', 'reviewer', 'publisher', 'admin', 'security', 'auditor', 'platform', 'office', 'handler')`;

/**
 * 互动交流: the letter desk of each site, its handling units and their members, the letters with
 * their steps and alerts, the working-day calendar's changes, and the proof-of-work challenges
 * already used. Two roles join: 互动受理 (office) and 承办 (handler).
 */
function letters(dialect: Dialect): Migration {
  const { timestamp } = columnTypes(dialect);
  const id = (db: Kysely<unknown>, table: string) => tableWithId(dialect, db, table);
  return {
    async up(db) {
      if (dialect === 'postgres') {
        await sql`alter table role_grant drop constraint role_grant_role_check`.execute(db);
        await sql`alter table role_grant add constraint role_grant_role_check check (${ROLE_CHECK_9})`.execute(db);
      } else {
        await remakeRoleGrant(db, ROLE_CHECK_9);
      }
      await db.schema
        .createTable('letter_desk')
        .addColumn('site_id', 'integer', (c) => c.primaryKey().references('site.id').onDelete('cascade'))
        .addColumn('settings', 'text', (c) => c.notNull())
        .addColumn('updated_at', timestamp, (c) => c.notNull())
        .execute();
      await id(db, 'case_unit')
        .addColumn('site_id', 'integer', (c) => c.notNull().references('site.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('case_unit_site_name')
        .on('case_unit')
        .columns(['site_id', 'name'])
        .unique()
        .execute();
      await db.schema
        .createTable('case_unit_member')
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('case_unit.id').onDelete('cascade'))
        .addColumn('user_id', 'integer', (c) => c.notNull().references('user_account.id').onDelete('cascade'))
        .addColumn('leader', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('case_unit_member_pk', ['unit_id', 'user_id'])
        .execute();
      await db.schema.createIndex('case_unit_member_user').on('case_unit_member').column('user_id').execute();
      await id(db, 'letter')
        .addColumn('site_id', 'integer', (c) => c.notNull().references('site.id').onDelete('cascade'))
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('query_code', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c
            .notNull()
            .check(
              sql`status in ('received', 'accepted', 'assigned', 'reviewing', 'answered', 'published', 'rejected', 'merged')`,
            ),
        )
        .addColumn('review_level', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        // Name, phone, e-mail and address, sealed with GAZETTE_DATA_KEY (`personal_key_id` names it).
        .addColumn('personal', 'text', (c) => c.notNull())
        .addColumn('personal_key_id', 'text', (c) => c.notNull())
        // A keyed hash of the phone: rate limits and duplicate checks without opening `personal`.
        .addColumn('phone_index', 'text', (c) => c.notNull())
        .addColumn('agree_publish', 'integer', (c) => c.notNull())
        .addColumn('show_name', 'integer', (c) => c.notNull())
        .addColumn('chosen_unit_id', 'integer', (c) => c.references('case_unit.id').onDelete('set null'))
        .addColumn('unit_id', 'integer', (c) => c.references('case_unit.id').onDelete('set null'))
        .addColumn('received_at', timestamp, (c) => c.notNull())
        .addColumn('accepted_at', timestamp)
        // Local days (YYYY-MM-DD, the site's time zone) the working-day clock counts between.
        .addColumn('clock_start_day', 'text')
        .addColumn('due_day', 'text')
        .addColumn('deadline_days', 'integer')
        .addColumn('reply_html', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('reply_unit_id', 'integer', (c) => c.references('case_unit.id').onDelete('set null'))
        .addColumn('answered_at', timestamp)
        .addColumn('first_answered_at', timestamp)
        // What the site shows: masked when it was published, so pages never need the personal data.
        .addColumn('published_at', timestamp)
        .addColumn('published_title', 'text')
        .addColumn('published_body', 'text')
        .addColumn('published_reply', 'text')
        .addColumn('published_unit', 'text')
        .addColumn('published_writer', 'text')
        .addColumn('rating', 'integer')
        .addColumn('rated_at', timestamp)
        .addColumn('rating_comment', 'text')
        .addColumn('reopen_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('duplicate_of', 'integer', (c) => c.references('letter.id').onDelete('set null'))
        .addColumn('reject_reason', 'text')
        // JSON: wording findings and a near-duplicate found on arrival (flags, never refusals).
        .addColumn('flags', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('anonymised_at', timestamp)
        .addColumn('updated_at', timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('letter_site_status').on('letter').columns(['site_id', 'status']).execute();
      await db.schema.createIndex('letter_site_received').on('letter').columns(['site_id', 'received_at']).execute();
      await db.schema.createIndex('letter_unit').on('letter').column('unit_id').execute();
      await db.schema.createIndex('letter_phone').on('letter').columns(['phone_index', 'received_at']).execute();
      await id(db, 'letter_step')
        .addColumn('letter_id', 'integer', (c) => c.notNull().references('letter.id').onDelete('cascade'))
        .addColumn('step', 'text', (c) => c.notNull())
        .addColumn('from_status', 'text')
        .addColumn('to_status', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'integer', (c) => c.references('user_account.id').onDelete('set null'))
        .addColumn('actor_name', 'text', (c) => c.notNull())
        .addColumn('unit_id', 'integer', (c) => c.references('case_unit.id').onDelete('set null'))
        .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('due_day', 'text')
        .addColumn('at', timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('letter_step_letter').on('letter_step').column('letter_id').execute();
      await id(db, 'letter_alert')
        .addColumn('letter_id', 'integer', (c) => c.notNull().references('letter.id').onDelete('cascade'))
        .addColumn('alert', 'text', (c) => c.notNull())
        // The reopening the alert belongs to: a reopened letter runs a new clock.
        .addColumn('round', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('raised_at', timestamp, (c) => c.notNull())
        .addColumn('mailed_at', timestamp)
        .execute();
      await db.schema
        .createIndex('letter_alert_once')
        .on('letter_alert')
        .columns(['letter_id', 'alert', 'round'])
        .unique()
        .execute();
      await db.schema
        .createTable('calendar_day')
        .addColumn('day', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('holiday', 'workday')`))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('used_challenge')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('expires_ms', 'bigint', (c) => c.notNull())
        .execute();
    },
    async down(db) {
      for (const table of [
        'used_challenge',
        'calendar_day',
        'letter_alert',
        'letter_step',
        'letter',
        'case_unit_member',
        'case_unit',
        'letter_desk',
      ])
        await db.schema.dropTable(table).execute();
      await sql`delete from role_grant where role in ('office', 'handler')`.execute(db);
      if (dialect === 'postgres') {
        await sql`alter table role_grant drop constraint role_grant_role_check`.execute(db);
        await sql`alter table role_grant add constraint role_grant_role_check check (${ROLE_CHECK_7})`.execute(db);
      } else {
        await remakeRoleGrant(db, ROLE_CHECK_7);
      }
    },
  };
}

/**
 * 依申请公开: requests for government information, their steps, and the reply documents. The
 * applicant's identity and contact are sealed like a letter writer's; the document is kept in
 * the store (base64 text, so a store copy carries it like any row) because it names the applicant.
 */
function infoRequests(dialect: Dialect): Migration {
  const { timestamp } = columnTypes(dialect);
  const id = (db: Kysely<unknown>, table: string) => tableWithId(dialect, db, table);
  return {
    async up(db) {
      await id(db, 'info_request')
        .addColumn('site_id', 'integer', (c) => c.notNull().references('site.id').onDelete('cascade'))
        .addColumn('query_code', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('submitted', 'processing', 'correcting', 'consulting', 'answered')`),
        )
        .addColumn('applicant_class', 'text', (c) =>
          c.notNull().check(sql`applicant_class in ('natural', 'business', 'research', 'charity', 'legal', 'other')`),
        )
        .addColumn('personal', 'text', (c) => c.notNull())
        .addColumn('personal_key_id', 'text', (c) => c.notNull())
        .addColumn('phone_index', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('document_no', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('purpose', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('delivery_form', 'text', (c) => c.notNull())
        .addColumn('delivery_way', 'text', (c) => c.notNull())
        .addColumn('submitted_at', timestamp, (c) => c.notNull())
        // Local days (YYYY-MM-DD, the site's time zone) of the statutory clock.
        .addColumn('received_day', 'text')
        .addColumn('clock_start_day', 'text')
        .addColumn('due_day', 'text')
        .addColumn('paused_since', 'text')
        .addColumn('extension_days', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('extension_reason', 'text')
        .addColumn('correction_asked', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('outcome', 'text')
        .addColumn('answered_at', timestamp)
        .addColumn('answered_day', 'text')
        .addColumn('anonymised_at', timestamp)
        .addColumn('updated_at', timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('info_request_site_status')
        .on('info_request')
        .columns(['site_id', 'status'])
        .execute();
      await db.schema
        .createIndex('info_request_phone')
        .on('info_request')
        .columns(['phone_index', 'submitted_at'])
        .execute();
      await id(db, 'info_request_step')
        .addColumn('request_id', 'integer', (c) => c.notNull().references('info_request.id').onDelete('cascade'))
        .addColumn('step', 'text', (c) => c.notNull())
        .addColumn('from_status', 'text')
        .addColumn('to_status', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'integer', (c) => c.references('user_account.id').onDelete('set null'))
        .addColumn('actor_name', 'text', (c) => c.notNull())
        // What the applicant is told: the correction wanted, the extension's reason, the reply's summary.
        .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('due_day', 'text')
        .addColumn('at', timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('info_request_step_request').on('info_request_step').column('request_id').execute();
      await id(db, 'info_request_document')
        .addColumn('request_id', 'integer', (c) => c.notNull().references('info_request.id').onDelete('cascade'))
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('mime_type', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('content', 'text', (c) => c.notNull())
        .addColumn('uploaded_by', 'text', (c) => c.notNull())
        .addColumn('uploaded_at', timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('info_request_document_request')
        .on('info_request_document')
        .column('request_id')
        .unique()
        .execute();
    },
    async down(db) {
      for (const table of ['info_request_document', 'info_request_step', 'info_request'])
        await db.schema.dropTable(table).execute();
    },
  };
}

/** SQLite cannot change a CHECK constraint: the grants table is made again, with the same ids. */
async function remakeRoleGrant(db: Kysely<unknown>, check: ReturnType<typeof sql>): Promise<void> {
  await tableWithId('sqlite', db, 'role_grant_next')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('user_account.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(check))
    .addColumn('channel_id', 'integer', (c) => c.references('channel.id').onDelete('cascade'))
    .addColumn('site_id', 'integer', (c) => c.references('site.id').onDelete('cascade'))
    .execute();
  await sql`insert into role_grant_next (id, user_id, role, channel_id, site_id) select id, user_id, role, channel_id, site_id from role_grant`.execute(
    db,
  );
  await db.schema.dropTable('role_grant').execute();
  await sql`alter table role_grant_next rename to role_grant`.execute(db);
  await db.schema.createIndex('role_grant_user').on('role_grant').column('user_id').execute();
}

/**
 * On PostgreSQL the migrator runs every pending migration in one transaction; the pool's
 * statement timeout, there for readers' requests, would cancel a migration that rewrites a big
 * table (a column added to a million search rows) and leave the store unable to start.
 */
function withoutStatementTimeout(migration: Migration): Migration {
  return {
    async up(db) {
      await sql`set local statement_timeout = 0`.execute(db);
      await migration.up(db);
    },
    async down(db) {
      await sql`set local statement_timeout = 0`.execute(db);
      await migration.down?.(db);
    },
  };
}

export function migrationProvider(dialect: Dialect): MigrationProvider {
  const migrations = allMigrations(dialect);
  return {
    getMigrations() {
      return Promise.resolve(
        dialect === 'postgres'
          ? Object.fromEntries(Object.entries(migrations).map(([name, m]) => [name, withoutStatementTimeout(m)]))
          : migrations,
      );
    },
  };
}

function allMigrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_initial': initial(dialect),
    '0002_search': search(dialect),
    '0003_back_office': backOffice(dialect),
    '0004_output_store': outputStore(dialect),
    '0005_channel_counts': channelCounts(dialect),
    '0006_instances': instances(dialect),
    '0007_compliance': compliance(dialect),
    '0008_platform': platform(dialect),
    '0009_sharing': sharing(dialect),
    '0010_media_quota': mediaQuota(),
    '0011_session_details': sessionDetails(),
    '0012_letters': letters(dialect),
    '0013_info_requests': infoRequests(dialect),
    '0014_user_email': userEmail(),
    '0015_hotline': hotline(dialect),
    '0016_consultations': consultations(dialect),
    '0017_surveys': surveys(dialect),
    '0018_letter_attachments': letterAttachments(dialect),
    '0019_calendar_years': calendarYears(dialect),
    '0020_content_types': contentTypes(dialect),
    '0021_front_servers': frontServers(dialect),
    '0022_site_migration': siteMigration(dialect),
    '0023_site_look': siteLook(dialect),
    '0024_published_topics': publishedTopicsIndex(),
    '0025_search_tiers': searchTiers(dialect),
  };
}

/**
 * 网上调查: a site's surveys, their questions in order (options as a JSON array of labels), and
 * the answers: one response per respondent key (a keyed HMAC of the phone or of the address,
 * unique per survey: the second answer of a phone is refused by the index), one answer row per
 * chosen option or text.
 */
function surveys(dialect: Dialect): Migration {
  const { timestamp } = columnTypes(dialect);
  const id = (db: Kysely<unknown>, table: string) => tableWithId(dialect, db, table);
  return {
    async up(db) {
      await id(db, 'survey')
        .addColumn('site_id', 'integer', (c) => c.notNull().references('site.id').onDelete('cascade'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('start_day', 'text', (c) => c.notNull())
        .addColumn('end_day', 'text', (c) => c.notNull())
        .addColumn('respondent_rule', 'text', (c) => c.notNull().check(sql`respondent_rule in ('phone', 'address')`))
        .addColumn('results_public', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'published', 'withdrawn')`))
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .addColumn('updated_at', timestamp, (c) => c.notNull())
        .addColumn('published_at', timestamp)
        .execute();
      await db.schema.createIndex('survey_site').on('survey').columns(['site_id', 'status']).execute();
      await id(db, 'survey_question')
        .addColumn('survey_id', 'integer', (c) => c.notNull().references('survey.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('single', 'multiple', 'text')`))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('required', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('options', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('min_picks', 'integer')
        .addColumn('max_picks', 'integer')
        .execute();
      await db.schema
        .createIndex('survey_question_of')
        .on('survey_question')
        .columns(['survey_id', 'position'])
        .execute();
      await id(db, 'survey_response')
        .addColumn('survey_id', 'integer', (c) => c.notNull().references('survey.id').onDelete('cascade'))
        .addColumn('respondent_key', 'text', (c) => c.notNull())
        .addColumn('submitted_at', timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('survey_response_once')
        .on('survey_response')
        .columns(['survey_id', 'respondent_key'])
        .unique()
        .execute();
      await id(db, 'survey_answer')
        .addColumn('response_id', 'integer', (c) => c.notNull().references('survey_response.id').onDelete('cascade'))
        .addColumn('question_id', 'integer', (c) => c.notNull().references('survey_question.id').onDelete('cascade'))
        .addColumn('choice', 'integer')
        .addColumn('text', 'text')
        .execute();
      await db.schema.createIndex('survey_answer_of').on('survey_answer').column('response_id').execute();
    },
    async down(db) {
      for (const table of ['survey_answer', 'survey_response', 'survey_question', 'survey'])
        await db.schema.dropTable(table).execute();
    },
  };
}

/**
 * An account's e-mail address (optional): where the letter desk's deadline alerts are mailed when
 * an SMTP server is configured. Nullable text on both dialects: no address, no mail.
 */
function userEmail(): Migration {
  return {
    async up(db) {
      await db.schema.alterTable('user_account').addColumn('email', 'text').execute();
    },
    async down(db) {
      await db.schema.alterTable('user_account').dropColumn('email').execute();
    },
  };
}

/**
 * The 12345 city hotline link of the letter desk: each site's link (address, sealed secret,
 * switch), the outbox of webhooks (one row per case event, written in the step's transaction),
 * and the event ids of the hotline's callbacks (unique per site: a replay is refused).
 */
function hotline(dialect: Dialect): Migration {
  const { timestamp } = columnTypes(dialect);
  const id = (db: Kysely<unknown>, table: string) => tableWithId(dialect, db, table);
  return {
    async up(db) {
      await db.schema
        .createTable('hotline_link')
        .addColumn('site_id', 'integer', (c) => c.primaryKey().references('site.id').onDelete('cascade'))
        .addColumn('url', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('secret', 'text')
        .addColumn('secret_key_id', 'text')
        .addColumn('secret_set_at', timestamp)
        .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('updated_at', timestamp, (c) => c.notNull())
        .execute();
      await id(db, 'hotline_event')
        .addColumn('site_id', 'integer', (c) => c.notNull().references('site.id').onDelete('cascade'))
        .addColumn('letter_id', 'integer', (c) => c.notNull().references('letter.id').onDelete('cascade'))
        .addColumn('event_id', 'text', (c) => c.notNull().unique())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'delivered', 'failed')`))
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', timestamp)
        .addColumn('last_status', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .addColumn('delivered_at', timestamp)
        .execute();
      await db.schema
        .createIndex('hotline_event_due')
        .on('hotline_event')
        .columns(['status', 'next_attempt_at'])
        .execute();
      await db.schema.createIndex('hotline_event_site').on('hotline_event').columns(['site_id', 'id']).execute();
      await id(db, 'hotline_callback')
        .addColumn('site_id', 'integer', (c) => c.notNull().references('site.id').onDelete('cascade'))
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('letter_id', 'integer', (c) => c.references('letter.id').onDelete('set null'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('received_at', timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('hotline_callback_once')
        .on('hotline_callback')
        .columns(['site_id', 'event_id'])
        .unique()
        .execute();
    },
    async down(db) {
      for (const table of ['hotline_callback', 'hotline_event', 'hotline_link'])
        await db.schema.dropTable(table).execute();
    },
  };
}

/**
 * 意见征集: drafts put out for comment, their attachments (kept in the store as base64 text like a
 * reply document, served only while the consultation is published) and the comments, whose
 * commenter (name, phone, e-mail, 单位) is sealed like a letter writer's.
 */
function consultations(dialect: Dialect): Migration {
  const { timestamp } = columnTypes(dialect);
  const id = (db: Kysely<unknown>, table: string) => tableWithId(dialect, db, table);
  return {
    async up(db) {
      await id(db, 'consultation')
        .addColumn('site_id', 'integer', (c) => c.notNull().references('site.id').onDelete('cascade'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('rule', 'normative', 'other')`))
        .addColumn('concerns_business', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('drafting_unit', 'text', (c) => c.notNull())
        .addColumn('draft_html', 'text', (c) => c.notNull())
        .addColumn('explanation_html', 'text', (c) => c.notNull())
        .addColumn('interpretation_html', 'text', (c) => c.notNull().defaultTo(''))
        // Local days (YYYY-MM-DD, the site's time zone), both included.
        .addColumn('start_day', 'text', (c) => c.notNull())
        .addColumn('end_day', 'text', (c) => c.notNull())
        .addColumn('contact_name', 'text', (c) => c.notNull())
        .addColumn('contact_phone', 'text', (c) => c.notNull())
        .addColumn('contact_email', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('other_ways', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('show_comments', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'published', 'withdrawn')`))
        .addColumn('published_at', timestamp)
        .addColumn('feedback_text', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('feedback_summary', 'text')
        .addColumn('feedback_published_at', timestamp)
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .addColumn('updated_at', timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('consultation_site_status')
        .on('consultation')
        .columns(['site_id', 'status'])
        .execute();
      await id(db, 'consultation_attachment')
        .addColumn('consultation_id', 'integer', (c) => c.notNull().references('consultation.id').onDelete('cascade'))
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('mime_type', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('content', 'text', (c) => c.notNull())
        .addColumn('uploaded_by', 'text', (c) => c.notNull())
        .addColumn('uploaded_at', timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('consultation_attachment_of')
        .on('consultation_attachment')
        .column('consultation_id')
        .execute();
      await id(db, 'consultation_comment')
        .addColumn('consultation_id', 'integer', (c) => c.notNull().references('consultation.id').onDelete('cascade'))
        .addColumn('receipt_code', 'text', (c) => c.notNull().unique())
        .addColumn('personal', 'text', (c) => c.notNull())
        .addColumn('personal_key_id', 'text', (c) => c.notNull())
        .addColumn('phone_index', 'text', (c) => c.notNull())
        .addColumn('clause', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('flags', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('decision', 'text', (c) => c.check(sql`decision in ('adopted', 'partial', 'rejected')`))
        .addColumn('decision_reason', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('shown', 'integer', (c) => c.notNull().defaultTo(0))
        // What the public page shows of a shown comment, masked when it was chosen for display.
        .addColumn('public_name', 'text')
        .addColumn('public_body', 'text')
        .addColumn('decided_by', 'text')
        .addColumn('decided_at', timestamp)
        .addColumn('submitted_at', timestamp, (c) => c.notNull())
        .addColumn('anonymised_at', timestamp)
        .execute();
      await db.schema
        .createIndex('consultation_comment_of')
        .on('consultation_comment')
        .columns(['consultation_id', 'id'])
        .execute();
    },
    async down(db) {
      for (const table of ['consultation_comment', 'consultation_attachment', 'consultation'])
        await db.schema.dropTable(table).execute();
    },
  };
}

/**
 * The years whose official holiday schedule the administrator has entered in full. A single
 * correction to a year does not make its schedule known; the administrator says when it is.
 */
function calendarYears(dialect: Dialect): Migration {
  const { timestamp } = columnTypes(dialect);
  return {
    async up(db) {
      await db.schema
        .createTable('calendar_year')
        .addColumn('year', 'integer', (c) => c.primaryKey())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', timestamp, (c) => c.notNull())
        .execute();
    },
    async down(db) {
      await db.schema.dropTable('calendar_year').execute();
    },
  };
}

/**
 * Content types: each item says its type and holds its typed values as JSON (adding a field
 * changes no row); columns say the type of their items; a site's added fields, relations
 * between items (stored once, read both ways) and the values a removed field had.
 */
function contentTypes(dialect: Dialect): Migration {
  const { timestamp } = columnTypes(dialect);
  const id = (db: Kysely<unknown>, table: string) => tableWithId(dialect, db, table);
  return {
    async up(db) {
      await db.schema
        .alterTable('article')
        .addColumn('content_type', 'text', (c) => c.notNull().defaultTo('article'))
        .execute();
      await db.schema
        .alterTable('article')
        .addColumn('fields', 'text', (c) => c.notNull().defaultTo('{}'))
        .execute();
      // What lists show beside the title (a repealed policy's 已废止), kept from the values on save.
      await db.schema
        .alterTable('article')
        .addColumn('list_mark', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await db.schema
        .alterTable('channel')
        .addColumn('content_type', 'text', (c) => c.notNull().defaultTo('article'))
        .execute();
      await db.schema
        .alterTable('site')
        .addColumn('interpretation_due_days', 'integer', (c) =>
          c
            .notNull()
            .defaultTo(3)
            .check(sql`interpretation_due_days > 0`),
        )
        .execute();
      await id(db, 'content_field')
        .addColumn('site_id', 'integer', (c) => c.notNull().references('site.id').onDelete('cascade'))
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('required', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('sort_order', 'integer', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .addUniqueConstraint('content_field_name', ['site_id', 'content_type', 'name'])
        .execute();
      await db.schema
        .createTable('article_relation')
        .addColumn('article_id', 'integer', (c) => c.notNull().references('article.id').onDelete('cascade'))
        .addColumn('field', 'text', (c) => c.notNull())
        .addColumn('target_id', 'integer', (c) => c.notNull().references('article.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('article_relation_pk', ['article_id', 'field', 'target_id'])
        .execute();
      await db.schema.createIndex('article_relation_target').on('article_relation').columns(['target_id']).execute();
      await id(db, 'content_field_archive')
        .addColumn('site_id', 'integer', (c) => c.notNull().references('site.id').onDelete('cascade'))
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('article_id', 'integer', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('archived_by', 'text', (c) => c.notNull())
        .addColumn('archived_at', timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('article_type').on('article').columns(['site_id', 'content_type']).execute();
      await widenSearchTypes(dialect, db, SEARCH_TYPES_0020);
    },
    async down(db) {
      await widenSearchTypes(dialect, db, ['article', 'page']);
      await db.schema.dropIndex('article_type').execute();
      for (const table of ['content_field_archive', 'article_relation', 'content_field'])
        await db.schema.dropTable(table).execute();
      await db.schema.alterTable('site').dropColumn('interpretation_due_days').execute();
      await db.schema.alterTable('channel').dropColumn('content_type').execute();
      for (const column of ['list_mark', 'fields', 'content_type'])
        await db.schema.alterTable('article').dropColumn(column).execute();
    },
  };
}

/** What a search document is: a single-page column, or an item of a content type. */
const SEARCH_TYPES_0020 = ['article', 'page', 'policy', 'interpretation', 'guide', 'leader', 'organ', 'topic'];

/**
 * Sets the kinds search_doc.content_type may hold. PostgreSQL swaps the CHECK constraint;
 * SQLite cannot alter one, so the table is made again with its rows and ids (the FTS tables
 * key on those ids and reference nothing).
 */
async function widenSearchTypes(dialect: Dialect, db: Kysely<unknown>, types: readonly string[]): Promise<void> {
  const allowed = sql.join(types.map((t) => sql.lit(t)));
  if (dialect === 'postgres') {
    await sql`alter table search_doc drop constraint search_doc_content_type_check`.execute(db);
    await sql`alter table search_doc add constraint search_doc_content_type_check check (content_type in (${allowed}))`.execute(
      db,
    );
    return;
  }
  await db.schema
    .createTable('search_doc_next')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('doc_key', 'text', (c) => c.notNull().unique())
    .addColumn('site_id', 'integer', (c) => c.notNull().references('site.id').onDelete('cascade'))
    .addColumn('content_type', 'text', (c) => c.notNull().check(sql`content_type in (${allowed})`))
    .addColumn('article_id', 'integer', (c) => c.references('article.id').onDelete('cascade'))
    .addColumn('channel_id', 'integer', (c) => c.notNull().references('channel.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body_text', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into search_doc_next select id, doc_key, site_id, content_type, article_id, channel_id, title, body_text, published_at from search_doc`.execute(
    db,
  );
  await db.schema.dropTable('search_doc').execute();
  await sql`alter table search_doc_next rename to search_doc`.execute(db);
  await db.schema
    .createIndex('search_doc_site_published')
    .on('search_doc')
    .columns(['site_id', 'published_at'])
    .execute();
}

/**
 * Front servers (分发): the web servers in the DMZ the CMS pushes published pages to, how far each
 * has applied the manifest (acked_seq, -1 until its own state is read), its health and backoff,
 * and the cursors of what is collected from it (tamper events, views batches). front_event keeps
 * each tamper event a front reported, once (unique per front and remote id), until it is handled;
 * the front's name is kept with it, so a removed front's evidence stays readable.
 */
function frontServers(dialect: Dialect): Migration {
  const { timestamp } = columnTypes(dialect);
  const id = (db: Kysely<unknown>, table: string) => tableWithId(dialect, db, table);
  return {
    async up(db) {
      await id(db, 'front_server')
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('token_file', 'text', (c) => c.notNull())
        // '' for every site, else the served site ids, comma-separated.
        .addColumn('site_ids', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('acked_seq', 'integer', (c) => c.notNull().defaultTo(-1))
        .addColumn('state', 'text', (c) =>
          c
            .notNull()
            .defaultTo('new')
            .check(sql`state in ('new', 'ok', 'behind', 'down', 'refused', 'disk-full')`),
        )
        .addColumn('last_error', 'text')
        .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', timestamp)
        .addColumn('last_contact_at', timestamp)
        .addColumn('last_push_at', timestamp)
        .addColumn('last_sweep_at', timestamp)
        .addColumn('sweep_every_ms', 'integer')
        .addColumn('event_cursor', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('views_batch', 'integer', (c) => c.notNull().defaultTo(0))
        // Until when one instance serves the front (several instances on PostgreSQL).
        .addColumn('lease_until', timestamp)
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .execute();
      await id(db, 'front_event')
        .addColumn('front_id', 'integer', (c) => c.references('front_server.id').onDelete('set null'))
        .addColumn('front_name', 'text', (c) => c.notNull())
        .addColumn('remote_id', 'integer', (c) => c.notNull())
        .addColumn('at', timestamp, (c) => c.notNull())
        .addColumn('site_id', 'integer', (c) => c.notNull())
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('file', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('quarantine', 'text')
        .addColumn('restored', 'integer', (c) => c.notNull())
        .addColumn('handled_at', timestamp)
        .addColumn('handled_by', 'integer')
        .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await db.schema
        .createIndex('front_event_once')
        .on('front_event')
        .columns(['front_id', 'remote_id'])
        .unique()
        .execute();
      await db.schema.createIndex('front_event_site').on('front_event').columns(['site_id', 'handled_at']).execute();
    },
    async down(db) {
      for (const table of ['front_event', 'front_server']) await db.schema.dropTable(table).execute();
    },
  };
}

/**
 * `gazette migrate-site`: the crawl's frontier and map of old URLs (migration_urls, taken in seq
 * order, one row per URL of a site), and the old paths that answer 301 (redirects, one per path
 * of a site). old_path sorts by code point on both dialects (PostgreSQL's "C" collation, SQLite's
 * binary one): an export lists it in the same order whatever the store.
 */
function siteMigration(dialect: Dialect): Migration {
  const { timestamp } = columnTypes(dialect);
  const bytewise = dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
  return {
    async up(db) {
      await (
        dialect === 'postgres'
          ? db.schema.createTable('migration_urls').addColumn('seq', 'serial', (c) => c.primaryKey())
          : db.schema.createTable('migration_urls').addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
      )
        .addColumn('site_id', 'integer', (c) => c.notNull().references('site.id').onDelete('cascade'))
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('queued', 'done', 'failed', 'skipped')`))
        .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('list', 'article', 'file', 'page', 'proxy')`))
        .addColumn('text', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('depth', 'integer', (c) => c.notNull())
        .addColumn('form', 'text')
        // No foreign key: a row outlives an article removed by hand, and the re-run makes it again.
        .addColumn('article_id', 'integer')
        .addColumn('media_url', 'text')
        .addColumn('content_hash', 'text')
        // A list page's column, names from the top (JSON): its old URL is redirected there.
        .addColumn('columns', 'text')
        .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('updated_at', timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('migration_urls_url')
        .on('migration_urls')
        .columns(['site_id', 'url'])
        .unique()
        .execute();
      await db.schema
        .createIndex('migration_urls_state')
        .on('migration_urls')
        .columns(['site_id', 'state', 'seq'])
        .execute();
      await db.schema
        .createTable('redirects')
        .addColumn('site_id', 'integer', (c) => c.notNull().references('site.id').onDelete('cascade'))
        .addColumn('old_path', bytewise, (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('article', 'list', 'file', 'page')`))
        .addColumn('request_key', 'text', (c) => c.notNull())
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .addPrimaryKeyConstraint('redirects_pk', ['site_id', 'old_path'])
        .execute();
      await db.schema
        .createIndex('redirects_request_key')
        .on('redirects')
        .columns(['site_id', 'request_key'])
        .execute();
    },
    async down(db) {
      for (const table of ['redirects', 'migration_urls']) await db.schema.dropTable(table).execute();
    },
  };
}

/**
 * 站点外观 and template overrides (0023_site_look): each site's look (logo, banner, colours, the
 * home page's blocks) as one JSON document; the 头条 and 图片新闻 marks on articles; each site's
 * overrides of the default theme's templates, and every change to them as a revision; and the
 * progress of a publish task that renders many pages (a look or template change).
 */
function siteLook(dialect: Dialect): Migration {
  const { timestamp } = columnTypes(dialect);
  return {
    async up(db) {
      await db.schema
        .createTable('site_look')
        .addColumn('site_id', 'integer', (c) => c.primaryKey().references('site.id').onDelete('cascade'))
        .addColumn('look', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('updated_at', timestamp, (c) => c.notNull())
        .addColumn('updated_by', 'integer', (c) => c.references('user_account.id').onDelete('set null'))
        .execute();
      await db.schema
        .createTable('article_mark')
        .addColumn('article_id', 'integer', (c) => c.notNull().references('article.id').onDelete('cascade'))
        .addColumn('site_id', 'integer', (c) => c.notNull().references('site.id').onDelete('cascade'))
        .addColumn('mark', 'text', (c) => c.notNull().check(sql`mark in ('headline', 'picture')`))
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .addPrimaryKeyConstraint('article_mark_pk', ['article_id', 'mark'])
        .execute();
      await db.schema.createIndex('article_mark_site').on('article_mark').columns(['site_id', 'mark']).execute();
      await db.schema
        .createTable('theme_override')
        .addColumn('site_id', 'integer', (c) => c.notNull().references('site.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('updated_at', timestamp, (c) => c.notNull())
        .addColumn('updated_by', 'integer', (c) => c.references('user_account.id').onDelete('set null'))
        .addPrimaryKeyConstraint('theme_override_pk', ['site_id', 'name'])
        .execute();
      await tableWithId(dialect, db, 'theme_revision')
        .addColumn('site_id', 'integer', (c) => c.notNull().references('site.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        // null: the template went back to the default theme's own.
        .addColumn('source', 'text')
        .addColumn('action', 'text', (c) => c.notNull().check(sql`action in ('save', 'restore', 'reset', 'import')`))
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .addColumn('created_by', 'integer', (c) => c.references('user_account.id').onDelete('set null'))
        .execute();
      await db.schema
        .createIndex('theme_revision_name')
        .on('theme_revision')
        .columns(['site_id', 'name', 'id'])
        .execute();
      await db.schema
        .alterTable('publish_task')
        .addColumn('progress_done', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .alterTable('publish_task')
        .addColumn('progress_total', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    },
    async down(db) {
      await db.schema.alterTable('publish_task').dropColumn('progress_total').execute();
      await db.schema.alterTable('publish_task').dropColumn('progress_done').execute();
      for (const table of ['theme_revision', 'theme_override', 'article_mark', 'site_look'])
        await db.schema.dropTable(table).execute();
    },
  };
}

/**
 * The published 专题 of every site, looked up on each publish (which 专题 pages list the article):
 * without an index of their own that read walked an index of every article, 13 ms at 1,000,000
 * articles on PostgreSQL. A partial index holds the few 专题 alone (0024_published_topics).
 */
function publishedTopicsIndex(): Migration {
  return {
    async up(db) {
      await sql`create index article_published_topic on article (id)
        where content_type = 'topic' and status = 'published'`.execute(db);
    },
    async down(db) {
      await sql`drop index article_published_topic`.execute(db);
    },
  };
}

/**
 * PostgreSQL search ranks in tiers (title hit, whole word, pinyin) read from GIN indexes, not by
 * ts_rank over every match: ranking thousands of hits detoasted each one's whole body vector.
 * The title's grams get a small column of their own (kept inline, derived from the A-weighted
 * grams so no writer can let the two disagree), and titles and words get GIN indexes. Chunk 0
 * keeps the document's normalised text, where a Han phrase is checked as a substring. Pinyin
 * and initials gain their neighbour pairs, so a two-syllable query needs no recheck.
 */
function searchTiers(dialect: Dialect): Migration {
  return {
    async up(db) {
      if (dialect !== 'postgres') return;
      // Pinyin and initials keep each pair of neighbours beside them, at the first one's position
      // (see src/search/postgres.ts): the rows already indexed get their pairs from the positions
      // they hold. One ALTER rewrites the table once and rebuilds its indexes in bulk; an UPDATE
      // of every row would insert each row's grams into GIN again, one row at a time.
      await sql`create function pg_temp.with_pairs(v tsvector) returns tsvector language sql immutable as $$
        with s as (select p.lexeme, unnest(p.positions) as pos from unnest(v) p)
        select coalesce(string_agg(quote_literal(t.lexeme) || ':' || t.pos || 'A', ' '), '')::tsvector
        from (select s.lexeme, s.pos from s
              union all
              select a.lexeme || '_' || b.lexeme, a.pos from s a join s b on b.pos = a.pos + 1) t
      $$`.execute(db);
      await sql`alter table search_vector
        add column title tsvector generated always as (ts_filter(grams, '{a}')) stored,
        add column plain text not null default '',
        alter column pinyin type tsvector using pg_temp.with_pairs(pinyin),
        alter column initials type tsvector using pg_temp.with_pairs(initials)`.execute(db);
      await sql`drop function pg_temp.with_pairs(tsvector)`.execute(db);
      await sql`create index search_vector_title on search_vector using gin (title)`.execute(db);
      await sql`create index search_vector_words on search_vector using gin (words)`.execute(db);
    },
    async down(db) {
      if (dialect !== 'postgres') return;
      await sql`create function pg_temp.without_pairs(v tsvector) returns tsvector language sql immutable as $$
        select ts_delete(v, array(select p.lexeme from unnest(v) p where strpos(p.lexeme, '_') > 0))
      $$`.execute(db);
      await sql`drop index search_vector_words`.execute(db);
      await sql`alter table search_vector drop column title, drop column plain,
        alter column pinyin type tsvector using pg_temp.without_pairs(pinyin),
        alter column initials type tsvector using pg_temp.without_pairs(initials)`.execute(db);
      await sql`drop function pg_temp.without_pairs(tsvector)`.execute(db);
    },
  };
}
