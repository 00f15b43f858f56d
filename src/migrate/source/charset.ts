// Which charset a page says it is in, and which one its bytes look like: the BOM, the
// Content-Type header, the first bytes' <meta> or <?xml?> declaration, chardet's guess.
import chardet from 'chardet';
import iconv from 'iconv-lite';

/** How a page's charset became known; the first word of an undecodable page's reason. */
export type CharsetSource = 'BOM' | 'declared' | 'detected';

export interface CharsetChoice {
  readonly source: CharsetSource;
  /** As the page or chardet names it, lower case: 'gbk', 'gb2312', 'utf-8'. */
  readonly label: string;
  /** The name iconv-lite decodes with, or null when it knows no such charset. */
  readonly charset: string | null;
}

const BOMS: readonly { readonly bytes: readonly number[]; readonly charset: string }[] = [
  { bytes: [0xef, 0xbb, 0xbf], charset: 'utf-8' },
  { bytes: [0xff, 0xfe], charset: 'utf-16le' },
  { bytes: [0xfe, 0xff], charset: 'utf-16be' },
];

/** The byte order mark the page starts with, and its length. */
export function readBom(bytes: Buffer): { readonly charset: string; readonly length: number } | null {
  for (const bom of BOMS) {
    if (bom.bytes.every((byte, index) => bytes[index] === byte))
      return { charset: bom.charset, length: bom.bytes.length };
  }
  return null;
}

// GBK and GB2312 are subsets of GB18030, and a page labelled one often holds characters of the
// wider set (what browsers do too). Latin-1 and ASCII labels mean windows-1252 on the web.
const ALIASES: Readonly<Record<string, string>> = {
  gb2312: 'gb18030',
  gbk: 'gb18030',
  'x-gbk': 'gb18030',
  cp936: 'gb18030',
  'windows-936': 'gb18030',
  gb_2312: 'gb18030',
  'gb_2312-80': 'gb18030',
  csgb2312: 'gb18030',
  chinese: 'gb18030',
  'iso-ir-58': 'gb18030',
  utf8: 'utf-8',
  'unicode-1-1-utf-8': 'utf-8',
  ascii: 'windows-1252',
  'us-ascii': 'windows-1252',
  'iso-8859-1': 'windows-1252',
  latin1: 'windows-1252',
};

/** The charset iconv-lite decodes a label with, or null when it knows none such. */
export function charsetOf(label: string, source: CharsetSource): string | null {
  // A UTF-16 label on a page without a BOM is a template's mistake: its bytes are 8-bit.
  const name = source === 'declared' && label.startsWith('utf-16') ? 'utf-8' : (ALIASES[label] ?? label);
  return iconv.encodingExists(name) ? name : null;
}

function choice(source: CharsetSource, raw: string): CharsetChoice {
  const label = raw.trim().toLowerCase();
  return { source, label, charset: charsetOf(label, source) };
}

const HEADER_CHARSET = /charset\s*=\s*["']?([^"';\s]+)/i;
// A prescan like the HTML standard's: the bytes are read as Latin-1, so a pattern can look at
// them before anything is decoded. Both <meta charset> and the http-equiv form end in `charset=`.
const META_CHARSET = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([\w.:-]+)/i;
const XML_ENCODING = /^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([\w.:-]+)/;
const PRESCAN_BYTES = 2048;

/**
 * What the page declares, header first then its own markup, each once: a later one is tried when
 * an earlier one fails (a Java server's default `ISO-8859-1` header over a page marked `gbk`).
 */
export function declaredCharsets(bytes: Buffer, contentType: string | null): CharsetChoice[] {
  const head = bytes.subarray(0, PRESCAN_BYTES).toString('latin1');
  const labels = [
    contentType === null ? undefined : HEADER_CHARSET.exec(contentType)?.[1],
    XML_ENCODING.exec(head)?.[1] ?? META_CHARSET.exec(head)?.[1],
  ];
  const choices: CharsetChoice[] = [];
  for (const label of labels) {
    if (label === undefined) continue;
    const declared = choice('declared', label);
    if (!choices.some((known) => known.label === declared.label)) choices.push(declared);
  }
  return choices;
}

const DETECT_BYTES = 64 * 1024;

/** chardet's guess from the first 64 KiB, or null when it has none. */
export function detectedCharset(bytes: Buffer): CharsetChoice | null {
  const guess = chardet.detect(bytes.subarray(0, DETECT_BYTES));
  if (guess === null) return null;
  // Pure ASCII is valid UTF-8, the charset the rest of the site most likely uses.
  return guess === 'ASCII' ? choice('detected', 'utf-8') : choice('detected', guess);
}

/** A charset with one byte per character: decoding never fails, so it needs a check of its own. */
export function isSingleByte(charset: string): boolean {
  return /^(?:windows-125\d|iso-8859-\d+|koi8-[ru]|macintosh|ibm\d+|cp125\d)$/.test(charset);
}
