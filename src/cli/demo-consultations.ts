import { fixedClock } from '../clock.js';
import { addCalendarDays, formatDate, localDayStart, type Site } from '../domain/index.js';
import {
  consultationComments,
  createConsultation,
  createPowChallenge,
  decideComment,
  keysOf,
  publishConsultation,
  publishFeedback,
  saveFeedback,
  solvePowChallenge,
  submitComment,
  type Actor,
  type CommentDecisionInput,
  type ConsultationInput,
  type NewComment,
  type ServiceContext,
} from '../services/index.js';

/**
 * The demo portal's 意见征集 (/yjzj/): one draft open for comment now, and one closed a fortnight
 * ago with its comments decided and its 反馈 published. Both go through the services, the closed
 * one on a clock set to the days it happened (comments need the data key, like the letters).
 */

const CONTACT = {
  draftingUnit: '示范区司法局',
  contactName: '区司法局法规科',
  contactPhone: '0512-63009876',
  contactEmail: 'sfj@example.gov.cn',
  otherWays: '信函：示范区人民路1号区司法局法规科（邮编215200），信封上注明“征求意见”字样\n传真：0512-63009877',
};

const OPEN: Omit<ConsultationInput, 'startDay' | 'endDay'> = {
  ...CONTACT,
  title: '示范区优化营商环境若干措施（征求意见稿）',
  kind: 'normative',
  concernsBusiness: true,
  draftHtml:
    '<p>第一条 为持续优化营商环境，激发市场主体活力，结合本区实际，制定本措施。</p><p>第二条 推行涉企经营许可事项“一次告知、一表申请、一窗受理”。</p><p>第三条 政府采购项目预付款比例原则上不低于合同金额的30%。</p>',
  explanationHtml:
    '<p>一、起草背景：为贯彻《优化营商环境条例》，区发展改革局会同区司法局起草了本措施。</p><p>二、主要内容：共三条，涉及审批服务、政府采购等方面。</p>',
  interpretationHtml: '<p>本措施与市场主体生产经营活动密切相关，征求意见期限为30日。</p>',
  showComments: false,
};

const CLOSED: Omit<ConsultationInput, 'startDay' | 'endDay'> = {
  ...CONTACT,
  title: '示范区养犬管理规定（草案征求意见稿）',
  kind: 'rule',
  concernsBusiness: false,
  draftHtml:
    '<p>第一条 为规范养犬行为，保障公民人身安全，维护市容环境和社会秩序，制定本规定。</p><p>第二条 携犬出户的，应当为犬只佩戴犬牌并束犬链，犬链长度不得超过1.5米。</p>',
  explanationHtml: '<p>近年来本区养犬数量增长较快，因养犬引发的纠纷时有发生，有必要制定本规定。</p>',
  showComments: true,
};

const COMMENTS: [Omit<NewComment, 'altcha'>, CommentDecisionInput][] = [
  [
    { name: '王晓明', phone: '13800001111', clause: '第二条', body: '建议明确犬链长度的测量方式，避免执法争议。' },
    { decision: 'adopted', reason: '', shown: true },
  ],
  [
    { name: '陈静', phone: '13900002222', clause: '', body: '建议全面禁止在小区内养犬。' },
    { decision: 'rejected', reason: '超出规章的调整范围，且与上位法规定不一致。', shown: false },
  ],
  [
    {
      name: '刘强',
      phone: '13700003333',
      organisation: '示范区某某物业服务有限公司',
      clause: '第一条',
      body: '建议增加物业服务企业协助管理的规定。',
    },
    { decision: 'partial', reason: '物业服务企业的劝阻义务已在其他条款中规定，不再单列。', shown: true },
  ],
];

const FEEDBACK =
  '本次征求意见期间，共收到社会公众意见3条。我局对每条意见逐一研究，采纳和部分采纳的意见已在修改稿中体现。\n感谢社会各界对本区法治建设的关心和支持。';

/** Creates both; returns how many. Without the data key the closed one has no comments to show. */
export async function createDemoConsultations(ctx: ServiceContext, portal: Site): Promise<number> {
  const office: Actor = {
    userId: null,
    userName: 'gazette serve',
    grants: [{ role: 'office', channelId: null }],
    ip: null,
  };
  const tz = portal.timeZone;
  const today = formatDate(ctx.clock.now(), tz);
  /** The site's context on a clock at 10:00 on `day`. */
  const on = (day: string) => ({
    ...ctx,
    siteId: portal.id,
    clock: fixedClock(new Date((localDayStart(day, tz)?.getTime() ?? 0) + 10 * 3_600_000)),
  });
  const open = await createConsultation(on(today), office, {
    ...OPEN,
    startDay: addCalendarDays(today, -3),
    endDay: addCalendarDays(today, 26),
  });
  await publishConsultation(on(today), office, open.id);

  const start = addCalendarDays(today, -45);
  const end = addCalendarDays(today, -16);
  const closed = await createConsultation(on(start), office, { ...CLOSED, startDay: start, endDay: end });
  await publishConsultation(on(start), office, closed.id);
  if (ctx.dataKeys)
    for (const [i, [comment, decision]] of COMMENTS.entries()) {
      const at = on(addCalendarDays(start, 3 + i));
      const pow = await createPowChallenge(keysOf(at).challenge, at.clock.now().getTime(), { maxNumber: 1000 });
      const receipt = await submitComment(at, closed.id, { ...comment, altcha: solvePowChallenge(pow) }, null);
      const after = on(addCalendarDays(end, 1));
      const rows = await consultationComments(after, office, closed.id);
      const id = rows.find((r) => r.receiptCode === receipt.receiptCode)?.id ?? 0;
      await decideComment(after, office, closed.id, id, decision);
    }
  const answered = on(addCalendarDays(end, 2));
  await saveFeedback(answered, office, closed.id, FEEDBACK);
  await publishFeedback(answered, office, closed.id);
  return 2;
}
