import fs from 'node:fs/promises';
import path from 'node:path';
import { TOO_LARGE_BYTES, type Mirror, type MirrorFile } from './mirrors/types.js';

// Small mirrors of old government sites in the three styles a migration meets (TRS WCM, Hanweb,
// a plain home-grown site), with what migrating each must produce. Built in memory; served over
// HTTP by ./mirror-server.ts, or written to disk as a wget copy.

export * from './mirrors/types.js';
export { trsMirror } from './mirrors/trs.js';
export { hanwebMirror } from './mirrors/hanweb.js';
export { plainMirror } from './mirrors/plain.js';
export { OLD_SITE, SENTENCES } from './mirrors/texts.js';

/**
 * The file name wget gives a URL path: the path without its leading slash, `index.html` for a
 * folder, and the query string kept in the name ('NewsView.aspx?NewsID=123').
 */
export function wgetFileName(urlPath: string): string {
  const [pathname = '', query] = urlPath.split(/\?(.*)/s, 2);
  const file = pathname.endsWith('/') ? `${pathname}index.html` : pathname;
  return `${file.replace(/^\/+/, '')}${query === undefined ? '' : `?${query}`}`;
}

/** The files a wget copy of the mirror holds: the pages that answered 200, and the large file. */
export function wgetFileNames(mirror: Mirror): string[] {
  return [
    ...mirror.files.filter(answered).map((f) => wgetFileName(f.path)),
    ...mirror.failures.filter((f) => f.kind === 'too-large').map((f) => wgetFileName(f.path)),
  ];
}

/** wget keeps what answered 200: the 521 challenge is not in a copy. */
const answered = (file: MirrorFile): boolean => (file.status ?? 200) === 200;

/**
 * Writes the mirror as wget would have saved it, straight under `dir` (no host folder). The
 * too-large file is written sparse: its 60 MiB cost no disk.
 */
export async function writeMirror(mirror: Mirror, dir: string): Promise<void> {
  const write = async (urlPath: string, body: Buffer | null) => {
    const file = path.join(dir, wgetFileName(urlPath));
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, body ?? '');
    if (!body) await fs.truncate(file, TOO_LARGE_BYTES);
  };
  for (const file of mirror.files) if (answered(file)) await write(file.path, file.body);
  for (const failure of mirror.failures) if (failure.kind === 'too-large') await write(failure.path, null);
}
