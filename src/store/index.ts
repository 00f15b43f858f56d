// The store: Kysely over SQLite (default) or PostgreSQL, migrations and repositories.
export { openStore, type Store, type StoreLocation } from './connect.js';
export type { Dialect } from './migrations.js';
export type { Database } from './schema.js';
export * as sites from './sites.js';
export * as channels from './channels.js';
export * as articles from './articles.js';
export type { ArticleListing, ArticleLocation } from './articles.js';
export * as users from './users.js';
export * as sessions from './sessions.js';
export * as revisions from './revisions.js';
export * as audit from './audit.js';
export * as media from './media.js';
export * as jobs from './jobs.js';
export type { UserRow } from './users.js';
export type { AuditRow } from './audit.js';
export type { MediaRow } from './media.js';
export type { JobRow, JobKind } from './jobs.js';
export * as manifest from './manifest.js';
