import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isGazetteError } from '../../../src/domain/index.js';
import {
  addConsultationAttachment,
  consultationComments,
  consultationDetail,
  createConsultation,
  publishConsultation,
  submitComment,
  type ConsultationInput,
  type VirusScanner,
} from '../../../src/services/index.js';
import { pdfOfSize } from '../../helpers/uploads.js';
import { solvedPow } from '../../helpers/letters.js';
import { contextFor, testStore } from '../../helpers/store.js';
import { demoSite } from '../../helpers/factories.js';
import { actorFor, makeRoleAccounts } from '../../helpers/backoffice.js';

const RULE: ConsultationInput = {
  title: '示范区停车管理办法（征求意见稿）',
  kind: 'rule',
  concernsBusiness: false,
  draftingUnit: '区司法局',
  draftHtml: '<p>第一条</p>',
  explanationHtml: '<p>起草说明</p>',
  startDay: '2025-11-20',
  endDay: '2025-12-19',
  contactName: '法规科',
  contactPhone: '0512-63001234',
  contactEmail: 'sfj@example.gov.cn',
  otherWays: '',
};

// Regression (a late publication hid a short period): dates of 30 days, put out on the 12th day,
// give the public 19 days; the warning measures from the day the public can first comment.
test('the period is measured from the day it is (or would be) published when that is after the start day', async (t) => {
  const store = await testStore();
  t.after(() => store.dispose());
  let now = new Date('2025-11-10T09:00:00+08:00');
  const ctx = { ...contextFor(store), clock: { now: () => now } };
  await demoSite(ctx);
  const office = actorFor((await makeRoleAccounts(ctx)).office);

  const made = await createConsultation(ctx, office, RULE);
  assert.deepEqual([made.period.days, made.period.warning], [30, null]);
  now = new Date('2025-12-01T09:00:00+08:00');
  const late = '征求意见期限为 19 日，短于要求：规章草案征求意见期限不少于 30 日。如确需缩短，请在起草说明中说明理由。';
  assert.deepEqual(
    [
      (await consultationDetail(ctx, office, made.id)).period.days,
      (await consultationDetail(ctx, office, made.id)).period.warning,
    ],
    [19, late],
  );
  const published = await publishConsultation(ctx, office, made.id);
  assert.deepEqual([published.period.days, published.period.warning], [19, late]);
  // Read later, it still counts from the publication day.
  now = new Date('2025-12-10T09:00:00+08:00');
  assert.equal((await consultationDetail(ctx, office, made.id)).period.days, 19);
});

// Regression (comments skipped the near-duplicate check of the anti-abuse path): a copied comment
// is taken and flagged with the earlier one, as a copied letter is.
test('a comment that nearly repeats an earlier one is taken and flagged with it', async (t) => {
  const store = await testStore();
  t.after(() => store.dispose());
  const ctx = contextFor(store);
  await demoSite(ctx);
  const office = actorFor((await makeRoleAccounts(ctx)).office);
  const made = await createConsultation(ctx, office, { ...RULE, startDay: '2025-12-01', endDay: '2025-12-31' });
  await publishConsultation(ctx, office, made.id);
  const send = async (phone: string, body: string, ip: string) =>
    submitComment(ctx, made.id, { name: '王五', phone, body, altcha: await solvedPow(ctx) }, ip);
  await send('13900000001', '建议在第三条中增加夜间停车的收费标准，并公开收费依据。', '203.0.113.1');
  await send('13900000002', '建议在第三条中增加夜间停车的收费标准，并公开收费依据！', '203.0.113.2');
  await send('13900000003', '希望延长征求意见期限。', '203.0.113.3');
  const comments = await consultationComments(ctx, office, made.id);
  assert.deepEqual(
    comments.map((c) => c.nearDuplicateOf),
    [null, comments[0]?.id, null],
  );
});

// Regression (a draft's attachments skipped the virus check that every other upload passes): the
// public downloads them, so the configured scanner sees each first.
test('an attachment the virus scanner flags is refused and nothing is stored', async (t) => {
  const store = await testStore();
  t.after(() => store.dispose());
  const flagged: VirusScanner = {
    name: 'test',
    label: { zh: '测试扫描', en: 'test scanner' },
    scan: () => Promise.resolve({ infected: true, signature: 'Test.Signature' }),
  };
  const ctx = { ...contextFor(store), virusScanner: flagged };
  await demoSite(ctx);
  const office = actorFor((await makeRoleAccounts(ctx)).office);
  const made = await createConsultation(ctx, office, RULE);
  await assert.rejects(
    addConsultationAttachment(ctx, office, made.id, { filename: '草案.pdf', data: pdfOfSize(700, 'flagged') }),
    (error: unknown) => isGazetteError(error) && error.code === 'MEDIA_INFECTED',
  );
  assert.deepEqual((await consultationDetail(ctx, office, made.id)).attachments, []);
});
