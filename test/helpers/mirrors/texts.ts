// The words of the mirrors: ordinary district news sentences (checked free of the wording
// check's serious findings by test/migrate/mirrors.test.ts), and the little markup helpers the
// page templates share.

/** The old site all three mirrors pretend to be. */
export const OLD_SITE = {
  name: '梅溪区人民政府',
  domain: 'www.meixi.gov.cn',
  code: '3205090001',
  office: '梅溪区人民政府办公室',
} as const;

/** Sentences news and notices of the district are made of; pages pick theirs by index. */
export const SENTENCES = [
  '5月20日上午，区政府召开全区重点项目建设推进会，总结前一阶段工作，部署下一步重点任务。',
  '会议指出，今年以来全区上下紧扣年度目标，项目建设总体进展顺利，一批重点工程按期开工。',
  '会议要求，各部门要进一步压实责任，加强要素保障，确保项目早建成、早投产、早见效。',
  '区发展改革委、区住房城乡建设局等部门负责人参加会议，并就分管领域工作作了交流发言。',
  '近日，区市场监管局组织开展食品安全专项检查，共检查餐饮单位一百二十家，发现的问题已督促限期整改。',
  '活动现场，工作人员向过往群众发放宣传资料，耐心解答群众关心的社保、医保等政策问题。',
  '据统计，一至四月全区完成固定资产投资四十二亿元，同比增长百分之八点六。',
  '下一步，区教育局将继续推进中小学校舍改造，力争秋季开学前完成全部施工任务。',
  '为方便群众办事，区政务服务中心新增十二个综合受理窗口，实现“一窗受理、集成服务”。',
  '本次培训邀请省内相关领域专家授课，内容涵盖安全生产法规、应急预案编制和现场处置等方面。',
  '各镇（街道）要结合实际制定具体实施方案，明确时间节点，确保各项工作落到实处。',
  '请各单位于5月28日前将报名表报送至区人力资源和社会保障局，逾期不再受理。',
  '该项目总投资约三点五亿元，建成后将新增绿地面积两万平方米，进一步改善周边居民生活环境。',
  '区卫生健康委组织医护人员深入社区，为老年人提供免费健康体检和用药指导服务。',
  '本办法自2021年6月1日起施行，由区司法局负责解释。',
  '截至目前，全区已累计新建改建农村公路三十六公里，惠及沿线群众两万余人。',
  '与会人员一致表示，将以此次会议为契机，进一步改进工作作风，提升服务水平。',
  '区文化体育和旅游局举办“书香梅溪”全民阅读活动，吸引了近千名市民参与。',
  '现将有关事项通知如下。',
  '区图书馆新馆建筑面积一万二千平方米，设有少儿阅览区、自习区和数字阅读体验区。',
] as const;

/** The sentence at `index` (wrapping), for generated pages. */
export function sentence(index: number): string {
  return SENTENCES[((index % SENTENCES.length) + SENTENCES.length) % SENTENCES.length] ?? '';
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Text as HTML text or attribute value. */
export function esc(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ESCAPES[c] ?? c);
}

/** The full-width indent TRS editors type before each paragraph. */
export const INDENT = '\u3000\u3000';

export const HTML_UTF8 = 'text/html; charset=utf-8';
