// The `gazette` command runs a bundle of src/ made by esbuild (the compiler tsx itself uses),
// rebuilt whenever a source file changes: nothing to build by hand or forget to build, and no
// TypeScript loader in the running process. tsx's loader runs its hooks on a thread of their
// own with a V8 heap of its own and keeps every transformed file and source map: about 40 MiB
// of a page server's memory, and a slower start.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SRC = path.join(ROOT, 'src');
const OUT = path.join(ROOT, 'dist', 'cli');
const STALE_AFTER_MS = 24 * 3600_000;

/** The programs in the bundle: the command, and the worker threads it starts. */
const ENTRIES = { gazette: 'src/cli/main.ts', 'render-worker': 'src/publish/render-worker.ts' };

/**
 * Packages the bundle leaves to Node: native addons (better-sqlite3, jieba, sharp, pg's optional
 * pg-native), @fastify/swagger (reads its package.json beside its code), exceljs (loaded by
 * two commands only, and large).
 */
const EXTERNAL = ['better-sqlite3', '@node-rs/jieba', 'sharp', 'pg-native', '@fastify/swagger', 'exceljs'];

/** Every TypeScript file of the server side (the back office's front end is Vite's). */
function sources(dir = SRC) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (full !== path.join(SRC, 'admin')) found.push(...sources(full));
    } else if (entry.name.endsWith('.ts')) found.push(full);
  }
  return found;
}

/** Names the state of the sources (and of this file): a bundle made from other sources has another name. */
function fingerprint() {
  const hash = crypto.createHash('sha1');
  for (const file of [fileURLToPath(import.meta.url), ...sources().sort()]) {
    const stat = fs.statSync(file);
    hash.update(`${path.relative(ROOT, file)}\0${stat.size}\0${stat.mtimeMs}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * Each module of the sources keeps its own import.meta.url (its templates, word lists and
 * dictionaries are found beside its source file, as when it runs from source).
 */
const ownUrls = {
  name: 'own-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      const text = await fs.promises.readFile(args.path, 'utf8');
      // Anything else of import.meta would be the bundle's, not the module's: refused, by name.
      const other = /import\.meta\.(?!url\b)\w+/.exec(text);
      if (other)
        return {
          errors: [
            {
              text: `${other[0]} would name the bundle, not ${path.relative(ROOT, args.path)}: use import.meta.url (fileURLToPath(new URL('.', import.meta.url)) for the folder)`,
            },
          ],
        };
      return {
        contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
        loader: 'ts',
      };
    });
  },
};

/**
 * The programs in bin/ stay outside a bundle, imported by their own path: plain JavaScript, they
 * find the project from their own import.meta.url (bin/bundle.js makes bundles of it).
 */
const binOutside = {
  name: 'bin-outside',
  setup(build) {
    build.onResolve({ filter: /\/bin\/[^/]+\.js$/ }, (args) => {
      const file = path.resolve(args.resolveDir, args.path);
      return path.dirname(file) === path.join(ROOT, 'bin') ? { path: file, external: true } : undefined;
    });
  },
};

/**
 * What every bundle of Gazette's code shares: Node's ES modules with the libraries inside, but
 * for `external`; each module's own import.meta.url; code shared by the entries in chunks of
 * their own; the render workers' program where `workerFile` says.
 */
export function bundleOptions({ entries, outdir, workerFile, external = [] }) {
  return {
    absWorkingDir: ROOT,
    entryPoints: Object.entries(entries).map(([out, input]) => ({ in: input, out })),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // The libraries go in too: a command then reads a few files, not hundreds (node_modules
    // resolved and loaded one by one took most of a short command's start: `gazette user list`
    // 1.6 s of CPU, 0.6 s bundled). Left outside: native addons, and libraries that read their
    // own files beside their code (which a bundle moves away from them).
    external: [...EXTERNAL, ...external],
    // CommonJS libraries inside an ES module bundle call require for Node's own modules.
    banner: {
      js: "import { createRequire as gazetteCreateRequire } from 'node:module'; const require = gazetteCreateRequire(import.meta.url);",
    },
    outdir,
    outExtension: { '.js': '.mjs' },
    // Code only some entries need (the web server, image handling, the search index) goes in
    // chunks of its own, loaded when an entry imports it: short commands start sooner.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    logLevel: 'error',
    plugins: [ownUrls, binOutside],
    define: { GAZETTE_WORKER_FILE: JSON.stringify(workerFile) },
  };
}

/**
 * Libraries the test files use that stay outside their bundles: Playwright reads its own files
 * beside its code; esbuild and tsx find their native binary and loader hooks beside theirs.
 */
const TEST_EXTERNAL = ['playwright-core', 'esbuild', 'tsx'];

/**
 * The test files bundled, as `npm test` runs them (test/passes.ts): `{ [file]: bundled file }`.
 * A test process under tsx spent 1.5 to 2.5 s of CPU before its first test, transforming and
 * resolving files through the loader's thread, and each render thread of a build suite as much
 * again. Bundles of the same sources start in a fraction of that. A file run by hand still runs
 * under tsx. Names are kept (esbuild renames a class whose name two modules use), so that
 * errors and their messages read as from source.
 */
export async function bundleTests(files, outdir) {
  const esbuild = await import('esbuild');
  const entries = Object.fromEntries(files.map((file) => [file.replace(/\.ts$/, ''), file]));
  entries['render-worker'] = ENTRIES['render-worker'];
  try {
    await esbuild.build({
      ...bundleOptions({
        entries,
        outdir,
        workerFile: path.join(outdir, 'render-worker.mjs'),
        external: TEST_EXTERNAL,
      }),
      keepNames: true,
      sourcemap: true,
    });
  } finally {
    await esbuild.stop?.();
  }
  return Object.fromEntries(files.map((file) => [file, path.join(outdir, file.replace(/\.ts$/, '.mjs'))]));
}

/** The chunks a bundle file imports, and theirs (read from its import statements). */
export function chunksOf(file, seen = new Set()) {
  for (const match of fs
    .readFileSync(file, 'utf8')
    .matchAll(/from\s*"\.\.?\/(?:chunks\/)?([^"]+\.mjs)"|import\(\s*"\.\.?\/(?:chunks\/)?([^"]+\.mjs)"\s*\)/g)) {
    const chunk = path.join(OUT, 'chunks', match[1] ?? match[2]);
    if (seen.has(chunk) || !fs.existsSync(chunk)) continue;
    seen.add(chunk);
    chunksOf(chunk, seen);
  }
  return [...seen];
}

/** The bundle's files for the current sources, made first if need be: `{ gazette, 'render-worker' }` paths. */
export async function bundle() {
  const id = fingerprint();
  const files = Object.fromEntries(Object.keys(ENTRIES).map((name) => [name, path.join(OUT, `${name}-${id}.mjs`)]));
  if (Object.values(files).every((file) => fs.existsSync(file))) return files;
  const esbuild = await import('esbuild');
  fs.mkdirSync(OUT, { recursive: true });
  const temp = fs.mkdtempSync(path.join(OUT, '.bundle-'));
  try {
    await esbuild.build(bundleOptions({ entries: ENTRIES, outdir: temp, workerFile: files['render-worker'] }));
    // The chunks first (named by their content: one already there is the same file), then the
    // entries one by one, the command's last, so whoever finds it finds the rest.
    fs.mkdirSync(path.join(OUT, 'chunks'), { recursive: true });
    for (const chunk of fs.readdirSync(path.join(temp, 'chunks')))
      fs.renameSync(path.join(temp, 'chunks', chunk), path.join(OUT, 'chunks', chunk));
    for (const name of [...Object.keys(ENTRIES)].reverse()) fs.renameSync(path.join(temp, `${name}.mjs`), files[name]);
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
    await esbuild.stop?.();
  }
  // Bundles of older sources go once no process started from them can still need their worker file.
  const current = new Set(Object.values(files).flatMap((file) => [file, ...chunksOf(file)]));
  for (const file of [
    ...fs.readdirSync(OUT).map((name) => path.join(OUT, name)),
    ...fs.readdirSync(path.join(OUT, 'chunks')).map((name) => path.join(OUT, 'chunks', name)),
  ]) {
    if (path.basename(file).startsWith('.bundle-') || file === path.join(OUT, 'chunks')) continue;
    if (!current.has(file) && Date.now() - fs.statSync(file).mtimeMs > STALE_AFTER_MS) fs.rmSync(file, { force: true });
  }
  return files;
}
