/** The bundle's files for the current sources, made first if need be (see bundle.js). */
export function bundle(): Promise<{ readonly gazette: string; readonly 'render-worker': string }>;

/** The chunk files a bundle file imports, directly or through other chunks (see bundle.js). */
export function chunksOf(file: string): string[];

/** The test files bundled, as `npm test` runs them (see bundle.js): each file's bundle. */
export function bundleTests(files: readonly string[], outdir: string): Promise<Record<string, string>>;
