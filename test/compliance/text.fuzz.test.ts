import { test } from 'node:test';
import { segment } from '../../src/search/index.js';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { WordingChecker, pinyinReadings, shippedEntries } from '../../src/compliance/wording/index.js';
import { extractLinks } from '../../src/compliance/links/index.js';
import { anyText, fuzzRuns } from '../helpers/fuzz.js';

const checker = new WordingChecker(shippedEntries(), pinyinReadings, segment);
const PHRASES = shippedEntries()
  .slice(0, 400)
  .map((e) => e.phrase);

/** Text near the dictionary: its phrases, cut, doubled and run together with arbitrary text. */
const wordingText = fc.oneof(
  anyText(2000),
  fc
    .array(
      fc.oneof(
        fc.constantFrom(...PHRASES),
        fc.constantFrom(...PHRASES).map((p) => p.slice(1)),
        anyText(8),
      ),
      { maxLength: 60 },
    )
    .map((parts) => parts.join('')),
);

test('the wording checker answers arbitrary text, each finding placed on the text it names', () => {
  fc.assert(
    fc.property(wordingText, wordingText, (title, body) => {
      const texts = { title, body };
      for (const finding of checker.check(texts)) {
        const field = texts[finding.field as 'title' | 'body'];
        assert.equal(
          field.slice(finding.start, finding.end),
          finding.text,
          `${finding.field} ${finding.start}-${finding.end}`,
        );
        assert.ok(finding.occurrence >= 0 && finding.suggestion !== undefined);
      }
    }),
    fuzzRuns(200),
  );
});

/** HTML with links in every spelling an old page may have. */
const linkHtml = fc.oneof(
  anyText(1000),
  fc
    .array(
      fc.tuple(
        fc.constantFrom('a href', 'img src', 'A HREF', 'link href', 'area href', 'iframe src', 'a  href'),
        fc.constantFrom('"', "'", ''),
        anyText(40),
        anyText(20),
      ),
      { maxLength: 30 },
    )
    .map((links) =>
      links.map(([tag, quote, url, text]) => `<${tag}=${quote}${url}${quote}>${text}</${tag.split(' ')[0]}>`).join(''),
    ),
);

test('the link extractor answers arbitrary HTML with the links it holds', () => {
  fc.assert(
    fc.property(linkHtml, (html) => {
      const links = extractLinks(html);
      assert.ok(
        links.every((link) => typeof link === 'string' && link.trim() === link && link !== ''),
        JSON.stringify(links),
      );
    }),
    fuzzRuns(300),
  );
});
