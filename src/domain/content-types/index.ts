// Content types: typed fields declared once, their validation and the shipped government types.
export * from './fields.js';
export * from './values.js';
export * from './shipped.js';
export * from './library.js';
export * from './topics.js';
