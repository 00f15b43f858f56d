import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import {
  addUnit,
  anonymiseExpiredLetters,
  letterDesk,
  parseDataKey,
  resealPersonalData,
  stepLetter,
  updateLetterDesk,
  updateUnit,
  type Actor,
  type ServiceContext,
} from '../../src/services/index.js';
import { demoApp } from '../helpers/app.js';
import { PINNED_NOW, TEST_DATA_KEYS, testStore, type TestStore } from '../helpers/store.js';
import { actorFor, makeRoleAccounts, signIn, type ApiClient } from '../helpers/backoffice.js';
import { letterCount, letterIdOf, letterInput, solvedPow } from '../helpers/letters.js';
import { mainLines } from '../helpers/pages.js';
import { pdfOfSize } from '../helpers/uploads.js';

interface FilePart {
  readonly field?: string;
  readonly name: string;
  readonly data: Buffer;
  readonly type?: string;
}

/** A multipart/form-data body as a browser sends the letter form: text fields, then the files. */
function formData(fields: Record<string, string>, files: readonly FilePart[]): { body: Buffer; contentType: string } {
  const boundary = '----gazetteLetterForm7MA4YWxkTrZu0gW';
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  for (const file of files)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'attachments'}"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'application/pdf'}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** The letter form's text fields (as the page posts them: checkboxes present when ticked). */
function formFields(phone: string, altcha: string): Record<string, string> {
  const letter = letterInput({ phone });
  return {
    type: letter.type,
    title: letter.title,
    body: letter.body,
    name: letter.name,
    phone: letter.phone,
    email: letter.email ?? '',
    address: letter.address ?? '',
    agreePublish: '1',
    altcha,
    website: '',
  };
}

describe('letters’ files: the writer’s (sealed, audited) and the reply’s (public with the letter)', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let ctx: ServiceContext;
  let now = new Date(PINNED_NOW);
  let office: Actor, handler: Actor, admin: Actor;
  let unitId: number;
  let serial = 0;

  before(async () => {
    store = await testStore();
    app = await demoApp(store, { pages: false, clock: { now: () => now } });
    ctx = app.gazette.context;
    const accounts = await makeRoleAccounts(ctx);
    office = actorFor(accounts.office);
    handler = actorFor(accounts.handler);
    admin = actorFor(accounts.admin);
    unitId = (await addUnit(ctx, admin, { name: '区城管局' })).id;
    await updateUnit(ctx, admin, unitId, { members: [{ userId: accounts.handler.id, leader: true }] });
  });
  after(async () => {
    await app.close();
    await store.dispose();
  });

  /** Posts the letter form with files; `json` asks for the API's answer instead of the page. */
  async function send(files: readonly FilePart[], json = true) {
    const { body, contentType } = formData(
      formFields(`1391111${String(2000 + ++serial)}`, await solvedPow(ctx)),
      files,
    );
    return app.inject({
      method: 'POST',
      url: '/api/v1/public/letters',
      headers: { 'content-type': contentType, ...(json && { accept: 'application/json' }) },
      remoteAddress: `198.51.100.${serial}`,
      payload: body,
    });
  }

  async function attachmentCount(): Promise<number> {
    const row = await store.db
      .selectFrom('letterAttachment')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  test('the form posts a PDF: 201 with the receipt page; the office lists it, and its download is the bytes, audited', async () => {
    const pdf = pdfOfSize(3000, 'writer');
    const sent = await send([{ name: '路灯照片说明.pdf', data: pdf }], false);
    assert.equal(sent.statusCode, 201, sent.body);
    const queryCode = /data-query-code>([^<]+)</.exec(sent.body)?.[1] ?? '';
    const id = await letterIdOf(store.db, queryCode);

    const officeApi = await signIn(app, 'office');
    const detail = await officeApi.request('GET', `/api/v1/letters/${id}`);
    const url = `/api/v1/letters/${id}/writer-attachments/${detail.json<{ writerAttachments: { id: number }[] }>().writerAttachments[0]?.id ?? 0}`;
    assert.deepEqual(detail.json<{ writerAttachments: unknown }>().writerAttachments, [
      {
        id: Number(url.split('/').pop()),
        // The writer's file names are personal data: opened only by the audited download.
        fileName: '附件1',
        mimeType: 'application/pdf',
        size: 3000,
        uploadedBy: '写信人',
        uploadedAt: '2025-12-01T01:00:00.000Z',
        url,
      },
    ]);
    // Sealed at rest: neither the name nor the bytes are in the row as sent.
    const row = await store.db
      .selectFrom('letterAttachment')
      .selectAll()
      .where('letterId', '=', id)
      .executeTakeFirstOrThrow();
    assert.ok(row.fileName.startsWith('p1.') && row.content.startsWith('p1.'));
    assert.ok(!row.content.includes(pdf.toString('base64').slice(0, 40)));

    const download = await officeApi.request('GET', url);
    assert.equal(download.statusCode, 200);
    assert.equal(download.headers['content-type'], 'application/pdf');
    assert.equal(download.headers['cache-control'], 'no-store');
    assert.equal(
      download.headers['content-disposition'],
      `attachment; filename="${'_'.repeat(6)}.pdf"; filename*=UTF-8''${encodeURIComponent('路灯照片说明.pdf')}`,
    );
    assert.ok(Buffer.compare(download.rawPayload, pdf) === 0, 'the download is the bytes sent');
    const audit = await store.db
      .selectFrom('auditLog')
      .select(['userName', 'action', 'targetType', 'targetId', 'details'])
      .where('action', '=', 'letter.attachment-read')
      .execute();
    assert.deepEqual(audit, [
      {
        userName: 'office',
        action: 'letter.attachment-read',
        targetType: 'letter',
        targetId: String(id),
        details: JSON.stringify({ attachmentId: row.id, size: 3000 }),
      },
    ]);
    // Another site's reader, or one without case.personal, gets nothing.
    const editor = await signIn(app, 'editor');
    assert.equal((await editor.request('GET', url)).statusCode, 403);
  });

  test('a file whose content lies gets 415 naming it, and nothing is stored', async () => {
    const letters = await letterCount(store.db);
    const files = await attachmentCount();
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(400, 0x90)]);
    const html = Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>');
    for (const [name, data, actual] of [
      ['申请表.pdf', exe, 'application/x-msdownload'],
      ['说明.pdf', html, 'unknown'],
    ] as const) {
      const refused = await send([
        { name: 'ok.pdf', data: pdfOfSize(500, name) },
        { name, data },
      ]);
      assert.equal(refused.statusCode, 415, refused.body);
      assert.deepEqual(refused.json(), {
        code: 'CASE_ATTACHMENT_TYPE',
        message: `附件“${name}”未被接受：文件内容（${actual}）与扩展名 .pdf 不符`,
        messageEn: `Field attachments: the file “${name}” is refused: The file content (${actual}) does not match its extension .pdf`,
      });
    }
    // The form's own post gets the form again, saying which file and why.
    const page = await send([{ name: '说明.pdf', data: html }], false);
    assert.equal(page.statusCode, 415);
    assert.ok(
      mainLines(page.body).includes('提交未成功：附件“说明.pdf”未被接受：文件内容（unknown）与扩展名 .pdf 不符'),
    );
    assert.equal(await letterCount(store.db), letters);
    assert.equal(await attachmentCount(), files);
  });

  test('too many files get 400 naming the field, a file too large 413 naming it; nothing is stored', async () => {
    const letters = await letterCount(store.db);
    const files = await attachmentCount();
    const four = [1, 2, 3, 4].map((n) => ({ name: `附件${n}.pdf`, data: pdfOfSize(400, `n${n}`) }));
    const tooMany = await send(four);
    assert.equal(tooMany.statusCode, 400);
    assert.deepEqual(tooMany.json(), {
      code: 'CASE_FIELD_INVALID',
      message: '附件填写有误：最多上传 3 个附件（现为 4 个）',
      messageEn: 'Field attachments is invalid: at most 3 files (there are 4)',
    });
    const five = await send([...four, { name: '附件5.pdf', data: pdfOfSize(400, 'n5') }]);
    assert.deepEqual([five.statusCode, five.json<{ code: string }>().code], [400, 'CASE_FIELD_INVALID']);

    await updateLetterDesk(ctx, admin, { ...(await letterDesk(ctx, admin)), attachmentMb: 1 });
    try {
      const big = await send([{ name: '扫描件.pdf', data: pdfOfSize(1024 * 1024 + 1, 'big') }]);
      assert.equal(big.statusCode, 413);
      assert.deepEqual(big.json(), {
        code: 'CASE_ATTACHMENT_TOO_LARGE',
        message: '附件“扫描件.pdf”过大（每个附件最大 1 MB）',
        messageEn: 'Field attachments: the file “扫描件.pdf” is too large (at most 1 MB each)',
      });
    } finally {
      await updateLetterDesk(ctx, admin, { ...(await letterDesk(ctx, admin)), attachmentMb: 10 });
    }
    assert.equal(await letterCount(store.db), letters);
    assert.equal(await attachmentCount(), files);
  });

  test('the unit adds files to its draft reply; published, the page lists them and serves them; unpublished, 404', async () => {
    const sent = await send([]);
    assert.equal(sent.statusCode, 201, sent.body);
    const { queryCode, password } = sent.json<{ queryCode: string; password: string }>();
    const id = await letterIdOf(store.db, queryCode);
    await stepLetter(ctx, office, id, 'accept', {});
    await stepLetter(ctx, office, id, 'assign', { unitId });

    const unit: ApiClient = await signIn(app, 'handler');
    const upload = async (name: string, data: Buffer) => {
      const { body, contentType } = formData({}, [{ field: 'file', name, data }]);
      return unit.request('POST', `/api/v1/letters/${id}/reply-attachments`, body, { 'content-type': contentType });
    };
    const reply = pdfOfSize(2048, 'reply');
    const added = await upload('答复意见书.pdf', reply);
    assert.equal(added.statusCode, 201, added.body);
    const lying = await upload('整改方案.pdf', Buffer.from('<html><body>not a pdf</body></html>'));
    assert.deepEqual([lying.statusCode, lying.json<{ code: string }>().code], [415, 'CASE_ATTACHMENT_TYPE']);
    const spare = (await upload('草稿.pdf', pdfOfSize(600, 'draft'))).json<{
      replyAttachments: { id: number; fileName: string }[];
      canEditReplyAttachments: boolean;
    }>();
    assert.deepEqual(
      spare.replyAttachments.map((a) => a.fileName),
      ['答复意见书.pdf', '草稿.pdf'],
    );
    assert.equal(spare.canEditReplyAttachments, true);
    const removed = await unit.request(
      'DELETE',
      `/api/v1/letters/${id}/reply-attachments/${spare.replyAttachments[1]?.id ?? 0}`,
    );
    assert.deepEqual(
      removed.json<{ replyAttachments: { fileName: string }[] }>().replyAttachments.map((a) => a.fileName),
      ['答复意见书.pdf'],
    );
    const fileId = spare.replyAttachments[0]?.id ?? 0;
    const publicUrl = `/xinxiang/fujian/${fileId}/${encodeURIComponent('答复意见书.pdf')}`;
    assert.equal((await app.inject(publicUrl)).statusCode, 404, 'not public before the letter is');

    await stepLetter(ctx, handler, id, 'reply', { reply: '<p>路灯已于12月3日修复。</p>' });
    // In review the reply's files are fixed.
    const late = await upload('补充.pdf', pdfOfSize(500, 'late'));
    assert.deepEqual([late.statusCode, late.json<{ code: string }>().code], [409, 'CASE_STEP_INVALID']);
    await stepLetter(ctx, handler, id, 'approve', {});
    await stepLetter(ctx, office, id, 'approve', {});

    // The writer sees the files once answered, and downloads them with the code and password.
    const follow = await app.inject({
      url: `/api/v1/public/letters/${queryCode}`,
      headers: { 'x-case-password': password },
    });
    const listed = follow.json<{ replyAttachments: { url: string; fileName: string }[] }>().replyAttachments;
    assert.deepEqual(
      listed.map((a) => [a.fileName, a.url]),
      [['答复意见书.pdf', `/api/v1/public/letters/${queryCode}/attachments/${fileId}`]],
    );
    const own = await app.inject({ url: listed[0]?.url ?? '', headers: { 'x-case-password': password } });
    assert.ok(own.statusCode === 200 && Buffer.compare(own.rawPayload, reply) === 0);
    const followPage = await app.inject({
      method: 'POST',
      url: '/xinxiang/chaxun',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ queryCode, password }).toString(),
    });
    assert.ok(mainLines(followPage.body).includes('下载 答复意见书.pdf（2 KB）'), followPage.body);
    const byForm = (pass: string) =>
      app.inject({
        method: 'POST',
        url: '/xinxiang/fujian',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ queryCode, password: pass, attachmentId: String(fileId) }).toString(),
      });
    const saved = await byForm(password);
    assert.equal(saved.headers['content-type'], 'application/pdf');
    assert.ok(Buffer.compare(saved.rawPayload, reply) === 0);
    assert.equal((await byForm('WRONG234')).statusCode, 404);

    await stepLetter(ctx, office, id, 'publish', {});
    await app.gazette.publisher.idle();
    const page = await app.inject(`/xinxiang/${id}.html`);
    assert.equal(page.statusCode, 200);
    const lines = mainLines(page.body);
    assert.deepEqual(lines.slice(lines.indexOf('答复附件'), lines.indexOf('答复附件') + 2), [
      '答复附件',
      '答复意见书.pdf（2 KB）',
    ]);
    assert.ok(page.body.includes(`<a href="${publicUrl}" download>`));
    const served = await app.inject(publicUrl);
    assert.equal(served.statusCode, 200);
    assert.equal(served.headers['content-type'], 'application/pdf');
    assert.ok(Buffer.compare(served.rawPayload, reply) === 0, 'the public file is the bytes uploaded');

    await stepLetter(ctx, office, id, 'unpublish', {});
    await app.gazette.publisher.idle();
    assert.equal((await app.inject(publicUrl)).statusCode, 404);
  });

  test('retention deletes the writer’s files; key rotation seals them again', async () => {
    const pdf = pdfOfSize(1500, 'kept');
    const sent = await send([{ name: '旧信附件.pdf', data: pdf }]);
    const id = await letterIdOf(store.db, sent.json<{ queryCode: string }>().queryCode);

    // Rotation: the file opens under the new key afterwards, with the same bytes.
    const newKey = parseDataKey('a7'.repeat(32), 'GAZETTE_DATA_KEY');
    const rotated = { ...ctx, dataKeys: { current: newKey, previous: TEST_DATA_KEYS?.current } };
    while ((await resealPersonalData(rotated)) > 0);
    const row = await store.db
      .selectFrom('letterAttachment')
      .select(['id', 'keyId'])
      .where('letterId', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(row.keyId, newKey.id);
    const { letterWriterFile } = await import('../../src/services/cases/attachments.js');
    const opened = await letterWriterFile({ ...rotated, dataKeys: { current: newKey } }, office, id, row.id);
    assert.ok(Buffer.compare(opened.data, pdf) === 0);
    while (
      (await resealPersonalData({ ...rotated, dataKeys: { current: TEST_DATA_KEYS!.current, previous: newKey } })) > 0
    );

    await stepLetter(ctx, office, id, 'reject', { reason: '重复提交' });
    const before = now;
    now = new Date('2029-01-01T03:00:00+08:00');
    try {
      assert.ok((await anonymiseExpiredLetters(ctx, 1)) >= 1);
    } finally {
      now = before;
    }
    const left = await store.db.selectFrom('letterAttachment').select('id').where('letterId', '=', id).execute();
    assert.deepEqual(left, []);
    const audit = await store.db
      .selectFrom('auditLog')
      .select('details')
      .where('action', '=', 'letter.anonymise')
      .where('targetId', '=', String(id))
      .executeTakeFirstOrThrow();
    assert.equal((JSON.parse(audit.details) as { files?: number }).files, 1);
  });
});
