import type { Kysely } from 'kysely';
import type { NewInfoRequest } from '../../src/services/index.js';
import type { Database } from '../../src/store/index.js';

/** A citizen's request that passes every check, without its challenge. */
export function citizenRequest(overrides: Partial<NewInfoRequest> = {}): NewInfoRequest {
  return {
    applicantClass: 'natural',
    name: '李四',
    idType: '居民身份证',
    idNumber: '11010519491231002X',
    phone: '13912345678',
    email: 'lisi@example.com',
    address: '江苏省苏州市吴江区松陵镇人民路1号',
    postcode: '215200',
    description: '2025年松陵镇中山路道路改造工程的立项批复和预算',
    documentNo: '吴发改〔2025〕12号',
    purpose: '了解道路改造进度',
    deliveryForm: '电子邮件',
    deliveryWay: '电子邮件',
    ...overrides,
  };
}

/** A company's request (法人或其他组织: 商业企业). */
export function companyRequest(overrides: Partial<NewInfoRequest> = {}): NewInfoRequest {
  return {
    applicantClass: 'business',
    name: '苏州某某建设有限公司',
    idNumber: '91350100M000100Y43',
    legalRepresentative: '王五',
    contactName: '赵六',
    phone: '0512-63001234',
    address: '江苏省苏州市吴江区开平路300号',
    description: '2025年区级工程招标项目目录',
    deliveryForm: '纸质',
    deliveryWay: '邮寄',
    ...overrides,
  };
}

export async function requestIdOf(db: Kysely<Database>, queryCode: string): Promise<number> {
  return (await db.selectFrom('infoRequest').select('id').where('queryCode', '=', queryCode).executeTakeFirstOrThrow())
    .id;
}

export async function requestCount(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('infoRequest')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
