import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { GazetteError } from '../domain/index.js';
import type { Theme } from './index.js';

/** `<script …>…</script>` in a template: its attributes and its text. */
const SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script>/gi;

/**
 * The hashes (`'sha256-…'`) of the inline scripts in the theme's templates: the only inline
 * scripts the pages' Content-Security-Policy lets run. A script with a `src` is covered by
 * `'self'`, a JSON data block (JSON-LD) is never run; an inline script with Liquid in it would
 * differ page by page and cannot be hashed ahead, so such a theme is refused at start.
 */
export function inlineScriptHashes(theme: Pick<Theme, 'dir'>): string[] {
  const folder = path.join(theme.dir, 'templates');
  const hashes = new Set<string>();
  for (const name of fs.readdirSync(folder).filter((n) => n.endsWith('.liquid')).sort()) {
    const text = fs.readFileSync(path.join(folder, name), 'utf8');
    for (const [, attributes = '', body = ''] of text.matchAll(SCRIPT)) {
      if (/\bsrc\s*=/i.test(attributes) || /\btype\s*=\s*["']?application\/(ld\+)?json/i.test(attributes)) continue;
      if (body.includes('{{') || body.includes('{%'))
        throw new GazetteError('CONFIG_INVALID', {
          name: `theme ${path.join(folder, name)}`,
          reason: 'an inline <script> holds Liquid; move it to a file under assets/ (the pages’ CSP runs only fixed inline scripts)',
        });
      hashes.add(`'sha256-${createHash('sha256').update(body).digest('base64')}'`);
    }
  }
  return [...hashes];
}

/**
 * The Content-Security-Policy of every answer but the back office's shell (which has its own):
 * scripts from the site and the theme's fixed inline scripts only, no plugins, no framing by
 * other sites, forms and `<base>` kept to the site. Images and media may come from other hosts
 * (imported articles link them), styles may be inline (the theme and sanitised bodies use them).
 */
export function publicContentSecurityPolicy(theme: Pick<Theme, 'dir'>): string {
  return [
    "default-src 'self'",
    `script-src 'self' ${inlineScriptHashes(theme).join(' ')}`.trimEnd(),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: http: https:",
    "media-src 'self' http: https:",
    "object-src 'none'",
    "frame-ancestors 'self'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
}
