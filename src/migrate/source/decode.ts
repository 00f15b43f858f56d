// A page's bytes to text, or the reason they are not text: an article imported as mojibake is
// worse than one reported, so every decoding is checked before it is trusted.
import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import type { DecodedPage } from '../types.js';
import { declaredCharsets, detectedCharset, isSingleByte, readBom, type CharsetChoice } from './charset.js';

const UTF8: CharsetChoice = { source: 'detected', label: 'utf-8', charset: 'utf-8' };

export function decodePage(bytes: Buffer, contentType: string | null): DecodedPage {
  const bom = readBom(bytes);
  if (bom) return settle([{ source: 'BOM', label: bom.charset, charset: bom.charset }], bytes.subarray(bom.length));
  return settle(candidates(bytes, contentType), bytes);
}

/** The charsets to try, best first; chardet runs only when it is reached. */
function* candidates(bytes: Buffer, contentType: string | null): Generator<CharsetChoice> {
  const declared = declaredCharsets(bytes, contentType).filter((choice) => choice.charset !== null);
  const declaresUtf8 = declared.some((choice) => choice.charset === 'utf-8');
  if (declared.length === 0 && isUtf8(bytes)) {
    yield UTF8;
    return;
  }
  if (declared.length > 0 && !declaresUtf8 && holdsUtf8Text(bytes)) {
    // A site moved to UTF-8 whose templates still say gb2312: GBK text is practically never valid
    // UTF-8 with several multi-byte characters, while decoding UTF-8 as GBK "succeeds" as mojibake.
    yield UTF8;
  }
  yield* declared;
  if (declared.length === 0 || declaresUtf8) {
    const guess = detectedCharset(bytes);
    if (guess) yield guess;
  }
}

type Attempt = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };

function settle(choices: Iterable<CharsetChoice>, bytes: Buffer): DecodedPage {
  const reasons: string[] = [];
  const tried = new Set<string | null>();
  for (const choice of choices) {
    if (tried.has(choice.charset)) continue;
    tried.add(choice.charset);
    const attempt = decodeAs(bytes, choice);
    if (attempt.ok) return { ok: true, text: attempt.text, charset: choice.charset ?? choice.label };
    reasons.push(attempt.reason);
  }
  return { ok: false, reason: reasons.length > 0 ? reasons.join('; ') : 'no charset declared or detected' };
}

function decodeAs(bytes: Buffer, choice: CharsetChoice): Attempt {
  const name = `${choice.source} ${choice.label}`;
  const charset = choice.charset;
  if (charset === null) return { ok: false, reason: `${name}, not a supported charset` };
  if (isSingleByte(charset)) {
    const run = multiByteRun(bytes);
    if (run >= 0) return { ok: false, reason: `${name}, multi-byte text at byte ${run}` };
  }
  const text = charset === 'utf-8' ? bytes.toString('utf8') : iconv.decode(bytes, charset, { stripBOM: false });
  const replaced = text.indexOf('\uFFFD');
  if (replaced >= 0) {
    const what = charset === 'utf-8' && isUtf8(bytes) ? 'replacement character' : 'invalid byte sequence';
    return { ok: false, reason: `${name}, ${what} at byte ${byteOffset(text, replaced, charset)}` };
  }
  const controls = text.match(CONTROL);
  if (controls && controls.length * 100 > text.length) {
    const first = text.search(CONTROL);
    return {
      ok: false,
      reason: `${name}, ${controls.length} control characters, the first at byte ${byteOffset(text, first, charset)}`,
    };
  }
  return { ok: true, text: text.startsWith('\uFEFF') ? text.slice(1) : text };
}

// C0 controls other than tab, line feed, form feed and carriage return; DEL; C1 controls (what
// bytes 0x80–0x9F become when a Latin-1 decoder meets text that is not Latin-1).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000e-\u001f\u007f-\u009f]/g;

/** Where in the bytes the text's character `index` starts: its prefix encoded again. */
function byteOffset(text: string, index: number, charset: string): number {
  const prefix = text.slice(0, index);
  // GB18030 decodes the lone byte 0x80 as € but encodes € in two: rare enough to be off by one.
  return charset === 'utf-8' ? Buffer.byteLength(prefix, 'utf8') : iconv.encode(prefix, charset).length;
}

/** Where three high bytes in a row start (CJK or UTF-8 text, not a Latin page), or -1. */
function multiByteRun(bytes: Buffer): number {
  let run = 0;
  for (let index = 0; index < bytes.length; index++) {
    run = (bytes[index] ?? 0) >= 0x80 ? run + 1 : 0;
    if (run === 3) return index - 2;
  }
  return -1;
}

const UTF8_EVIDENCE = 4;

/** Valid UTF-8 holding several multi-byte characters. */
function holdsUtf8Text(bytes: Buffer): boolean {
  if (!isUtf8(bytes)) return false;
  let leads = 0;
  for (const byte of bytes) {
    if (byte >= 0xc2 && ++leads >= UTF8_EVIDENCE) return true;
  }
  return false;
}
