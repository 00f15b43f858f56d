import { test } from 'node:test';
import assert from 'node:assert/strict';
import iconv from 'iconv-lite';
import { decodePage } from '../../../src/migrate/source/index.js';

const BODY = '<p>6月3日，区长主持召开区政府第45次常务会议。会议研究了优化营商环境有关工作，部署下一阶段重点任务。</p>';
const page = (head: string): string =>
  `<html><head>${head}<title>区政府召开第45次常务会议</title></head><body>${BODY}</body></html>`;

test('UTF-8, declared by meta', () => {
  const text = page('<meta charset="utf-8">');
  assert.deepStrictEqual(decodePage(Buffer.from(text), 'text/html'), { ok: true, text, charset: 'utf-8' });
});

test('UTF-8 with a BOM: the BOM wins over a wrong header and is not part of the text', () => {
  const text = page('');
  const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
  assert.deepStrictEqual(decodePage(bytes, 'text/html; charset=gbk'), { ok: true, text, charset: 'utf-8' });
});

test('UTF-16LE with its BOM', () => {
  const text = page('');
  const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  assert.deepStrictEqual(decodePage(bytes, null), { ok: true, text, charset: 'utf-16le' });
});

test('GBK declared by the Content-Type header only', () => {
  const text = page('');
  const bytes = iconv.encode(text, 'gbk');
  assert.deepStrictEqual(decodePage(bytes, 'text/html; charset="GBK"'), { ok: true, text, charset: 'gb18030' });
});

test('GBK declared by the http-equiv meta only', () => {
  const text = page('<meta http-equiv="Content-Type" content="text/html; charset=gbk" />');
  assert.deepStrictEqual(decodePage(iconv.encode(text, 'gbk'), 'text/html'), { ok: true, text, charset: 'gb18030' });
});

test('GB2312 declared, holding characters only GBK has (镕, 堃): decoded as GB18030, the superset', () => {
  const text = page('<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=gb2312">') + '朱镕基 王堃';
  assert.deepStrictEqual(decodePage(iconv.encode(text, 'gbk'), null), { ok: true, text, charset: 'gb18030' });
});

test('GBK declared nowhere: chardet tells', () => {
  const text = page('');
  assert.deepStrictEqual(decodePage(iconv.encode(text, 'gbk'), null), { ok: true, text, charset: 'gb18030' });
});

test('a UTF-8 header over GBK bytes: the declared charset fails, chardet’s guess decodes cleanly', () => {
  const text = page('');
  const bytes = iconv.encode(text, 'gbk');
  assert.deepStrictEqual(decodePage(bytes, 'text/html; charset=utf-8'), { ok: true, text, charset: 'gb18030' });
});

test('a Java server’s ISO-8859-1 header over a page whose meta says gbk: the meta is tried next', () => {
  const text = page('<meta charset="gbk">');
  const bytes = iconv.encode(text, 'gbk');
  assert.deepStrictEqual(decodePage(bytes, 'text/html;charset=ISO-8859-1'), { ok: true, text, charset: 'gb18030' });
});

test('a template still saying gb2312 over a page saved as UTF-8: the bytes are UTF-8', () => {
  const text = page('<meta charset="gb2312">');
  assert.deepStrictEqual(decodePage(Buffer.from(text), null), { ok: true, text, charset: 'utf-8' });
});

test('GBK with an invalid byte sequence: undecodable, with the charset and the byte offset', () => {
  const head = iconv.encode(page('<meta charset="gbk">').slice(0, 80), 'gbk');
  const bytes = Buffer.concat([head, Buffer.from([0x81, 0x20]), iconv.encode('结尾', 'gbk')]);
  assert.equal(head.length, 93);
  assert.deepStrictEqual(decodePage(bytes, null), {
    ok: false,
    reason: 'declared gbk, invalid byte sequence at byte 93',
  });
});

test('declared UTF-8 with a broken byte: chardet’s Latin guess is refused, never mojibake', () => {
  const bytes = Buffer.from(page('<meta charset="utf-8">'));
  const broken = Buffer.concat([bytes.subarray(0, 100), Buffer.from([0xff]), bytes.subarray(100)]);
  assert.deepStrictEqual(decodePage(broken, 'text/html; charset=utf-8'), {
    ok: false,
    reason: 'declared utf-8, invalid byte sequence at byte 100; detected windows-1252, multi-byte text at byte 41',
  });
});

test('valid UTF-8 holding U+FFFD (text damaged before it was saved): undecodable', () => {
  const text = page('<meta charset="utf-8">').replace('区长', '区\uFFFD');
  assert.equal(Buffer.byteLength(text.slice(0, text.indexOf('\uFFFD'))), 114);
  assert.deepStrictEqual(decodePage(Buffer.from(text), null), {
    ok: false,
    reason: 'declared utf-8, replacement character at byte 114',
  });
});

test('bytes that are no text at all: too many control characters', () => {
  const bytes = Buffer.from(Array.from({ length: 40 }, (_, index) => index));
  assert.deepStrictEqual(decodePage(bytes, null), {
    ok: false,
    reason: 'detected utf-8, 28 control characters, the first at byte 0',
  });
});
