import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from './migrations.js';

/**
 * 0018_letter_attachments: the files of a letter. The writer's (role `writer`) are personal data:
 * their name and bytes are sealed with GAZETTE_DATA_KEY like the writer's name and phone (key_id
 * names the key, for the rotation), never published, and deleted by the retention job. The
 * unit's reply attachments (role `reply`) are kept as base64 text like a disclosure reply
 * document, and are public from the letter's publication (published_at) until it is withdrawn.
 */
export function letterAttachments(dialect: Dialect): Migration {
  const timestamp = dialect === 'postgres' ? sql`timestamptz` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      const table =
        dialect === 'postgres'
          ? db.schema.createTable('letter_attachment').addColumn('id', 'serial', (c) => c.primaryKey())
          : db.schema
              .createTable('letter_attachment')
              .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
      await table
        .addColumn('site_id', 'integer', (c) => c.notNull().references('site.id').onDelete('cascade'))
        .addColumn('letter_id', 'integer', (c) => c.notNull().references('letter.id').onDelete('cascade'))
        .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('writer', 'reply')`))
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('mime_type', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('content', 'text', (c) => c.notNull())
        .addColumn('key_id', 'text')
        .addColumn('uploaded_by', 'text', (c) => c.notNull())
        .addColumn('uploaded_at', timestamp, (c) => c.notNull())
        .addColumn('published_at', timestamp)
        .execute();
      await db.schema
        .createIndex('letter_attachment_letter')
        .on('letter_attachment')
        .columns(['letter_id', 'role'])
        .execute();
      await db.schema.createIndex('letter_attachment_key').on('letter_attachment').column('key_id').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('letter_attachment').execute();
    },
  };
}
