import fs from 'node:fs';
import path from 'node:path';
import type { LetterType, Site } from '../domain/index.js';
import {
  addUnit,
  importAnsweredLetter,
  type Actor,
  type LetterWriter,
  type ServiceContext,
} from '../services/index.js';
import { PACKAGE_DIR } from './runtime.js';

/** demo/letters/letters.json: the portal's units and a few answered letters, published masked. */
interface DemoLetters {
  readonly units: readonly string[];
  readonly letters: readonly {
    readonly type: LetterType;
    readonly title: string;
    readonly body: string;
    readonly writer: LetterWriter;
    readonly showName: boolean;
    readonly receivedAt: string;
    readonly answeredAt: string;
    readonly unitName: string;
    readonly replyHtml: string;
    readonly publish: boolean;
  }[];
}

export const DEMO_LETTERS_FILE = path.join(PACKAGE_DIR, 'demo', 'letters', 'letters.json');

/** The demo portal's letter desk: its units and an archive of answered letters (领导信箱). */
export async function createDemoLetters(ctx: ServiceContext, portal: Site): Promise<number> {
  const demo = JSON.parse(fs.readFileSync(DEMO_LETTERS_FILE, 'utf8')) as DemoLetters;
  const site = { ...ctx, siteId: portal.id };
  const office: Actor = {
    userId: null,
    userName: 'gazette serve',
    grants: [
      { role: 'office', channelId: null },
      { role: 'admin', channelId: null },
    ],
    ip: null,
  };
  for (const [i, name] of demo.units.entries()) await addUnit(site, office, { name, sortOrder: i + 1 });
  for (const letter of demo.letters)
    await importAnsweredLetter(site, office, {
      ...letter,
      receivedAt: new Date(letter.receivedAt),
      answeredAt: new Date(letter.answeredAt),
    });
  return demo.letters.length;
}
