import type { Kysely } from 'kysely';
import type { InterpretationsInput, LinkFindingView, ServicesInput } from '../../compliance/index.js';
import {
  GUIDE_CHECKED,
  formatDate,
  isFilled,
  shippedType,
  type FieldValues,
  type LinkValue,
  type Site,
} from '../../domain/index.js';
import { sites, type Database } from '../../store/index.js';
import { workingCalendar } from '../cases/index.js';

/** The 网上办理 value of a guide, when it holds an address. */
function onlineUrl(fields: FieldValues): string | null {
  const value = fields.online;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !('url' in value)) return null;
  const url = (value as LinkValue).url;
  return typeof url === 'string' && url !== '' ? url : null;
}

const GUIDE = shippedType('guide');
/** The label of each element the national check looks for. */
const CHECKED_LABELS = new Map(
  GUIDE_CHECKED.map((name) => [name, GUIDE.fields.find((f) => f.name === name)?.label ?? name]),
);

/** The labels of the elements the national check looks for that the guide lacks. */
function missingElements(title: string, fields: FieldValues): string[] {
  const missing = GUIDE_CHECKED.filter((name) => !isFilled(fields[name])).map(
    (name) => CHECKED_LABELS.get(name) ?? name,
  );
  return title.trim() === '' ? [GUIDE.titleLabel, ...missing] : missing;
}

/**
 * The site's published 办事指南 and the faults the national check counts: an element missing (a
 * guide edited after it was published may have lost one), or its 网上办理 link broken, as the
 * link check found it on the guide's own page (a finding of that page whose address is the link).
 */
export async function servicesHealth(
  db: Kysely<Database>,
  siteId: number,
  findings: readonly LinkFindingView[],
): Promise<ServicesInput> {
  const guides = await db
    .selectFrom('article')
    .select(['id', 'title', 'fields'])
    .where('siteId', '=', siteId)
    .where('contentType', '=', 'guide')
    .where('status', '=', 'published')
    .orderBy('id')
    .execute();
  // The link check's findings by page and address, read once for every guide.
  const found = new Map(findings.map((f) => [`${f.articleId ?? ''} ${f.url}`, f]));
  const faults: string[] = [];
  for (const guide of guides) {
    const fields = JSON.parse(guide.fields) as FieldValues;
    const problems: string[] = [];
    const missing = missingElements(guide.title, fields);
    if (missing.length > 0) problems.push(`缺少要素：${missing.join('、')}`);
    const url = onlineUrl(fields);
    const broken = url === null ? undefined : found.get(`${guide.id} ${url}`);
    if (broken) problems.push(`网上办理链接失效：${broken.url} — ${broken.reason}`);
    if (problems.length > 0) faults.push(`《${guide.title}》${problems.join('；')}`);
  }
  return { guides: guides.length, faults };
}

/**
 * Published policies in force that no published 解读 points to (its 解读的政策文件), oldest first: each waits
 * the site's number of working days from its publish day (the letter desk's calendar: the State
 * Council's holidays and 调休), and warns once past that due day.
 */
export async function interpretationsHealth(
  db: Kysely<Database>,
  site: Site,
  now: Date,
): Promise<InterpretationsInput> {
  const dueDays = await sites.findInterpretationDueDays(db, site.id);
  const waiting = await db
    .selectFrom('article as policy')
    .select(['policy.id', 'policy.title', 'policy.publishedAt'])
    .where('policy.siteId', '=', site.id)
    .where('policy.contentType', '=', 'policy')
    .where('policy.status', '=', 'published')
    // A policy no longer in force (已修改, 已废止, 已失效: it has a list mark) needs no 解读 now.
    .where('policy.listMark', '=', '')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('articleRelation as relation')
            .innerJoin('article as reading', 'reading.id', 'relation.articleId')
            .select('relation.articleId')
            .whereRef('relation.targetId', '=', 'policy.id')
            .where('relation.field', '=', 'policies')
            .where('reading.contentType', '=', 'interpretation')
            .where('reading.status', '=', 'published'),
        ),
      ),
    )
    .orderBy('policy.publishedAt')
    .orderBy('policy.id')
    .execute();
  const calendar = await workingCalendar(db);
  const today = formatDate(now, site.timeZone);
  const overdue: string[] = [];
  const pending: string[] = [];
  for (const policy of waiting) {
    const published = formatDate(policy.publishedAt === null ? now : new Date(policy.publishedAt), site.timeZone);
    const due = calendar.addWorkingDays(published, dueDays);
    if (today > due)
      overdue.push(
        `《${policy.title}》（${published} 发布，应于 ${due} 前关联解读，已超期 ${calendar.workingDaysBetween(due, today)} 个工作日）`,
      );
    else pending.push(`《${policy.title}》（${published} 发布，待解读，应于 ${due} 前关联）`);
  }
  return { dueDays, overdue, pending };
}
