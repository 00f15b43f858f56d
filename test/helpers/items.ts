import { shippedType, type ContentTypeKey, type FieldValues } from '../../src/domain/index.js';
import {
  createArticle,
  createChannel,
  currentSite,
  stepArticle,
  systemActor,
  type Actor,
  type ArticleView,
  type ServiceContext,
} from '../../src/services/index.js';

/** Gazette acting as publisher and administrator: makes columns and publishes. */
export const system = systemActor('test');

/** A 办事指南 with every field its publication requires. */
export const COMPLETE_GUIDE: FieldValues = {
  basis: '<p>《中华人民共和国行政许可法》第二十九条</p>',
  conditions: [{ text: '申请人为本区常住居民' }],
  materials: [{ name: '居民身份证', form: ['原件', '复印件'], copies: 1 }],
  steps: [{ text: '提交申请材料' }, { text: '窗口受理审核' }, { text: '当场办结' }],
  timeKind: '即办件',
  fees: '不收费',
  place: '示范区政务服务中心一楼',
  hours: '工作日 9:00—17:00',
  phone: '0571-12345678',
};

/** A 政策文件 with every field its publication requires. */
export const COMPLETE_POLICY: FieldValues = {
  organization: '示范区人民政府办公室',
  writtenOn: '2025-11-01',
  topic: '综合政务',
  validity: '有效',
};

/** A top-level list column holding items of the type; its id. */
export async function typedColumn(
  ctx: ServiceContext,
  name: string,
  slug: string,
  contentType: ContentTypeKey,
): Promise<number> {
  const column = await createChannel(ctx, system, { name, slug, contentType, updateRule: 'none' });
  return column.id;
}

/** An item written, reviewed at every level and published. */
export async function publishItem(
  ctx: ServiceContext,
  channelId: number,
  title: string,
  fields: Record<string, unknown>,
  options: { actor?: Actor; bodyHtml?: string; keywords?: string } = {},
): Promise<ArticleView> {
  const actor = options.actor ?? system;
  const item = await createArticle(ctx, actor, {
    channelId,
    title,
    bodyHtml: options.bodyHtml ?? `<p>${title}</p>`,
    fields,
    ...(options.keywords !== undefined && { keywords: options.keywords }),
  });
  let view = await stepArticle(ctx, actor, item.id, 'submit');
  while (view.status === 'submitted') view = await stepArticle(ctx, actor, item.id, 'approve');
  return stepArticle(ctx, actor, item.id, 'publish');
}

/** The ids a relation field may point to, by the type it points to. */
export type ItemRefs = Partial<Record<ContentTypeKey, readonly number[]>>;

const IMAGE = (name: string, alt: string) => ({ url: `/media/2025/12/${name}`, alt });
const FILE = (name: string, title: string) => ({ url: `/media/2025/12/${name}`, name: title });

/** Every field of each shipped type but its relations, filled, each value as the store keeps it (already clean). */
const VALUES: Readonly<Record<ContentTypeKey, FieldValues>> = {
  article: {},
  policy: {
    documentNo: '示政办发〔2025〕12号',
    organization: '示范区人民政府办公室',
    writtenOn: '2025-11-20',
    effectiveOn: '2026-01-01',
    topic: '城乡建设、环境保护',
    validity: '已修改',
    validityDate: '2025-11-28',
  },
  interpretation: {
    form: '图解',
    interpreter: '区住房和城乡建设局',
    graphic: IMAGE('tujie.png', '一图读懂停车管理办法'),
    video: FILE('jiedu.mp4', '解读视频.mp4'),
    questions: [
      { question: '办法何时施行？', answer: '<p>自2026年1月1日起施行。</p>' },
      { question: '哪些路段可以停车？', answer: '<p>施划停车泊位的路段。</p>' },
    ],
  },
  guide: {
    code: '11320509MB1234567X3000112001',
    basis: '<p>《中华人民共和国道路交通安全法》第三十三条</p>',
    scope: '本区居民和企业',
    conditions: [{ text: '在本区有固定住所' }, { text: '车辆登记在申请人名下' }],
    materials: [
      {
        name: '居民身份证',
        form: ['原件', '复印件'],
        copies: 1,
        origin: '申请人自备',
        blank: FILE('shenqingbiao.docx', '申请表.docx'),
        sample: FILE('shili.pdf', '示例样表.pdf'),
      },
    ],
    steps: [{ text: '提交申请' }, { text: '窗口受理' }, { text: '发放证件' }],
    flowChart: IMAGE('liucheng.png', '办理流程图'),
    timeKind: '承诺件',
    promisedDays: 5,
    legalDays: 20,
    fees: '不收费',
    place: '示范区政务服务中心一楼 12 号窗口',
    hours: '工作日 9:00—17:00',
    phone: '0512-63001234',
    complaintPhone: '0512-63005678',
    online: { url: 'https://zwfw.example.gov.cn/item/1', text: '在线办理' },
    faq: [{ question: '可以代办吗？', answer: '<p>可以，须带委托书。</p>' }],
  },
  leader: {
    photo: IMAGE('zhangsan.jpg', '张三同志照片'),
    post: '区长',
    resume: '<p>张三，男，1975年生。</p>',
    duties: '<p>主持区政府全面工作。</p>',
    rank: 1,
  },
  organ: {
    duties: '<p>负责全区住房和城乡建设工作。</p>',
    units: [
      { name: '办公室', duties: '负责机关日常运转' },
      { name: '建筑业管理科', duties: '负责建筑市场监管' },
    ],
    head: '李四',
    address: '示范区行政中心 3 号楼',
    phone: '0512-63002345',
    hours: '工作日 8:30—17:30',
    rank: 2.5,
  },
  topic: {
    banner: IMAGE('zhuanti.jpg', '停车管理专题横幅'),
    sections: [
      { name: '最新动态', tag: '停车', channels: '3,4' },
      { name: '政策解读', tag: '解读', channels: '5' },
    ],
  },
};

/**
 * Every field of a shipped type filled, group entries with every part: the values of an item
 * that round-trips every kind. A relation field is filled from `refs` (the ids of items of the
 * type it points to) and left out when `refs` has none.
 */
export function fullValues(type: ContentTypeKey, refs: ItemRefs = {}): FieldValues {
  const values: Record<string, FieldValues[string]> = { ...VALUES[type] };
  // The relation fields as the type declares them: a new one is filled too.
  for (const relation of shippedType(type).fields) {
    if (relation.kind !== 'relation' || !relation.to) continue;
    const ids = refs[relation.to] ?? [];
    if (ids.length > 0) values[relation.name] = relation.many ? [...ids] : [ids[0] ?? 0];
  }
  return values;
}

/** Columns of every typed content type under 政务公开 (slugs as the demo names them). */
const TYPED_COLUMNS: Readonly<Record<Exclude<ContentTypeKey, 'article'>, { name: string; slug: string }>> = {
  policy: { name: '规范性文件', slug: 'gfxwj' },
  interpretation: { name: '政策解读', slug: 'zcjd' },
  guide: { name: '办事指南', slug: 'bszn' },
  leader: { name: '领导信息', slug: 'ldxx' },
  organ: { name: '机构职能', slug: 'jgzn' },
  topic: { name: '专题专栏', slug: 'ztzl' },
};

/** Makes the typed columns on the context's site; their ids by type. */
export async function typedColumns(ctx: ServiceContext): Promise<Record<Exclude<ContentTypeKey, 'article'>, number>> {
  const { tree } = await currentSite(ctx.store.db, ctx.siteId);
  const parent = tree.all().find((c) => c.slug === 'zwgk');
  const ids: Partial<Record<Exclude<ContentTypeKey, 'article'>, number>> = {};
  for (const [type, column] of Object.entries(TYPED_COLUMNS) as [
    Exclude<ContentTypeKey, 'article'>,
    { name: string; slug: string },
  ][]) {
    const made = await createChannel(ctx, system, {
      name: column.name,
      slug: column.slug,
      type: 'list',
      parentId: parent?.id ?? null,
      contentType: type,
      reviewLevels: 0,
    });
    ids[type] = made.id;
  }
  return ids as Record<Exclude<ContentTypeKey, 'article'>, number>;
}

/** A policy's values, complete enough to publish. */
export function policyValues(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    documentNo: '示政发〔2025〕1号',
    organization: '示范区人民政府',
    writtenOn: '2025-01-10',
    effectiveOn: '2025-02-01',
    topic: '综合政务',
    validity: '有效',
    ...overrides,
  };
}

/** A 办事指南's values with every element the national check looks for. */
export function guideValues(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    code: '320509-001',
    basis: '<p>《中华人民共和国行政许可法》第二十九条</p>',
    scope: '本区居民',
    conditions: [{ text: '具有本区户籍' }, { text: '年满十八周岁' }],
    materials: [
      { name: '居民身份证', form: ['原件'], copies: 1, origin: '公安机关' },
      { name: '申请表', form: ['原件', '电子'], copies: 2, blank: { url: '/files/form.docx', name: '申请表.docx' } },
    ],
    steps: [{ text: '提交申请' }, { text: '窗口受理' }, { text: '审核办结' }],
    timeKind: '承诺件',
    promisedDays: 5,
    legalDays: 20,
    fees: '不收费',
    place: '示范区政务服务中心一楼',
    hours: '工作日 9:00-17:00',
    phone: '0512-00000001',
    complaintPhone: '12345',
    online: { url: 'https://www.gjzwfw.gov.cn/', text: '全国一体化政务服务平台' },
    ...overrides,
  };
}
