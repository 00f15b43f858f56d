import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import {
  addUnit,
  deliverHotlineEvents,
  stepLetter,
  submitLetter,
  type Actor,
  type ServiceContext,
} from '../../src/services/index.js';
import type { Clock } from '../../src/clock.js';
import { CALLBACKS_PER_MINUTE } from '../../src/web/api/hotline.js';
import { demoApp } from '../helpers/app.js';
import { BACKENDS, contextFor, type TestStore } from '../helpers/store.js';
import { actorFor, makeRoleAccounts, signIn, type ApiClient } from '../helpers/backoffice.js';
import { letterIdOf, letterInput, solvedPow } from '../helpers/letters.js';

const CALLBACK = '/api/v1/public/hotline/callback';

/** What the test's hotline received: each request's headers and body as sent. */
interface Received {
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** `sha256=` + hex HMAC-SHA256(secret, `${timestamp}.${body}`), written out here as the hotline would. */
function sign(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

for (const backend of BACKENDS) {
  describe(`the 12345 hotline link on ${backend.name}: signed webhooks out, signed callbacks in`, () => {
    let store: TestStore;
    let app: FastifyInstance;
    let ctx: ServiceContext;
    let office: Actor;
    let admin: ApiClient;
    let unitId: number;
    let secret: string;
    let nowMs = Date.parse('2025-12-01T09:00:00+08:00');
    const clock: Clock = { now: () => new Date(nowMs) };
    const unixNow = () => String(Math.floor(nowMs / 1000));
    // The hotline: records each request and answers with the status the test chooses.
    const received: Received[] = [];
    let answerWith = 200;
    const hotline = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        response.statusCode = answerWith;
        response.end();
      });
    });
    let hotlineUrl = '';
    let serial = 0;

    before(async () => {
      store = await backend.open();
      app = await demoApp(store, { pages: false, clock });
      ctx = contextFor(store, clock);
      const accounts = await makeRoleAccounts(ctx);
      office = actorFor(accounts.office);
      unitId = (await addUnit(ctx, actorFor(accounts.admin), { name: '区城管局' })).id;
      admin = await signIn(app, 'siteadmin');
      await new Promise<void>((resolve) => hotline.listen(0, '127.0.0.1', resolve));
      hotlineUrl = `http://127.0.0.1:${(hotline.address() as AddressInfo).port}/gazette-events`;
    });
    after(async () => {
      await new Promise<void>((resolve, reject) => hotline.close((error) => (error ? reject(error) : resolve())));
      await app.close();
      await store.dispose();
    });

    /** A new letter (received), its query code and id. */
    async function newLetter(): Promise<{ queryCode: string; id: number }> {
      const receipt = await submitLetter(
        ctx,
        { ...letterInput({ phone: `1391234${String(++serial).padStart(4, '0')}` }), altcha: await solvedPow(ctx) },
        `198.51.100.${serial}`,
      );
      return { queryCode: receipt.queryCode, id: await letterIdOf(store.db, receipt.queryCode) };
    }

    /** Sends whatever is due to a hotline that answers 200, and forgets it. */
    async function drain(): Promise<void> {
      answerWith = 200;
      await deliverHotlineEvents(ctx);
      received.length = 0;
    }

    async function count(table: 'letterStep' | 'hotlineCallback' | 'hotlineEvent' | 'auditLog'): Promise<number> {
      const row = await store.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    }

    /** What a refusal must leave as it was: the letter, its steps, the callbacks, the outbox, the audit log. */
    async function snapshot(id: number) {
      return {
        letter: await store.db.selectFrom('letter').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
        steps: await count('letterStep'),
        callbacks: await count('hotlineCallback'),
        events: await count('hotlineEvent'),
        audit: await count('auditLog'),
      };
    }

    function callback(body: Record<string, unknown>, options: { secret?: string; timestamp?: string } = {}) {
      const payload = JSON.stringify(body);
      const timestamp = options.timestamp ?? unixNow();
      return app.inject({
        method: 'POST',
        url: CALLBACK,
        headers: {
          'content-type': 'application/json',
          'x-gazette-timestamp': timestamp,
          'x-gazette-signature': sign(options.secret ?? secret, timestamp, payload),
        },
        payload,
      });
    }

    test('the administrator sets the link up: a secret shown once, then the address and the switch', async () => {
      const initial = await admin.request('GET', '/api/v1/hotline');
      assert.deepEqual(initial.json(), {
        enabled: false,
        url: '',
        hasSecret: false,
        secretSetAt: null,
        callbackPath: CALLBACK,
      });
      const early = await admin.request('PUT', '/api/v1/hotline', { enabled: true, url: hotlineUrl });
      assert.deepEqual([early.statusCode, early.json<{ code: string }>().code], [400, 'CASE_FIELD_INVALID']);
      const badUrl = await admin.request('PUT', '/api/v1/hotline', { enabled: false, url: 'ftp://hotline.example' });
      assert.equal(badUrl.statusCode, 400);

      const made = await admin.request('POST', '/api/v1/hotline/secret', {});
      assert.equal(made.statusCode, 200, made.body);
      assert.equal(made.headers['cache-control'], 'no-store');
      const answer = made.json<{ secret: string }>();
      secret = answer.secret;
      assert.match(secret, /^[A-Za-z0-9_-]{43}$/);
      assert.deepEqual(answer, {
        enabled: false,
        url: '',
        hasSecret: true,
        secretSetAt: '2025-12-01T01:00:00.000Z',
        callbackPath: CALLBACK,
        secret,
      });
      // Kept sealed: the store holds no readable secret.
      const row = await store.db.selectFrom('hotlineLink').selectAll().executeTakeFirstOrThrow();
      assert.ok(row.secret?.startsWith('p1.') && !row.secret.includes(secret));

      const on = await admin.request('PUT', '/api/v1/hotline', { enabled: true, url: hotlineUrl });
      assert.equal(on.statusCode, 200, on.body);
      assert.deepEqual(on.json(), {
        enabled: true,
        url: hotlineUrl,
        hasSecret: true,
        secretSetAt: '2025-12-01T01:00:00.000Z',
        callbackPath: CALLBACK,
      });
      // The answer of GET never shows the secret again.
      assert.ok(!(await admin.request('GET', '/api/v1/hotline')).body.includes(secret));
    });

    test('a new letter reaches the hotline as a signed webhook: exact headers, signature, whole body', async () => {
      const { queryCode } = await newLetter();
      const report = await deliverHotlineEvents(ctx);
      assert.deepEqual(report, { delivered: 1, retried: 0, failed: 0 });
      assert.equal(received.length, 1);
      const [hook] = received;
      assert.ok(hook);
      const event = await store.db.selectFrom('hotlineEvent').selectAll().executeTakeFirstOrThrow();
      assert.deepEqual(
        {
          method: 'POST',
          path: '/gazette-events',
          contentType: hook.headers['content-type'],
          eventId: hook.headers['x-gazette-event-id'],
          timestamp: hook.headers['x-gazette-timestamp'],
          signature: hook.headers['x-gazette-signature'],
          userAgent: hook.headers['user-agent'],
        },
        {
          method: 'POST',
          path: '/gazette-events',
          contentType: 'application/json',
          eventId: event.eventId,
          timestamp: '1764550800',
          signature: sign(secret, '1764550800', hook.body),
          userAgent: 'Gazette-Hotline/1',
        },
      );
      assert.match(event.eventId, /^[0-9a-f-]{36}$/);
      assert.deepEqual(JSON.parse(hook.body), {
        id: event.eventId,
        type: 'received',
        occurredAt: '2025-12-01T01:00:00.000Z',
        letter: {
          queryCode,
          type: 'consult',
          title: '关于松陵镇中山路路灯不亮的咨询',
          status: 'received',
          unit: null,
          dueDay: null,
          answeredAt: null,
          reply: null,
          rating: null,
        },
      });
      // No personal data in it: neither the name nor the phone, e-mail or address.
      for (const personal of ['张三丰', '13812345678', 'zhang@example.com', '中山路88号'])
        assert.ok(!hook.body.includes(personal), personal);
      received.length = 0;

      const deliveries = await admin.request('GET', '/api/v1/hotline/deliveries');
      assert.deepEqual(deliveries.json(), {
        items: [
          {
            id: event.id,
            eventId: event.eventId,
            type: 'received',
            letterId: event.letterId,
            queryCode,
            status: 'delivered',
            attempts: 1,
            nextAttemptAt: null,
            lastStatus: 200,
            lastError: null,
            createdAt: '2025-12-01T01:00:00.000Z',
            deliveredAt: '2025-12-01T01:00:00.000Z',
          },
        ],
        total: 1,
        page: 1,
        pageSize: 50,
      });
    });

    test('a 500 from the hotline leaves the delivery pending with its next attempt; it goes when that is due', async () => {
      const { id } = await newLetter();
      await drain();
      await stepLetter(ctx, office, id, 'accept', {});
      answerWith = 500;
      assert.deepEqual(await deliverHotlineEvents(ctx), { delivered: 0, retried: 1, failed: 0 });
      assert.equal(received.length, 1);
      const pending = await admin.request('GET', '/api/v1/hotline/deliveries?status=pending');
      const items = pending.json<{ items: Record<string, unknown>[] }>().items;
      assert.equal(items.length, 1);
      assert.deepEqual(
        {
          type: items[0]?.type,
          status: items[0]?.status,
          attempts: items[0]?.attempts,
          nextAttemptAt: items[0]?.nextAttemptAt,
          lastStatus: items[0]?.lastStatus,
          lastError: items[0]?.lastError,
          deliveredAt: items[0]?.deliveredAt,
        },
        {
          type: 'accepted',
          status: 'pending',
          attempts: 1,
          nextAttemptAt: '2025-12-01T01:01:00.000Z',
          lastStatus: 500,
          lastError: 'HTTP 500',
          deliveredAt: null,
        },
      );
      // Not due yet: nothing is sent.
      answerWith = 200;
      assert.deepEqual(await deliverHotlineEvents(ctx), { delivered: 0, retried: 0, failed: 0 });
      assert.equal(received.length, 1);
      // A minute later it goes, with the same event id, signed afresh.
      nowMs += 60_000;
      assert.deepEqual(await deliverHotlineEvents(ctx), { delivered: 1, retried: 0, failed: 0 });
      const [first, second] = received;
      assert.equal(second?.headers['x-gazette-event-id'], first?.headers['x-gazette-event-id']);
      assert.equal(second?.headers['x-gazette-timestamp'], unixNow());
      assert.equal(second?.headers['x-gazette-signature'], sign(secret, unixNow(), second?.body ?? ''));
      received.length = 0;
    });

    test('a signed reply answers the letter; the same event again gets 409 and changes nothing', async () => {
      const { queryCode, id } = await newLetter();
      await stepLetter(ctx, office, id, 'accept', {});
      await stepLetter(ctx, office, id, 'assign', { unitId });
      await drain();
      const body = {
        eventId: 'HL-20251201-0001',
        queryCode,
        kind: 'reply',
        reply: '您好，路灯已于今日修复。\n如有问题请再联系 12345。',
        note: '热线回访确认',
      };
      const answered = await callback(body);
      assert.equal(answered.statusCode, 200, answered.body);
      const letter = await store.db.selectFrom('letter').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      assert.deepEqual(answered.json(), {
        eventId: 'HL-20251201-0001',
        kind: 'reply',
        letter: {
          queryCode,
          status: 'answered',
          dueDay: letter.dueDay,
          answeredAt: new Date(nowMs).toISOString(),
          rating: null,
        },
      });
      assert.equal(letter.replyHtml, '<p>您好，路灯已于今日修复。</p><p>如有问题请再联系 12345。</p>');
      assert.equal(letter.replyUnitId, unitId);
      const step = await store.db
        .selectFrom('letterStep')
        .selectAll()
        .where('letterId', '=', id)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      assert.deepEqual(
        [step.step, step.fromStatus, step.toStatus, step.actorName, step.note],
        ['hotline-reply', 'assigned', 'answered', '12345', '热线回访确认'],
      );
      const audit = await store.db.selectFrom('auditLog').selectAll().orderBy('seq', 'desc').executeTakeFirstOrThrow();
      assert.deepEqual([audit.action, audit.userName], ['letter.hotline-reply', '12345']);
      // The hotline hears of the answer like any other (its system sees the resulting state).
      await deliverHotlineEvents(ctx);
      assert.deepEqual(
        received
          .map((r) => JSON.parse(r.body) as { type: string; letter: { status: string; reply: string } })
          .map((e) => [e.type, e.letter.status, e.letter.reply]),
        [['answered', 'answered', '<p>您好，路灯已于今日修复。</p><p>如有问题请再联系 12345。</p>']],
      );
      received.length = 0;

      const before = await snapshot(id);
      const replayed = await callback(body);
      assert.equal(replayed.statusCode, 409);
      assert.equal(replayed.json<{ code: string }>().code, 'REPLAY_REFUSED');
      assert.deepEqual(await snapshot(id), before);
      // A reply to a letter already answered: refused, and its event id is not taken either.
      const again = await callback({ ...body, eventId: 'HL-20251201-0002' });
      assert.deepEqual([again.statusCode, again.json<{ code: string }>().code], [409, 'CASE_STEP_INVALID']);
      assert.deepEqual(await snapshot(id), before);
    });

    test('a bad or missing signature gets 401, a stale timestamp 401, and nothing changes', async () => {
      const { queryCode, id } = await newLetter();
      await stepLetter(ctx, office, id, 'accept', {});
      await drain();
      const body = { eventId: 'HL-BAD-1', queryCode, kind: 'reply', reply: '已处理' };
      const before = await snapshot(id);

      const forged = await callback(body, { secret: 'not-the-secret' });
      assert.equal(forged.statusCode, 401);
      assert.deepEqual(forged.json(), {
        code: 'SIGNATURE_INVALID',
        message: '签名验证未通过：签名不符',
        messageEn: 'The signature does not verify: the signature does not match the body',
      });
      // The body changed after signing (one character): refused as well.
      const payload = JSON.stringify(body);
      const tampered = await app.inject({
        method: 'POST',
        url: CALLBACK,
        headers: {
          'content-type': 'application/json',
          'x-gazette-timestamp': unixNow(),
          'x-gazette-signature': sign(secret, unixNow(), payload),
        },
        payload: payload.replace('已处理', '未处理'),
      });
      assert.equal(tampered.statusCode, 401);
      const unsigned = await app.inject({
        method: 'POST',
        url: CALLBACK,
        headers: { 'content-type': 'application/json' },
        payload,
      });
      assert.deepEqual([unsigned.statusCode, unsigned.json<{ code: string }>().code], [401, 'SIGNATURE_INVALID']);
      // An invalid body with a bad signature: the signature is checked first.
      const junk = await callback({ nonsense: true }, { secret: 'not-the-secret' });
      assert.equal(junk.statusCode, 401);

      const stale = await callback(body, { timestamp: String(Math.floor(nowMs / 1000) - 301) });
      assert.equal(stale.statusCode, 401);
      assert.deepEqual(stale.json(), {
        code: 'SIGNATURE_INVALID',
        message: '签名验证未通过：时间戳过期（stale）：与服务器时间相差超过 5 分钟',
        messageEn: 'The signature does not verify: stale: the timestamp is more than 5 minutes from the server’s clock',
      });
      const ahead = await callback(body, { timestamp: String(Math.floor(nowMs / 1000) + 301) });
      assert.equal(ahead.statusCode, 401);
      assert.deepEqual(await snapshot(id), before);
      // Within the window, signed right: taken.
      const late = await callback(body, { timestamp: String(Math.floor(nowMs / 1000) - 290) });
      assert.equal(late.statusCode, 200, late.body);
      assert.equal(late.json<{ letter: { status: string } }>().letter.status, 'answered');
    });

    test('a rating of 1 through 12345 reopens the letter with the unit, as the writer’s own would', async () => {
      const { queryCode, id } = await newLetter();
      await stepLetter(ctx, office, id, 'accept', {});
      await stepLetter(ctx, office, id, 'assign', { unitId });
      assert.equal(
        (await callback({ eventId: `HL-R-${id}-1`, queryCode, kind: 'reply', reply: '已修复' })).statusCode,
        200,
      );
      await drain();
      nowMs += 86_400_000;
      const rated = await callback({ eventId: `HL-R-${id}-2`, queryCode, kind: 'rating', rating: 1, note: '灯仍不亮' });
      assert.equal(rated.statusCode, 200, rated.body);
      assert.deepEqual(rated.json(), {
        eventId: `HL-R-${id}-2`,
        kind: 'rating',
        letter: { queryCode, status: 'assigned', dueDay: '2025-12-09', answeredAt: null, rating: 1 },
      });
      const steps = await store.db
        .selectFrom('letterStep')
        .select(['step', 'fromStatus', 'toStatus', 'actorName', 'note', 'unitId'])
        .where('letterId', '=', id)
        .orderBy('id', 'desc')
        .limit(2)
        .execute();
      assert.deepEqual(steps.reverse(), [
        {
          step: 'rate',
          fromStatus: 'answered',
          toStatus: 'answered',
          actorName: '12345',
          note: '非常不满意：灯仍不亮',
          unitId: null,
        },
        { step: 'reopen', fromStatus: 'answered', toStatus: 'assigned', actorName: '12345', note: '', unitId },
      ]);
      await deliverHotlineEvents(ctx);
      assert.deepEqual(
        received.map((r) => (JSON.parse(r.body) as { type: string }).type),
        ['rated', 'reopened'],
      );
      received.length = 0;
      // Rated once: a second rating of the same reply is refused, and stores nothing.
      const before = await snapshot(id);
      const twice = await callback({ eventId: `HL-R-${id}-3`, queryCode, kind: 'rating', rating: 5 });
      assert.deepEqual([twice.statusCode, twice.json<{ code: string }>().code], [409, 'CASE_STEP_INVALID']);
      assert.deepEqual(await snapshot(id), before);
    });

    test('a status note is kept as a step, the letter unchanged; an unknown letter is 404', async () => {
      const { queryCode, id } = await newLetter();
      await drain();
      const before = await store.db.selectFrom('letter').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      const noted = await callback({
        eventId: `HL-S-${id}`,
        queryCode,
        kind: 'status',
        status: '已派单',
        note: '转市城管',
      });
      assert.equal(noted.statusCode, 200, noted.body);
      assert.deepEqual(noted.json(), {
        eventId: `HL-S-${id}`,
        kind: 'status',
        letter: { queryCode, status: 'received', dueDay: null, answeredAt: null, rating: null },
      });
      assert.deepEqual(
        await store.db.selectFrom('letter').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
        before,
      );
      const step = await store.db
        .selectFrom('letterStep')
        .select(['step', 'fromStatus', 'toStatus', 'actorName', 'note'])
        .where('letterId', '=', id)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      assert.deepEqual(step, {
        step: 'hotline-note',
        fromStatus: 'received',
        toStatus: 'received',
        actorName: '12345',
        note: '已派单：转市城管',
      });
      // A note is no case event: nothing goes back out.
      assert.deepEqual(await deliverHotlineEvents(ctx), { delivered: 0, retried: 0, failed: 0 });
      const unknown = await callback({ eventId: 'HL-404', queryCode: '20250101ZZZZZZ', kind: 'status', note: 'x' });
      assert.deepEqual([unknown.statusCode, unknown.json<{ code: string }>().code], [404, 'HOTLINE_CASE_NOT_FOUND']);
      assert.equal(
        await store.db.selectFrom('hotlineCallback').select('id').where('eventId', '=', 'HL-404').executeTakeFirst(),
        undefined,
      );
    });

    test('switched off: no webhook is queued and callbacks get 403; a new secret stops the old one', async () => {
      // The clock moved a day on: a fresh session.
      admin = await signIn(app, 'siteadmin');
      assert.equal(
        (await admin.request('PUT', '/api/v1/hotline', { enabled: false, url: hotlineUrl })).statusCode,
        200,
      );
      const events = await count('hotlineEvent');
      const { queryCode } = await newLetter();
      assert.equal(await count('hotlineEvent'), events);
      const off = await callback({ eventId: 'HL-OFF', queryCode, kind: 'status', note: '测试' });
      assert.deepEqual([off.statusCode, off.json<{ code: string }>().code], [403, 'HOTLINE_DISABLED']);
      assert.equal((await admin.request('PUT', '/api/v1/hotline', { enabled: true, url: hotlineUrl })).statusCode, 200);
      const old = secret;
      secret = (await admin.request('POST', '/api/v1/hotline/secret', {})).json<{ secret: string }>().secret;
      assert.notEqual(secret, old);
      const withOld = await callback({ eventId: 'HL-OLD', queryCode, kind: 'status', note: '测试' }, { secret: old });
      assert.equal(withOld.statusCode, 401);
      const withNew = await callback({ eventId: 'HL-NEW', queryCode, kind: 'status', note: '测试' });
      assert.equal(withNew.statusCode, 200, withNew.body);
    });

    test('callbacks are limited per address: the 121st in a minute gets 429, before its signature is checked', async () => {
      const forged = (remoteAddress: string) =>
        app.inject({
          method: 'POST',
          url: CALLBACK,
          remoteAddress,
          headers: {
            'content-type': 'application/json',
            'x-gazette-timestamp': unixNow(),
            'x-gazette-signature': 'sha256=00',
          },
          payload: '{}',
        });
      const answers: number[] = [];
      for (let i = 0; i < CALLBACKS_PER_MINUTE; i++) answers.push((await forged('198.51.100.7')).statusCode);
      assert.deepEqual(new Set(answers), new Set([401]));
      const over = await forged('198.51.100.7');
      assert.deepEqual([over.statusCode, over.json<{ code: string }>().code], [429, 'RATE_LIMITED']);
      assert.equal((await forged('198.51.100.8')).statusCode, 401);
    });

    test('/api/openapi.json documents the routes with their schemas', async () => {
      const spec = (await app.inject('/api/openapi.json')).json<{
        paths: Record<string, Record<string, { requestBody?: unknown; responses?: Record<string, unknown> }>>;
      }>();
      assert.deepEqual(Object.keys(spec.paths['/api/v1/hotline'] ?? {}).sort(), ['get', 'put']);
      assert.ok(spec.paths['/api/v1/hotline/secret']?.post?.responses?.['200']);
      assert.ok(spec.paths['/api/v1/hotline/deliveries']?.get?.responses?.['200']);
      const incoming = spec.paths[CALLBACK]?.post;
      assert.ok(incoming);
      const text = JSON.stringify(incoming);
      for (const word of ['eventId', 'queryCode', 'rating', 'x-gazette-signature', 'x-gazette-timestamp'])
        assert.ok(text.includes(word), word);
      assert.deepEqual(Object.keys(incoming.responses ?? {}).sort(), [
        '200',
        '400',
        '401',
        '403',
        '404',
        '409',
        '413',
        '429',
        '503',
      ]);
    });
  });
}
