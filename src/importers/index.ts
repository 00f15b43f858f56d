// Importers: page text (the seed's format) and saved HTML article pages, into the store.
import fs from 'node:fs/promises';
import path from 'node:path';
import { GazetteError, isGazetteError } from '../domain/index.js';
import { importPage, type ImportResult, type ServiceContext } from '../services/index.js';
import { decodeTextFile } from './text.js';
import { parsePageText } from './pagetext.js';
import { parseHtmlPage } from './htmlpage.js';
import type { ImportedPage } from './page.js';

export type { ImportedPage } from './page.js';
export { parsePageText, parseBreadcrumb, parseMetaLine, bodyToHtml } from './pagetext.js';
export { parseHtmlPage } from './htmlpage.js';
export { decodeTextFile, firstInvalidUtf8 } from './text.js';

export type FileImportOutcome =
  | { readonly file: string; readonly ok: true; readonly result: ImportResult }
  | { readonly file: string; readonly ok: false; readonly error: GazetteError };

function looksLikeHtml(file: string, text: string): boolean {
  return /\.html?$/i.test(file) || /^\s*<(!doctype\s+html|html[\s>])/i.test(text);
}

/** Reads and parses one file without touching the store. */
export async function readPage(file: string, timeZone: string): Promise<ImportedPage> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file);
  } catch (cause) {
    throw new GazetteError('IMPORT_FILE_MISSING', {}, { file }, cause);
  }
  try {
    const text = decodeTextFile(bytes);
    return looksLikeHtml(file, text) ? parseHtmlPage(text, timeZone) : parsePageText(text, timeZone);
  } catch (error) {
    throw isGazetteError(error) ? error.at(file) : error;
  }
}

/**
 * Imports each file on its own: a bad file is reported and leaves nothing behind, the good ones
 * are stored. Outcomes come back in the order of the files given.
 */
export async function importFiles(
  ctx: ServiceContext,
  files: readonly string[],
  timeZone: string,
): Promise<FileImportOutcome[]> {
  const outcomes: FileImportOutcome[] = [];
  for (const file of files) {
    try {
      const page = await readPage(file, timeZone);
      outcomes.push({ file, ok: true, result: await importPage(ctx, page) });
    } catch (error) {
      if (!isGazetteError(error)) throw error;
      outcomes.push({ file, ok: false, error: error.location?.file ? error : error.at(file) });
    }
  }
  return outcomes;
}

/** The text-format pages in a folder, in name order (the demo content). */
export async function pagesIn(folder: string): Promise<string[]> {
  const names = await fs.readdir(folder);
  return names
    .filter((name) => /\.(txt|html?)$/i.test(name))
    .sort()
    .map((name) => path.join(folder, name));
}
