import { DISCLOSURE_TOPICS, GazetteError, toLocal, type ErrorParam } from '../../domain/index.js';

/**
 * 信息公开 metadata rules, no I/O: the national 主题分类, the 公开方式, the 统一社会信用代码
 * check (GB 32100-2015), the 文号 and 成文日期 forms, and the 索引号 format.
 */

export { DISCLOSURE_TOPICS };
export type DisclosureTopic = (typeof DISCLOSURE_TOPICS)[number];

/** 公开方式 of information that is published: 不予公开 information is never on the portal. */
export const DISCLOSURE_FORMS = ['主动公开', '依申请公开'] as const;
export type DisclosureForm = (typeof DISCLOSURE_FORMS)[number];

// GB 32100-2015: 31 characters, the digits and the capitals without I, O, Z, S, V.
const CREDIT_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character (18th) of the first 17 characters of a 统一社会信用代码; null if a character is outside the set. */
export function creditCheckChar(first17: string): string | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = CREDIT_CHARSET.indexOf(first17[i] ?? '');
    if (value < 0) return null;
    sum += value * (CREDIT_WEIGHTS[i] ?? 0);
  }
  return CREDIT_CHARSET[(31 - (sum % 31)) % 31] ?? null;
}

/** Why a 统一社会信用代码 is not one, or null when it is (length, character set, check character). */
export function creditCodeProblem(code: string): ErrorParam | null {
  if (code.length !== 18)
    return {
      zh: `统一社会信用代码应为 18 位（现为 ${code.length} 位）`,
      en: `a unified social credit code has 18 characters (this has ${code.length})`,
    };
  const bad = [...code].find((c) => !CREDIT_CHARSET.includes(c));
  if (bad !== undefined)
    return {
      zh: `含有不允许的字符“${bad}”（只能是数字和除 I、O、Z、S、V 外的大写字母）`,
      en: `"${bad}" is not allowed (digits and capitals except I, O, Z, S, V)`,
    };
  const check = creditCheckChar(code.slice(0, 17));
  if (check !== code[17])
    return {
      zh: `校验码不符（第 18 位应为 ${check ?? '?'}）`,
      en: `the check character does not match (the 18th should be ${check ?? '?'})`,
    };
  return null;
}

/** 索引号: `11320509014160011K/2025-00012`. */
export function formatIndexNo(organizationCode: string, year: number, serial: number): string {
  return `${organizationCode}/${year}-${String(serial).padStart(5, '0')}`;
}

export const INDEX_NO_PATTERN = /^[0-9A-HJ-NPQRTUWXY]{18}\/\d{4}-\d{5,}$/;

/**
 * The year in a 索引号: the year of the 发布日期, or, for an article not yet given one, of the
 * article's creation (both in the site's zone). Later changes to either do not renumber it.
 */
export function indexYear(publishedAt: string | null, createdAt: string, timeZone: string): number {
  return toLocal(new Date(publishedAt ?? createdAt), timeZone).year;
}

// 文号: issuer abbreviation, year in 〔〕, number, 号 (吴政发〔2025〕12号). Brackets typed as [], ［］,
// () or （） are the common slips; they are corrected, anything else unusual is refused.
const DOCUMENT_NO = /^(\S{1,30}?)[〔［[（(](\d{4})[〕］\]）)](第?\d{1,5})号$/;

/** The 文号 in its standard form, '' when none; throws naming the field when it is not one. */
export function normalizeDocumentNo(value: string): string {
  const text = value.trim().replace(/\s+/g, '');
  if (text === '') return '';
  const m = DOCUMENT_NO.exec(text);
  if (!m)
    throw fieldInvalid('documentNo', {
      zh: `“${text}”不是文号格式（如 吴政发〔2025〕12号）`,
      en: `"${text}" is not a document number like 吴政发〔2025〕12号`,
    });
  return `${m[1] ?? ''}〔${m[2] ?? ''}〕${m[3] ?? ''}号`;
}

/** 成文日期 `YYYY-MM-DD` that exists on the calendar; null when none is given. */
export function checkWrittenOn(value: string | null | undefined): string | null {
  const text = value?.trim() ?? '';
  if (text === '') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!date || date.toISOString().slice(0, 10) !== text) {
    throw fieldInvalid('writtenOn', {
      zh: `“${text}”不是有效日期（YYYY-MM-DD）`,
      en: `"${text}" is not a date (YYYY-MM-DD)`,
    });
  }
  return text;
}

export function fieldInvalid(field: string, reason: ErrorParam): GazetteError {
  return new GazetteError('FIELD_INVALID', { field, reason });
}

export function isTopic(value: string): value is DisclosureTopic {
  return (DISCLOSURE_TOPICS as readonly string[]).includes(value);
}

export function isDisclosureForm(value: string): value is DisclosureForm {
  return (DISCLOSURE_FORMS as readonly string[]).includes(value);
}

export interface DisclosureInput {
  readonly organization?: string | undefined;
  readonly organizationCode?: string | undefined;
  readonly documentNo?: string | undefined;
  readonly writtenOn?: string | null | undefined;
  readonly topic: string;
  readonly disclosureForm?: string | undefined;
}

export interface DisclosureFields {
  readonly organization: string;
  readonly organizationCode: string;
  readonly documentNo: string;
  readonly writtenOn: string | null;
  readonly topic: DisclosureTopic;
  readonly disclosureForm: DisclosureForm;
}

/** Checks and normalises what an editor sent, naming the first field that is wrong. */
export function cleanDisclosure(
  input: DisclosureInput,
  defaults: { organization: string; organizationCode: string },
): DisclosureFields {
  const organization = input.organization?.trim() || defaults.organization;
  if (organization === '')
    throw fieldInvalid('organization', { zh: '请填写发布机构', en: 'the publishing organisation is empty' });
  if (organization.length > 100)
    throw fieldInvalid('organization', { zh: '发布机构最多 100 个字', en: 'at most 100 characters' });
  const organizationCode = (input.organizationCode?.trim() || defaults.organizationCode).toUpperCase();
  if (organizationCode === '')
    throw fieldInvalid('organizationCode', {
      zh: '请填写发布机构的统一社会信用代码',
      en: 'the unified social credit code is empty',
    });
  const codeProblem = creditCodeProblem(organizationCode);
  if (codeProblem) throw fieldInvalid('organizationCode', codeProblem);
  const topic = input.topic.trim();
  if (!isTopic(topic))
    throw fieldInvalid('topic', { zh: `“${topic}”不是主题分类之一`, en: `"${topic}" is not one of the 主题分类` });
  const disclosureForm = input.disclosureForm?.trim() || '主动公开';
  if (!isDisclosureForm(disclosureForm))
    throw fieldInvalid('disclosureForm', {
      zh: `公开方式只能是${DISCLOSURE_FORMS.join('或')}`,
      en: `one of ${DISCLOSURE_FORMS.join(', ')}`,
    });
  return {
    organization,
    organizationCode,
    documentNo: normalizeDocumentNo(input.documentNo ?? ''),
    writtenOn: checkWrittenOn(input.writtenOn),
    topic,
    disclosureForm,
  };
}
