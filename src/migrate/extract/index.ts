// Extraction: what one fetched page of an old site holds. Which CMS wrote it, whether it is a page
// at all (not an anti-bot challenge, a login wall or an error page), its breadcrumb and, for an
// article page, the article. Pure functions over a parsed page: no I/O. Parse a page once with
// parsePage and ask every question of that Document: the walk over it is kept with it (so the
// Document must not be changed afterwards; the article clean-up works on a copy).
export { parsePage } from './dom.js';
export { detectFamily } from './detect.js';
export { pageProblem } from './problems.js';
export { readBreadcrumb } from './crumbs.js';
export { extractArticle } from './article.js';
export { isFileUrl, fileFromLink } from './files.js';
export { normaliseDate } from './disclosure.js';
