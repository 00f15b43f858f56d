// The domain: types and rules of sites, channels and articles. Plain TypeScript, no I/O.
export * from './errors.js';
export * from './time.js';
export * from './site.js';
export * from './channel.js';
export * from './channel-change.js';
export * from './article.js';
export * from './html.js';
export * from './urls.js';
export * from './roles.js';
export * from './workflow.js';
export * from './password.js';
export * from './password-strength.js';
export * from './pagination.js';
export * from './events.js';
export * from './letters.js';
export * from './calendar.js';
export * from './masking.js';
