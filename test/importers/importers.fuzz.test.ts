import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { isGazetteError } from '../../src/domain/index.js';
import {
  decodeTextFile,
  importFiles,
  parseHtmlPage,
  parsePageText,
  type ImportedPage,
} from '../../src/importers/index.js';
import type { ServiceContext } from '../../src/services/index.js';
import { anyText, fuzzRuns } from '../helpers/fuzz.js';
import { demoSite, DEMO_PAGES } from '../helpers/factories.js';
import { contextFor, testStore, type TestStore } from '../helpers/store.js';

const SH = 'Asia/Shanghai';
const DEMO_TEXTS = fs
  .readdirSync(DEMO_PAGES)
  .sort()
  .map((name) => fs.readFileSync(path.join(DEMO_PAGES, name), 'utf8'));

/** A page's outcome: the page, or an error that names what is wrong (a GazetteError below 500); anything else fails the property. */
function outcomeOf(parse: () => ImportedPage): string {
  try {
    const page = parse();
    assert.ok(page.title.length > 0, 'a page has a title');
    return 'page';
  } catch (error) {
    assert.ok(isGazetteError(error) && error.status < 500, `not a clear refusal: ${String(error)}`);
    return error.code;
  }
}

/** One edit of a demo page: a line dropped, doubled or cut, text put in, the file truncated. */
const mutatedDemoPage = fc
  .tuple(
    fc.constantFrom(...DEMO_TEXTS),
    fc.array(fc.tuple(fc.nat(), fc.constantFrom('drop', 'double', 'cut', 'insert', 'truncate'), anyText(12)), {
      minLength: 1,
      maxLength: 4,
    }),
  )
  .map(([text, edits]) => {
    let lines = text.split('\n');
    for (const [at, edit, inserted] of edits) {
      const i = at % Math.max(1, lines.length);
      const line = lines[i] ?? '';
      if (edit === 'drop') lines.splice(i, 1);
      else if (edit === 'double') lines.splice(i, 0, line);
      else if (edit === 'cut') lines[i] = line.slice(0, at % (line.length + 1));
      else if (edit === 'insert')
        lines[i] = line.slice(0, at % (line.length + 1)) + inserted + line.slice(at % (line.length + 1));
      else lines = lines.slice(0, i);
    }
    return lines.join('\n');
  });

test('page text: arbitrary text and edited demo pages give a page or a named refusal, never a crash', () => {
  fc.assert(
    fc.property(fc.oneof(anyText(600), mutatedDemoPage), (text) => {
      outcomeOf(() => parsePageText(text, SH));
    }),
    fuzzRuns(400),
  );
});

test('saved HTML pages: arbitrary text, and demo pages wrapped as HTML and edited, give a page or a named refusal', () => {
  const asHtml = (text: string) =>
    `<!DOCTYPE html><html><head><title>t</title></head><body>${text
      .split('\n')
      .map((line) => `<p>${line}</p>`)
      .join('')}</body></html>`;
  fc.assert(
    fc.property(fc.oneof(anyText(600), mutatedDemoPage.map(asHtml)), (text) => {
      outcomeOf(() => parseHtmlPage(text, SH));
    }),
    fuzzRuns(300),
  );
});

test('arbitrary bytes: decoded or refused by name (not UTF-8, GBK, a BOM), never a crash', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
      outcomeOf(() => parsePageText(decodeTextFile(bytes), SH));
    }),
    fuzzRuns(400),
  );
});

describe('an import of hostile files leaves the store as it was, file by file', () => {
  let store: TestStore;
  let ctx: ServiceContext;
  let dir: string;
  before(async () => {
    store = await testStore();
    ctx = contextFor(store);
    await demoSite(ctx);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-import-fuzz-'));
  });
  after(async () => {
    await store?.dispose();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** What an import may change: the articles, their revisions, the search documents. */
  const counts = async () =>
    Promise.all(
      (['article', 'articleRevision', 'searchDoc', 'auditLog'] as const).map(async (table) =>
        Number(
          (
            await store.db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        ),
      ),
    );

  test('a refused file adds nothing; an accepted one adds its article', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          mutatedDemoPage,
          fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
        ),
        async (text) => {
          const file = path.join(dir, `page-${n++}.txt`);
          fs.writeFileSync(file, text);
          const before = await counts();
          const [outcome] = await importFiles(ctx, [file], SH);
          const after = await counts();
          if (outcome?.ok)
            assert.equal(
              after[0],
              (before[0] ?? 0) + (outcome.result.created ? 1 : 0),
              'one article per accepted file',
            );
          else {
            assert.deepEqual(after, before, `a refused file changed the store: ${outcome?.error.code}`);
            assert.equal(outcome?.error.location?.file, file, 'the refusal names its file');
          }
        },
      ),
      fuzzRuns(40),
    );
  });
});
