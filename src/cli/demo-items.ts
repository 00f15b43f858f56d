import { GazetteError, type ContentTypeKey, type Site, type UpdateRule } from '../domain/index.js';
import {
  createArticle,
  createChannel,
  currentSite,
  stepArticle,
  systemActor,
  type ArticleInput,
  type ServiceContext,
} from '../services/index.js';

/**
 * The demo portal's typed items (issue 18): under 政务公开, a column of each content type with a
 * few items, so that `npm start` shows a policy repealed by another (and the 政策文件库 at
 * /zcwjk/), its 解读, two complete 办事指南, the leaders' and the units' cards and a 专题. All
 * through the services an editor uses: created with their values, then submitted, approved
 * and published. The existing columns and pages are left as they are.
 */

const ACTOR = systemActor('gazette serve');
const PORTRAIT = '/assets/demo/portrait.svg';
const BANNER = '/assets/demo/topic-banner.svg';

interface DemoColumn {
  readonly name: string;
  readonly slug: string;
  readonly contentType: ContentTypeKey;
  readonly updateRule: UpdateRule;
  readonly description: string;
  readonly keywords: string;
}

const COLUMNS: readonly DemoColumn[] = [
  {
    name: '规范性文件',
    slug: 'gfxwj',
    contentType: 'policy',
    updateRule: 'policy',
    description: '区政府及其办公室制发的行政规范性文件',
    keywords: '规范性文件,政策文件',
  },
  {
    name: '政策解读',
    slug: 'zcjd',
    contentType: 'interpretation',
    updateRule: 'policy',
    description: '重要政策文件的解读',
    keywords: '政策解读',
  },
  {
    name: '办事指南',
    slug: 'bszn',
    contentType: 'guide',
    updateRule: 'none',
    description: '政务服务事项办事指南',
    keywords: '办事指南,政务服务',
  },
  {
    name: '领导信息',
    slug: 'ldxx',
    contentType: 'leader',
    updateRule: 'none',
    description: '区政府领导简历与分工',
    keywords: '领导信息,领导分工',
  },
  {
    name: '机构职能',
    slug: 'jgzn',
    contentType: 'organ',
    updateRule: 'none',
    description: '区政府工作部门的职责与联系方式',
    keywords: '机构职能,部门职责',
  },
  {
    name: '专题专栏',
    slug: 'ztzl',
    contentType: 'topic',
    updateRule: 'none',
    description: '围绕中心工作的专题信息汇集',
    keywords: '专题专栏',
  },
];

type Item = Omit<ArticleInput, 'channelId'>;

/** The policy in force, and the interim one it repealed. */
const POLICY_IN_FORCE: Item = {
  title: '示范区政府投资项目管理办法',
  keywords: '政府投资,项目管理,营商环境',
  bodyHtml:
    '<p>第一条 为规范政府投资行为，提高政府投资效益，激发社会投资活力，根据《政府投资条例》等规定，结合本区实际，制定本办法。</p>' +
    '<p>第二条 本办法所称政府投资，是指在本区行政区域内使用预算安排的资金进行的固定资产投资建设活动。</p>' +
    '<p>第三条 政府投资项目实行审批制，项目单位应当编制项目建议书、可行性研究报告和初步设计，按照规定报区发展改革部门审批。</p>' +
    '<p>第四条 本办法自2025年10月1日起施行。</p>',
  fields: {
    documentNo: '示政规〔2025〕3号',
    organization: '示范区人民政府',
    writtenOn: '2025-09-10',
    effectiveOn: '2025-10-01',
    topic: '国民经济管理、国有资产监管',
    validity: '有效',
  },
};

function repealedPolicy(repealedBy: number): Item {
  return {
    title: '示范区政府投资项目管理暂行办法',
    keywords: '政府投资,项目管理',
    // Published when it was issued, so the 政策文件库 lists it after the one that replaced it.
    publishedAt: '2019-04-20T09:00:00+08:00',
    publishedAtReason: '演示数据：按原文件的发布日期录入',
    bodyHtml:
      '<p>第一条 为加强政府投资项目管理，规范项目建设程序，制定本暂行办法。</p>' +
      '<p>第二条 区发展改革部门负责全区政府投资项目的综合管理工作。</p>' +
      '<p>第三条 本暂行办法自2019年5月1日起施行。</p>',
    fields: {
      documentNo: '示政规〔2019〕2号',
      organization: '示范区人民政府',
      writtenOn: '2019-04-15',
      effectiveOn: '2019-05-01',
      topic: '国民经济管理、国有资产监管',
      validity: '已废止',
      validityDate: '2025-10-01',
      changedBy: repealedBy,
    },
  };
}

function interpretation(policyId: number): Item {
  return {
    title: '《示范区政府投资项目管理办法》政策解读',
    keywords: '政策解读,政府投资,营商环境',
    bodyHtml: '<p>区发展改革局就《示范区政府投资项目管理办法》的出台背景和主要内容解读如下。</p>',
    fields: {
      policies: [policyId],
      form: '问答',
      interpreter: '示范区发展和改革局',
      questions: [
        {
          question: '《办法》出台的背景是什么？',
          answer:
            '<p>原暂行办法施行已满六年，国家出台《政府投资条例》后，项目审批、资金管理等规定需要相应调整，区政府据此制定了本办法。</p>',
        },
        {
          question: '与原暂行办法相比有哪些主要变化？',
          answer:
            '<p>一是明确项目审批的三个环节及办理时限；二是增加投资概算调整的条件和程序；三是建立项目信息公开和绩效评价制度。</p>',
        },
      ],
    },
  };
}

const GUIDE_PLACE = '示范区政务服务中心一楼综合窗口（中山路1号）';
const GUIDE_HOURS = '工作日上午9:00—12:00，下午13:30—17:00（法定节假日除外）';

const GUIDES: readonly Item[] = [
  {
    title: '个体工商户设立登记',
    keywords: '个体工商户,登记',
    bodyHtml: '',
    fields: {
      code: '320509-XK-0001',
      basis: '<p>《促进个体工商户发展条例》第八条；《中华人民共和国市场主体登记管理条例》第三条。</p>',
      scope: '在本区从事工商业经营的公民',
      conditions: [{ text: '有经营能力的公民' }, { text: '有固定的经营场所' }],
      materials: [
        { name: '个体工商户登记（备案）申请书', form: ['原件', '电子'], copies: 1, origin: '申请人自备' },
        { name: '经营者身份证件', form: ['复印件'], copies: 1, origin: '公安机关' },
        { name: '经营场所使用证明', form: ['复印件'], copies: 1, origin: '申请人自备' },
      ],
      steps: [
        { text: '申请人在网上或窗口提交申请材料' },
        { text: '窗口人员当场审核材料' },
        { text: '材料齐全、符合法定形式的，当场核发营业执照' },
      ],
      timeKind: '即办件',
      promisedDays: 1,
      legalDays: 15,
      fees: '不收费',
      place: GUIDE_PLACE,
      hours: GUIDE_HOURS,
      phone: '0512-63001234',
      complaintPhone: '12345',
      online: { url: 'https://www.gjzwfw.gov.cn/', text: '全国一体化政务服务平台' },
      faq: [
        {
          question: '经营场所可以使用住宅吗？',
          answer: '<p>可以，但应遵守法律法规和管理规约，并经有利害关系的业主同意。</p>',
        },
      ],
    },
  },
  {
    title: '城乡居民基本养老保险参保登记',
    keywords: '养老保险,参保登记',
    bodyHtml: '',
    fields: {
      code: '320509-GG-0012',
      basis: '<p>《中华人民共和国社会保险法》第二十条、第二十一条。</p>',
      scope: '年满16周岁、不符合职工基本养老保险参保条件的本区户籍居民',
      conditions: [{ text: '年满16周岁（不含在校学生）' }, { text: '未参加职工基本养老保险' }],
      materials: [
        { name: '城乡居民基本养老保险参保登记表', form: ['原件'], copies: 1, origin: '窗口领取' },
        { name: '居民身份证或户口簿', form: ['原件'], copies: 1, origin: '公安机关' },
      ],
      steps: [
        { text: '参保人到户籍所在地村（社区）服务站提出申请' },
        { text: '经办人员审核材料并录入系统' },
        { text: '区社会保险经办机构复核后办结' },
      ],
      timeKind: '承诺件',
      promisedDays: 3,
      legalDays: 15,
      fees: '不收费',
      place: '示范区政务服务中心二楼社会保障窗口（中山路1号），或户籍所在地村（社区）服务站',
      hours: GUIDE_HOURS,
      phone: '0512-63001260',
      complaintPhone: '12345',
      faq: [
        {
          question: '缴费档次可以调整吗？',
          answer: '<p>可以，每年可申请调整一次缴费档次。</p>',
        },
      ],
    },
  },
];

interface Leader {
  readonly name: string;
  readonly post: string;
  readonly resume: string;
  readonly duties: string;
}

const LEADERS: readonly Leader[] = [
  {
    name: '王建国',
    post: '区委副书记、区长',
    resume:
      '王建国，男，汉族，1972年3月生，研究生学历，中共党员。曾任某某镇党委书记、区发展改革局局长，2021年9月起任现职。',
    duties: '主持区政府全面工作，负责审计方面工作。',
  },
  {
    name: '李华',
    post: '区委常委、常务副区长',
    resume: '李华，女，汉族，1976年8月生，大学学历，中共党员。曾任区财政局局长，2022年1月起任现职。',
    duties: '负责区政府常务工作，分管财政、税务、发展改革、统计等方面工作。',
  },
  {
    name: '陈明',
    post: '副区长',
    resume: '陈明，男，汉族，1980年11月生，研究生学历，中共党员。曾任区教育局局长，2023年3月起任现职。',
    duties: '负责教育、卫生健康、民政、人力资源和社会保障等方面工作。',
  },
];

const ORGANS: readonly Item[] = [
  {
    title: '示范区发展和改革局',
    bodyHtml: '',
    fields: {
      duties:
        '<p>拟订并组织实施全区国民经济和社会发展规划；负责政府投资项目的审批和管理；推进经济体制改革和营商环境建设。</p>',
      units: [
        { name: '综合规划科', duties: '组织编制国民经济和社会发展规划' },
        { name: '投资管理科', duties: '负责政府投资项目审批和监督管理' },
      ],
      head: '赵立新',
      address: '示范区中山路1号区行政中心3号楼',
      phone: '0512-63001101',
      hours: '工作日上午8:30—12:00，下午13:30—17:30',
      rank: 1,
    },
  },
  {
    title: '示范区市场监督管理局',
    bodyHtml: '',
    fields: {
      duties: '<p>负责全区市场综合监督管理；负责市场主体统一登记注册；负责食品、药品、特种设备安全监督管理。</p>',
      units: [
        { name: '登记注册科', duties: '负责各类市场主体登记注册工作' },
        { name: '食品安全协调科', duties: '承担食品安全综合协调工作' },
      ],
      head: '孙海燕',
      address: '示范区人民路18号',
      phone: '0512-63001202',
      hours: '工作日上午8:30—12:00，下午13:30—17:30',
      rank: 2,
    },
  },
];

function leaderItem(leader: Leader, rank: number): Item {
  return {
    title: leader.name,
    bodyHtml: '',
    fields: {
      photo: { url: PORTRAIT, alt: `${leader.name}同志照片` },
      post: leader.post,
      resume: `<p>${leader.resume}</p>`,
      duties: `<p>${leader.duties}</p>`,
      rank,
    },
  };
}

function topic(newsColumnId: number): Item {
  return {
    title: '优化营商环境',
    bodyHtml: '<p>本专题汇集本区优化营商环境的政策文件、解读和工作动态。</p>',
    fields: {
      banner: { url: BANNER, alt: '优化营商环境专题横幅：市场化、法治化、国际化' },
      sections: [
        { name: '政策文件与解读', tag: '营商环境' },
        { name: '工作动态', channels: String(newsColumnId) },
      ],
    },
  };
}

/** Makes the six columns under 政务公开; their ids by content type. */
async function createColumns(ctx: ServiceContext, parentId: number): Promise<Map<ContentTypeKey, number>> {
  const ids = new Map<ContentTypeKey, number>();
  for (const column of COLUMNS) {
    const made = await createChannel(ctx, ACTOR, { ...column, type: 'list', parentId });
    ids.set(column.contentType, made.id);
  }
  return ids;
}

/** One item, written with its values and taken through review to publication; its id. */
async function publish(ctx: ServiceContext, channelId: number | undefined, item: Item): Promise<number> {
  if (channelId === undefined) throw new GazetteError('CHANNEL_NOT_FOUND', { id: 0 });
  const made = await createArticle(ctx, ACTOR, { ...item, channelId });
  for (const step of ['submit', 'approve', 'publish'] as const) await stepArticle(ctx, ACTOR, made.id, step);
  return made.id;
}

/** Creates the columns and their items on the portal; the number of items published. */
export async function createDemoItems(ctx: ServiceContext, portal: Site): Promise<number> {
  const site = { ...ctx, siteId: portal.id };
  const { tree } = await currentSite(ctx.store.db, portal.id);
  const parent = tree.findByPath(['zwgk']);
  const news = tree.findByPath(['bqdt']);
  if (!parent || !news) throw new GazetteError('CHANNEL_NOT_FOUND', { id: parent ? 'bqdt' : 'zwgk' });
  const column = await createColumns(site, parent.id);
  const inForce = await publish(site, column.get('policy'), POLICY_IN_FORCE);
  const items: [ContentTypeKey, Item][] = [
    ['policy', repealedPolicy(inForce)],
    ['interpretation', interpretation(inForce)],
    ...GUIDES.map((guide): [ContentTypeKey, Item] => ['guide', guide]),
    ...LEADERS.map((leader, i): [ContentTypeKey, Item] => ['leader', leaderItem(leader, i + 1)]),
    ...ORGANS.map((organ): [ContentTypeKey, Item] => ['organ', organ]),
    ['topic', topic(news.id)],
  ];
  for (const [type, item] of items) await publish(site, column.get(type), item);
  return items.length + 1;
}
