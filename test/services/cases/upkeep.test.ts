import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  anonymiseExpiredLetters,
  infoRequestApplicant,
  letterPersonalData,
  putReplyDocument,
  stepInfoRequest,
  stepLetter,
  submitInfoRequest,
  submitLetter,
  type Actor,
  type ServiceContext,
} from '../../../src/services/index.js';
import { BACKENDS, contextFor, type TestStore } from '../../helpers/store.js';
import { demoSite } from '../../helpers/factories.js';
import { actorFor, makeRoleAccounts } from '../../helpers/backoffice.js';
import { letterIdOf, letterInput, solvedPow } from '../../helpers/letters.js';
import { citizenRequest, requestIdOf } from '../../helpers/info-requests.js';
import { pdfOfSize } from '../../helpers/uploads.js';

for (const backend of BACKENDS) {
  describe(`retention on ${backend.name}: the nightly job anonymises closed cases after the desk's years`, () => {
    let store: TestStore;
    let now: Date;
    let ctx: ServiceContext;
    let office: Actor;
    const at = (iso: string) => {
      now = new Date(iso);
    };

    before(async () => {
      store = await backend.open();
      at('2021-01-10T10:00:00+08:00');
      ctx = { ...contextFor(store), clock: { now: () => now } };
      await demoSite(ctx);
      office = actorFor((await makeRoleAccounts(ctx)).office);
    });
    after(() => store.dispose());

    test('a letter declined and a request answered in January 2021 keep their figures but lose their personal data in February 2024, audited', async () => {
      const letter = await submitLetter(ctx, { ...letterInput(), altcha: await solvedPow(ctx) }, '203.0.113.70');
      const letterId = await letterIdOf(store.db, letter.queryCode);
      const request = await submitInfoRequest(
        ctx,
        {
          ...citizenRequest({ description: '李四申请公开本人住址江苏省苏州市吴江区松陵镇人民路1号的拆迁补偿标准' }),
          altcha: await solvedPow(ctx),
        },
        '203.0.113.71',
      );
      const requestId = await requestIdOf(store.db, request.queryCode);
      at('2021-01-11T10:00:00+08:00');
      await stepLetter(ctx, office, letterId, 'reject', { reason: '重复提交' });
      await stepInfoRequest(ctx, office, requestId, 'confirm', {});
      await putReplyDocument(ctx, office, requestId, { filename: 'reply.pdf', data: pdfOfSize(800, 'old') });
      await stepInfoRequest(ctx, office, requestId, 'answer', { outcome: 'open' });

      at('2024-01-05T03:00:00+08:00');
      assert.equal(await anonymiseExpiredLetters(ctx, 1), 0, 'not yet 3 years');
      at('2024-02-01T03:00:00+08:00');
      assert.equal(await anonymiseExpiredLetters(ctx, 1), 2);
      assert.equal(await anonymiseExpiredLetters(ctx, 1), 0, 'once only');

      assert.deepEqual(await letterPersonalData(ctx, office, letterId), {
        name: '',
        phone: '',
        email: '',
        address: '',
      });
      assert.equal((await infoRequestApplicant(ctx, office, requestId)).idNumber, '');
      const row = await store.db
        .selectFrom('infoRequest')
        .select(['personal', 'phoneIndex', 'description', 'outcome', 'anonymisedAt'])
        .where('id', '=', requestId)
        .executeTakeFirstOrThrow();
      assert.deepEqual(row, {
        personal: '',
        phoneIndex: '',
        description: '李**申请公开本人住址江苏省苏州市吴江区的拆迁补偿标准',
        outcome: 'open',
        anonymisedAt: new Date('2024-02-01T03:00:00+08:00').toISOString(),
      });
      const audits = await store.db
        .selectFrom('auditLog')
        .select(['action', 'targetId', 'userName'])
        .where('action', 'in', ['letter.anonymise', 'info-request.anonymise'])
        .orderBy('seq')
        .execute();
      assert.deepEqual(audits, [
        { action: 'letter.anonymise', targetId: String(letterId), userName: 'retention' },
        { action: 'info-request.anonymise', targetId: String(requestId), userName: 'retention' },
      ]);
    });
  });
}
