// The web server: public pages, health check (and, with the back office, /api/v1 and /admin).
export { buildApp, type AppOptions } from './app.js';
export type { AppContext } from './context.js';
