import type { ContentTypeKey, FieldDef, FieldValues } from './fields.js';

/**
 * 主题分类 as the national 政府信息公开目录 uses it (the gov.cn policy library's list). The
 * library starts with 国务院组织机构, which only the State Council's own portal uses; local
 * portals drop it, so it is not offered here.
 */
export const DISCLOSURE_TOPICS = [
  '综合政务',
  '国民经济管理、国有资产监管',
  '财政、金融、审计',
  '国土资源、能源',
  '农业、林业、水利',
  '工业、交通',
  '商贸、海关、旅游',
  '市场监管、安全生产监管',
  '城乡建设、环境保护',
  '科技、教育',
  '文化、广电、新闻出版',
  '卫生、体育',
  '人口与计划生育、妇女儿童工作',
  '劳动、人事、监察',
  '公安、安全、司法',
  '民政、扶贫、救灾',
  '民族、宗教',
  '对外事务',
  '港澳台侨工作',
  '国防',
  '其他',
] as const;

/** 有效性 of a 政策文件: in force, or amended, repealed or expired (with the date and the document that did it). */
export const POLICY_VALIDITIES = ['有效', '已修改', '已废止', '已失效'] as const;
export type PolicyValidity = (typeof POLICY_VALIDITIES)[number];

/** Forms a 政策解读 takes. */
export const INTERPRETATION_FORMS = ['文字', '图解', '视频', '问答'] as const;

export interface ContentType {
  readonly key: ContentTypeKey;
  readonly label: string;
  /** What the title is called on this type's form (a guide's title is its 事项名称). */
  readonly titleLabel: string;
  /** What the body is called, or null when the type has no free body (its fields say it all). */
  readonly bodyLabel: string | null;
  readonly fields: readonly FieldDef[];
  /**
   * The word a list shows beside the item's title, from its values (a repealed policy is marked
   * 已废止 wherever it is listed), or '' for none.
   */
  readonly listMark?: (values: FieldValues) => string;
}

const POLICY: ContentType = {
  key: 'policy',
  label: '政策文件',
  titleLabel: '文件名称',
  bodyLabel: '正文',
  fields: [
    { name: 'documentNo', label: '文号', kind: 'text', maxLength: 60 },
    { name: 'organization', label: '发布机构', kind: 'text', maxLength: 100, required: true },
    { name: 'writtenOn', label: '成文日期', kind: 'date', required: true },
    { name: 'effectiveOn', label: '施行日期', kind: 'date' },
    { name: 'topic', label: '主题分类', kind: 'choice', options: DISCLOSURE_TOPICS, required: true },
    { name: 'validity', label: '有效性', kind: 'choice', options: POLICY_VALIDITIES, required: true },
    {
      name: 'validityDate',
      label: '修改、废止或失效日期',
      kind: 'date',
      help: '有效性不是“有效”时填写',
    },
    {
      name: 'changedBy',
      label: '修改或废止本文件的文件',
      kind: 'relation',
      to: 'policy',
      inverse: { name: 'changes', label: '本文件修改或废止的文件' },
    },
  ],
  listMark: (values) => {
    const validity = values.validity;
    return typeof validity === 'string' && validity !== '有效' ? validity : '';
  },
};

const INTERPRETATION: ContentType = {
  key: 'interpretation',
  label: '政策解读',
  titleLabel: '标题',
  bodyLabel: '解读内容',
  fields: [
    {
      name: 'policies',
      label: '解读的政策文件',
      kind: 'relation',
      to: 'policy',
      many: true,
      required: true,
      inverse: { name: 'interpretations', label: '相关解读' },
    },
    { name: 'form', label: '解读形式', kind: 'choice', options: INTERPRETATION_FORMS, required: true },
    { name: 'interpreter', label: '解读机构或解读人', kind: 'text', maxLength: 100 },
    { name: 'graphic', label: '图解', kind: 'image', help: '图解形式的解读图' },
    { name: 'video', label: '视频', kind: 'file', help: '视频形式的解读' },
    {
      name: 'questions',
      label: '问答',
      kind: 'group',
      fields: [
        { name: 'question', label: '问', kind: 'text', maxLength: 500, required: true },
        { name: 'answer', label: '答', kind: 'richText', required: true },
      ],
    },
  ],
};

/** The eight elements the national check looks for in every 办事指南. */
export const GUIDE_CHECKED = ['basis', 'conditions', 'materials', 'place', 'hours', 'phone', 'steps'] as const;

const GUIDE: ContentType = {
  key: 'guide',
  label: '办事指南',
  titleLabel: '事项名称',
  bodyLabel: null,
  fields: [
    { name: 'code', label: '事项编码', kind: 'text', maxLength: 60 },
    { name: 'basis', label: '设定依据', kind: 'richText', required: true, help: '法律法规名称及条款' },
    { name: 'scope', label: '受理范围', kind: 'text', maxLength: 500, help: '申请主体' },
    {
      name: 'conditions',
      label: '申请条件',
      kind: 'group',
      required: true,
      fields: [{ name: 'text', label: '条件', kind: 'text', maxLength: 1000, required: true }],
    },
    {
      name: 'materials',
      label: '办理材料',
      kind: 'group',
      required: true,
      fields: [
        { name: 'name', label: '材料名称', kind: 'text', maxLength: 200, required: true },
        { name: 'form', label: '材料形式', kind: 'choices', options: ['原件', '复印件', '电子'], required: true },
        { name: 'copies', label: '份数', kind: 'number', required: true },
        { name: 'origin', label: '来源', kind: 'text', maxLength: 200 },
        { name: 'blank', label: '空白表格', kind: 'file' },
        { name: 'sample', label: '示例样表', kind: 'file' },
      ],
    },
    {
      name: 'steps',
      label: '办理流程',
      kind: 'group',
      required: true,
      fields: [{ name: 'text', label: '步骤', kind: 'text', maxLength: 1000, required: true }],
    },
    { name: 'flowChart', label: '流程图', kind: 'image' },
    { name: 'timeKind', label: '办件类型', kind: 'choice', options: ['即办件', '承诺件'], required: true },
    { name: 'promisedDays', label: '承诺时限（工作日）', kind: 'number' },
    { name: 'legalDays', label: '法定时限（工作日）', kind: 'number' },
    {
      name: 'fees',
      label: '收费依据及标准',
      kind: 'text',
      maxLength: 1000,
      required: true,
      help: '不收费的填“不收费”',
    },
    { name: 'place', label: '办理地点', kind: 'text', maxLength: 500, required: true },
    { name: 'hours', label: '办理时间', kind: 'text', maxLength: 500, required: true },
    { name: 'phone', label: '咨询电话', kind: 'text', maxLength: 100, required: true },
    { name: 'complaintPhone', label: '监督投诉电话', kind: 'text', maxLength: 100 },
    { name: 'online', label: '网上办理', kind: 'link' },
    {
      name: 'faq',
      label: '常见问题',
      kind: 'group',
      fields: [
        { name: 'question', label: '问', kind: 'text', maxLength: 500, required: true },
        { name: 'answer', label: '答', kind: 'richText', required: true },
      ],
    },
  ],
};

const LEADER: ContentType = {
  key: 'leader',
  label: '领导信息',
  titleLabel: '姓名',
  bodyLabel: null,
  fields: [
    { name: 'photo', label: '照片', kind: 'image', required: true },
    { name: 'post', label: '职务', kind: 'text', maxLength: 200, required: true },
    { name: 'resume', label: '简历', kind: 'richText', required: true },
    { name: 'duties', label: '分工', kind: 'richText', required: true },
    { name: 'rank', label: '排序', kind: 'number', help: '小的在前' },
  ],
};

const ORGAN: ContentType = {
  key: 'organ',
  label: '机构职能',
  titleLabel: '机构名称',
  bodyLabel: null,
  fields: [
    { name: 'duties', label: '主要职责', kind: 'richText', required: true },
    {
      name: 'units',
      label: '内设机构',
      kind: 'group',
      fields: [
        { name: 'name', label: '名称', kind: 'text', maxLength: 200, required: true },
        { name: 'duties', label: '职责', kind: 'text', maxLength: 2000 },
      ],
    },
    { name: 'head', label: '负责人', kind: 'text', maxLength: 100, required: true },
    { name: 'address', label: '地址', kind: 'text', maxLength: 300, required: true },
    { name: 'phone', label: '电话', kind: 'text', maxLength: 100, required: true },
    { name: 'hours', label: '办公时间', kind: 'text', maxLength: 300 },
    { name: 'rank', label: '排序', kind: 'number', help: '小的在前' },
  ],
};

const TOPIC: ContentType = {
  key: 'topic',
  label: '专题',
  titleLabel: '专题名称',
  bodyLabel: '专题介绍',
  fields: [
    { name: 'banner', label: '专题横幅', kind: 'image', required: true },
    {
      name: 'sections',
      label: '子栏目',
      kind: 'group',
      required: true,
      help: '每个子栏目按标签或按栏目汇集内容（可跨栏目、跨站点）',
      fields: [
        { name: 'name', label: '子栏目名称', kind: 'text', maxLength: 60, required: true },
        { name: 'tag', label: '标签', kind: 'text', maxLength: 40, help: '汇集关键词含此标签的内容' },
        {
          name: 'channels',
          label: '栏目编号',
          kind: 'text',
          maxLength: 200,
          help: '汇集这些栏目的内容，编号以逗号分隔',
        },
      ],
    },
  ],
};

const ARTICLE: ContentType = { key: 'article', label: '文章', titleLabel: '标题', bodyLabel: '正文', fields: [] };

export const SHIPPED_TYPES: readonly ContentType[] = [ARTICLE, POLICY, INTERPRETATION, GUIDE, LEADER, ORGAN, TOPIC];
export const CONTENT_TYPE_KEYS: readonly ContentTypeKey[] = SHIPPED_TYPES.map((t) => t.key);

export function shippedType(key: ContentTypeKey): ContentType {
  const type = SHIPPED_TYPES.find((t) => t.key === key);
  if (!type) throw new RangeError(`no content type ${key}`);
  return type;
}

/** A type named by its key or its Chinese label (`policy` or `政策文件`), or null. */
export function findContentType(name: string): ContentType | null {
  return SHIPPED_TYPES.find((t) => t.key === name || t.label === name) ?? null;
}

/** A type with a site's added fields after its own. */
export function withAddedFields(type: ContentType, added: readonly FieldDef[]): ContentType {
  return added.length === 0 ? type : { ...type, fields: [...type.fields, ...added] };
}
