import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  anonymiseExpiredLetters,
  consultationCommenter,
  createConsultation,
  parseDataKey,
  publishConsultation,
  resealPersonalData,
  submitComment,
  type Actor,
  type ServiceContext,
} from '../../../src/services/index.js';
import { TEST_DATA_KEYS, contextFor, testStore, type TestStore } from '../../helpers/store.js';
import { demoSite } from '../../helpers/factories.js';
import { actorFor, makeRoleAccounts } from '../../helpers/backoffice.js';
import { solvedPow } from '../../helpers/letters.js';

describe('意见征集’s commenters: sealed again on key rotation, anonymised after the retention years', () => {
  let store: TestStore;
  let now: Date;
  let ctx: ServiceContext;
  let office: Actor;

  before(async () => {
    store = await testStore();
    now = new Date('2021-03-01T10:00:00+08:00');
    ctx = { ...contextFor(store), clock: { now: () => now } };
    await demoSite(ctx);
    office = actorFor((await makeRoleAccounts(ctx)).office);
  });
  after(() => store.dispose());

  const commentRow = () =>
    store.db
      .selectFrom('consultationComment')
      .select(['id', 'personalKeyId', 'personal', 'body', 'anonymisedAt'])
      .executeTakeFirstOrThrow();

  test('rotation, then retention three years after the end day, audited', async () => {
    const c = await createConsultation(ctx, office, {
      title: '示范区城市绿化管理办法（征求意见稿）',
      kind: 'rule',
      concernsBusiness: false,
      draftingUnit: '示范区住房和城乡建设局',
      draftHtml: '<p>第一条 为加强城市绿化管理，制定本办法。</p>',
      explanationHtml: '<p>起草说明。</p>',
      startDay: '2021-03-01',
      endDay: '2021-03-30',
      contactName: '区住建局',
      contactPhone: '0512-63000000',
    });
    await publishConsultation(ctx, office, c.id);
    const comment = { name: '赵六', phone: '13600001234', body: '建议增加行道树，我的电话13600001234。' };
    await submitComment(ctx, c.id, { ...comment, altcha: await solvedPow(ctx) }, '203.0.113.90');
    const { id } = await commentRow();

    const newKey = parseDataKey('a7'.repeat(32), 'GAZETTE_DATA_KEY');
    const rotated = { ...ctx, dataKeys: { current: newKey, previous: TEST_DATA_KEYS?.current } };
    while ((await resealPersonalData(rotated)) > 0);
    assert.equal((await commentRow()).personalKeyId, newKey.id);
    const alone = { ...ctx, dataKeys: { current: newKey } };
    assert.deepEqual(await consultationCommenter(alone, office, c.id, id), {
      name: '赵六',
      phone: '13600001234',
      email: '',
      organisation: '',
    });

    now = new Date('2024-03-30T03:00:00+08:00');
    assert.equal(await anonymiseExpiredLetters(alone, 1), 0, 'not yet 3 years after the end day');
    now = new Date('2024-04-01T03:00:00+08:00');
    assert.equal(await anonymiseExpiredLetters(alone, 1), 1);
    const row = await commentRow();
    assert.deepEqual(
      { ...row, anonymisedAt: row.anonymisedAt && new Date(row.anonymisedAt).toISOString() },
      {
        id,
        personalKeyId: newKey.id,
        personal: '',
        body: '建议增加行道树，我的电话136****1234。',
        anonymisedAt: now.toISOString(),
      },
    );
    assert.deepEqual(await consultationCommenter(alone, office, c.id, id), {
      name: '',
      phone: '',
      email: '',
      organisation: '',
    });
    const audited = await store.db
      .selectFrom('auditLog')
      .select(['action', 'targetId'])
      .where('action', '=', 'consultation.anonymise')
      .execute();
    assert.deepEqual(audited, [{ action: 'consultation.anonymise', targetId: String(id) }]);
  });
});
