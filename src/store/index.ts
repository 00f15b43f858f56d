// The store: Kysely over SQLite (default) or PostgreSQL, migrations and repositories.
export { openStore, type Store, type StoreLocation } from './connect.js';
export type { Dialect } from './migrations.js';
export type { Database } from './schema.js';
export * as sites from './sites.js';
export * as channels from './channels.js';
export * as articles from './articles.js';
export type { ArticleListing } from './articles.js';
