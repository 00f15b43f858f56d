import assert from 'node:assert/strict';
import { parseDocument } from 'htmlparser2';
import { findOne, textContent } from 'domutils';
import type { Element } from 'domhandler';
import { answerOf } from './letters.js';

/** The text of the page's <main>, a line per line of markup, blank lines dropped. */
export function mainLines(html: string): string[] {
  const main = findOne((e: Element) => e.name === 'main', parseDocument(html).children);
  assert.ok(main, 'no <main>');
  return textContent(main)
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '');
}

export const form = (fields: Record<string, string>) => ({
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams(fields).toString(),
});

/** The form's question and token, as a person without JavaScript reads them. */
export function questionOf(html: string): { challengeToken: string; challengeAnswer: string } {
  const token = /name="challengeToken" value="([^"]+)"/.exec(html)?.[1];
  const question = /验证问题 <span aria-hidden="true">\*<\/span> ([^<]+)<\/label>/.exec(html)?.[1];
  assert.ok(token && question, 'no question on the form');
  return { challengeToken: token, challengeAnswer: String(answerOf(question)) };
}
