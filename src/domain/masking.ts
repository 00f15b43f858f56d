/**
 * Masking of personal data on the public pages of the 领导信箱 (letters to the leadership and
 * their replies). The writer's name is cut to the surname, phones keep their first and last
 * digits, e-mail addresses their first character and domain, postal addresses stop at the
 * district, and ID-card numbers are removed whole. `maskText` does the same inside free text
 * (the letter body and the reply): everything it recognises by pattern, plus the writer's own
 * name and address as the caller knows them.
 *
 * Every function here is idempotent: masking a masked value or text changes nothing.
 */

/** What an ID-card number is replaced with. */
export const ID_NUMBER_MARKER = '【身份证号已隐去】';

/** What an address with nothing recognisable (no province, city or district) is replaced with. */
export const MASKED_ADDRESS = '***';

/** The writer's personal data as the letter form collects it. */
export interface PersonalData {
  name: string;
  phone: string;
  email: string;
  address: string;
  idNumber?: string;
}

/** What the caller knows of the writer, to mask wherever it appears in a text. */
export interface KnownPersonalData {
  names?: readonly string[];
  phones?: readonly string[];
  addresses?: readonly string[];
  emails?: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Names

/** Two-character surnames: a name starting with one of these keeps both characters. */
const COMPOUND_SURNAMES = new Set([
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '长孙',
  '宇文',
  '司徒',
  '夏侯',
  '轩辕',
  '令狐',
  '钟离',
  '澹台',
  '端木',
  '百里',
  '呼延',
  '南宫',
  '西门',
  '独孤',
  '万俟',
  '闻人',
  '申屠',
  '司空',
  '太史',
  '公冶',
  '濮阳',
  '淳于',
  '单于',
  '赫连',
  '宗政',
  '公羊',
  '仲孙',
  '鲜于',
  '闾丘',
  '子车',
  '亓官',
  '司寇',
  '巫马',
  '公西',
  '颛孙',
  '壤驷',
  '公良',
  '漆雕',
  '乐正',
  '宰父',
  '谷梁',
  '拓跋',
  '夹谷',
  '段干',
  '东郭',
  '南门',
  '羊舌',
  '微生',
  '梁丘',
  '左丘',
  '东门',
  '第五',
  '呼衍',
]);

const HAN_ONLY = /^\p{Script=Han}+$/u;

/**
 * The name cut to its surname: 张三 → 张**, 欧阳娜娜 → 欧阳**, a one-character name 张 → 张*.
 * The mask is always two stars, so that it does not tell the length of the given name. Names
 * that are not all Han characters (John Smith, 阿依古丽·买买提) keep their first character.
 */
export function maskName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') return '';
  const masked = /^(.+?)\*+$/u.exec(trimmed);
  if (masked?.[1] !== undefined) {
    const kept = masked[1];
    if (Array.from(kept).length === 1 || COMPOUND_SURNAMES.has(kept)) return trimmed;
  }
  const compact = trimmed.replace(/\s+/gu, '');
  const chars = Array.from(HAN_ONLY.test(compact) ? compact : trimmed);
  const first = chars[0] ?? '';
  if (chars.length === 1) return `${first}*`;
  if (chars.length > 2 && HAN_ONLY.test(compact)) {
    const two = first + (chars[1] ?? '');
    if (COMPOUND_SURNAMES.has(two)) return `${two}**`;
  }
  return `${first}**`;
}

// ---------------------------------------------------------------------------------------------
// Phones, ID numbers and e-mail addresses, by pattern

/** Not a letter or digit before / after: numbers inside longer runs or codes are left alone. */
const START = '(?<![0-9A-Za-z])';
const END = '(?![0-9A-Za-z])';
const SEP = '[ -]?';
/** 11-digit mobile starting 1[3-9], optionally +86/0086 and spaces or dashes: 138 1234 5678. */
const MOBILE = `(?:(?:\\+|00)86${SEP})?1[3-9]\\d${SEP}\\d{4}${SEP}\\d{4}`;
/**
 * Landline with area code: 010 and 02x have 8-digit numbers, the 4-digit codes 7 or 8; local
 * numbers never start with 0 or 1. The code may stand in brackets: (0512)63456789.
 */
const LANDLINE =
  `(?:\\(0(?:10|2\\d)\\)${SEP}|0(?:10|2\\d)${SEP})[2-9]\\d{3}${SEP}\\d{4}` +
  `|(?:\\(0[3-9]\\d\\d\\)${SEP}|0[3-9]\\d\\d${SEP})[2-9]\\d{2,3}${SEP}\\d{4}`;
/** 18-digit ID number (the last may be X) or the old 15-digit one. */
const ID_NUMBER = '\\d{17}[\\dXx]|\\d{15}';
const EMAIL = '(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}';

// One pass, so that a match is never looked into again; e-mail first, as its local part may
// be a phone number (13812345678@163.com). Each alternative is one capturing group.
const PERSONAL_PATTERN = new RegExp(`(${EMAIL})|${START}(?:(${ID_NUMBER})|(${MOBILE})|(${LANDLINE}))${END}`, 'gu');
const MOBILE_ONLY = new RegExp(`^(?:${MOBILE})$`, 'u');
const LANDLINE_ONLY = new RegExp(`^(?:${LANDLINE})$`, 'u');
/** The forms maskPhone gives, as they may stand in a text. */
const MASKED_PHONE_IN_TEXT = new RegExp(`${START}(?:1[3-9]\\d\\*{4}\\d{4}|0\\d{2,3}-\\*{4}\\d{4})${END}`, 'gu');

/** Full-width ASCII (１３８, （, ＠, －) and the ideographic space read as their plain forms; same length. */
function halfWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E\u3000]/gu, (c) =>
    c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0),
  );
}

function maskMobile(matched: string): string {
  const digits = matched.replace(/\D/gu, '').slice(-11);
  return `${digits.slice(0, 3)}****${digits.slice(7)}`;
}

function maskLandline(matched: string): string {
  const digits = matched.replace(/\D/gu, '');
  const areaLength = /^0[12]/u.test(digits) ? 3 : 4;
  return `${digits.slice(0, areaLength)}-****${digits.slice(-4)}`;
}

/** A 15-digit number is taken for an old ID number only when its digits 7–12 read as a birth date YYMMDD. */
function isOldIdNumber(digits: string): boolean {
  const month = Number(digits.slice(8, 10));
  const day = Number(digits.slice(10, 12));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/** Longest run of digits a phone field may keep outside the phones recognised in it (an extension). */
const MAX_EXTENSION_DIGITS = 4;

/**
 * A phone number masked: mobiles to 138****5678, landlines to 0512-****6789 (+86, spaces, dashes
 * and brackets dropped). A field holding more than one number, or words around it, has each
 * number masked in place: "0512-63456789-801" → "0512-****6789-801", "手机13812345678" → "手机138****5678".
 * Anything else keeps only its last four digits, other characters as they are: 63456789 → ****6789.
 */
export function maskPhone(phone: string): string {
  const trimmed = phone.trim();
  if (trimmed === '') return '';
  const plain = halfWidth(trimmed);
  if (MOBILE_ONLY.test(plain)) return maskMobile(plain);
  if (LANDLINE_ONLY.test(plain)) return maskLandline(plain);
  const inPlace = replacePatterns(trimmed);
  const phones = inPlace.match(MASKED_PHONE_IN_TEXT)?.length ?? 0;
  const digitsLeft = inPlace.replace(MASKED_PHONE_IN_TEXT, '').replace(/\D/gu, '').length;
  if (phones > 0 && digitsLeft <= MAX_EXTENSION_DIGITS) return inPlace;
  let keep = 4;
  const chars = Array.from(plain);
  for (let i = chars.length - 1; i >= 0; i--) {
    const c = chars[i] ?? '';
    if (/\d/u.test(c)) chars[i] = keep-- > 0 ? c : '*';
  }
  return chars.join('');
}

/** The first character of the local part and the domain: zhang.san@example.com → z***@example.com. */
export function maskEmail(email: string): string {
  const trimmed = halfWidth(email.trim());
  if (trimmed === '') return '';
  const at = trimmed.lastIndexOf('@');
  const first = Array.from(trimmed.slice(0, at))[0];
  const domain = trimmed.slice(at + 1);
  if (at < 0 || first === undefined || domain === '') return '***';
  return `${first}***@${domain}`;
}

// ---------------------------------------------------------------------------------------------
// Addresses

/**
 * A Han character that may be part of the name of a province, city or district: not a level
 * suffix, nor a mark of what lies below a district (镇 乡 村 街道 路 号 …). A district whose name
 * holds one (济南市市中区, 唐山市路北区, 哈尔滨市道里区) is not recognised, and the address is cut
 * one level higher: more masking, never less.
 */
const NAME_CHAR = '(?:(?![省市区县旗盟镇乡村街路号道巷弄幢栋楼室])\\p{Script=Han})';
const PROVINCE = `(?:北京|上海|天津|重庆)市|${NAME_CHAR}{2,8}?(?:省|自治区|特别行政区)`;
/** Cities: 市, 地区, 盟, 自治州, and the short 州 (恩施州); two characters at least, so 苏州市 is not 苏州 + 市. */
const CITY = `${NAME_CHAR}{2,10}?(?:自治州|地区|市|盟|州)`;
/**
 * Districts: 区, 县, 自治县, county-level 市, and 旗 (two characters at least: 红旗小区 is no 旗).
 * Not 小区 社区 校区 景区 厂区 片区 营区 住宅区 生活区 宿舍区, nor 超市 菜市 夜市 门市 集市 股市.
 */
const DISTRICT =
  `${NAME_CHAR}{1,12}?(?:自治县|(?<![小社校景厂片营宅活舍住])区|县|(?<![超菜夜门集股])市)` +
  `|${NAME_CHAR}{2,12}?(?:自治旗|旗)`;
const ADMIN_PREFIX = new RegExp(`^(${PROVINCE})?(${CITY})?(${DISTRICT})?`, 'u');

/** Where each recognised level (province, city, district) of the address ends. */
function adminLevelEnds(address: string): number[] {
  const match = ADMIN_PREFIX.exec(address);
  const ends: number[] = [];
  let at = 0;
  for (const part of [match?.[1], match?.[2], match?.[3]]) {
    if (part === undefined) continue;
    at += part.length;
    ends.push(at);
  }
  return ends;
}

/**
 * The address cut to its district: 江苏省苏州市吴江区松陵镇中山路88号3幢 → 江苏省苏州市吴江区,
 * 北京市朝阳区建国路1号 → 北京市朝阳区. Without a district it keeps what it recognises of the
 * province and city; with nothing recognisable it is masked whole (MASKED_ADDRESS).
 */
export function maskAddress(address: string): string {
  const trimmed = address.trim();
  if (trimmed === '') return '';
  const end = adminLevelEnds(trimmed).at(-1);
  return end === undefined ? MASKED_ADDRESS : trimmed.slice(0, end);
}

// ---------------------------------------------------------------------------------------------
// Free text

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
}

/** Shortest known value masked inside a text: a single character would hit ordinary words. */
const MIN_KNOWN_LENGTH = 2;

/** The literal values to replace in a text, each with its masked form. */
function knownReplacements(known: KnownPersonalData): Map<string, string> {
  const replacements = new Map<string, string>();
  const add = (value: string, masked: string): void => {
    if (Array.from(value).length >= MIN_KNOWN_LENGTH && value !== masked && !replacements.has(value)) {
      replacements.set(value, masked);
    }
  };
  for (const name of known.names ?? []) add(name.trim(), maskName(name));
  for (const phone of known.phones ?? []) add(phone.trim(), maskPhone(phone));
  for (const email of known.emails ?? []) add(email.trim(), maskEmail(email));
  for (const address of known.addresses ?? []) {
    const trimmed = address.trim();
    add(trimmed, maskAddress(trimmed));
    // A letter may give the address from the city or district on (苏州市吴江区松陵镇…), or only
    // the part below the district (松陵镇中山路88号3幢): each such tail is masked as an address.
    for (const end of adminLevelEnds(trimmed)) {
      const tail = trimmed.slice(end);
      if (Array.from(tail).length >= 4) add(tail, maskAddress(tail));
    }
  }
  return replacements;
}

function replaceKnown(text: string, known: KnownPersonalData): string {
  const replacements = knownReplacements(known);
  if (replacements.size === 0) return text;
  const alternatives = [...replacements.keys()]
    .sort((a, b) => b.length - a.length)
    .map((value) => {
      // A known value starting or ending in a letter or digit does not match inside a longer word or number.
      const before = /^[0-9A-Za-z]/u.test(value) ? START : '';
      const after = /[0-9A-Za-z]$/u.test(value) ? END : '';
      return before + escapeRegExp(value) + after;
    });
  const pattern = new RegExp(alternatives.join('|'), 'gu');
  return text.replace(pattern, (value) => replacements.get(value) ?? value);
}

/**
 * `landlines` false: landlines found by pattern stay (a reply gives the office's own numbers to
 * call; the writer's own number is masked anyway as a known value).
 */
function replacePatterns(text: string, landlines = true): string {
  // Matched on the half-width reading, cut from the original: unmatched text keeps its full-width characters.
  const plain = halfWidth(text);
  let out = '';
  let at = 0;
  for (const match of plain.matchAll(PERSONAL_PATTERN)) {
    const [matched, email, idNumber, mobile] = match;
    let masked: string;
    if (email !== undefined) masked = maskEmail(email);
    else if (idNumber !== undefined)
      masked = idNumber.length === 18 || isOldIdNumber(idNumber) ? ID_NUMBER_MARKER : idNumber;
    else if (mobile !== undefined) masked = maskMobile(mobile);
    else masked = landlines ? maskLandline(matched) : text.slice(match.index, match.index + matched.length);
    out += text.slice(at, match.index) + masked;
    at = match.index + matched.length;
  }
  return out + text.slice(at);
}

/**
 * Personal data masked inside a text: every mobile, landline, ID number and e-mail address found
 * by pattern, and every occurrence of the known names, phones, e-mail addresses and addresses
 * (and of an address's tails from its city, its district, or below it). Dates, amounts, 文号,
 * postal codes and other numbers stay as they are; a number inside a longer run of digits or
 * letters is never taken for a phone or an ID number. A reply keeps landlines found by pattern
 * (`landlines: false`): they are the office's numbers to call.
 */
export function maskText(
  text: string,
  known: KnownPersonalData = {},
  options: { readonly landlines?: boolean } = {},
): string {
  return replacePatterns(replaceKnown(text, known), options.landlines ?? true);
}

/**
 * What a public page may show of the writer: the name only when the writer agreed to show it
 * (masked otherwise); phone, e-mail and address always masked; an ID number never shown.
 */
export function publicPersonalData(data: PersonalData, showName: boolean): PersonalData {
  const shown: PersonalData = {
    name: showName ? data.name : maskName(data.name),
    phone: maskPhone(data.phone),
    email: maskEmail(data.email),
    address: maskAddress(data.address),
  };
  if (data.idNumber !== undefined && data.idNumber.trim() !== '') shown.idNumber = ID_NUMBER_MARKER;
  return shown;
}
