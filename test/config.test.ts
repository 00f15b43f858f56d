import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { clockFor, loadConfig } from '../src/config.js';
import { GazetteError } from '../src/domain/index.js';

test('defaults: port 3000 on loopback, ./data, SQLite, Shanghai time, system clock', () => {
  const config = loadConfig({}, '/srv/site');
  assert.deepEqual(config, {
    port: 3000,
    host: '127.0.0.1',
    dataDir: '/srv/site/data',
    databaseUrl: null,
    readDatabaseUrl: null,
    now: null,
    timeZone: 'Asia/Shanghai',
    logLevel: 'info',
    lang: 'en',
    purgeUrl: null,
    trustProxy: null,
    clamd: null,
    secretKey: null,
    dataKeys: null,
    demo: true,
    adminMfa: 'required',
    mail: null,
  });
  assert.ok(Object.isFrozen(config));
});

test('GAZETTE_DATA_KEY: 64 hex characters, or a clear error naming the variable; PREVIOUS while rotating', () => {
  const key = 'ab'.repeat(32);
  const config = loadConfig({ GAZETTE_DATA_KEY: key, GAZETTE_DATA_KEY_PREVIOUS: 'cd'.repeat(32) }, '/');
  assert.match(config.dataKeys?.current.id ?? '', /^[0-9a-f]{8}$/);
  assert.notEqual(config.dataKeys?.previous?.id, config.dataKeys?.current.id);
  assert.throws(
    () => loadConfig({ GAZETTE_DATA_KEY: key.slice(2) }, '/'),
    (error: unknown) =>
      error instanceof GazetteError && error.code === 'DATA_KEY_INVALID' && error.params.name === 'GAZETTE_DATA_KEY',
  );
  assert.throws(
    () => loadConfig({ GAZETTE_DATA_KEY: 'zz'.repeat(32) }, '/'),
    (error: unknown) => error instanceof GazetteError && error.code === 'DATA_KEY_INVALID',
  );
});

test('GAZETTE_NOW pins the one clock', () => {
  const config = loadConfig({ GAZETTE_NOW: '2025-12-01T09:00:00+08:00' }, '/');
  assert.equal(clockFor(config).now().toISOString(), '2025-12-01T01:00:00.000Z');
});

test('bad settings are named with the reason', () => {
  const cases: [Record<string, string>, string][] = [
    [{ PORT: 'eighty' }, 'Invalid setting PORT: "eighty" is not a port number 0-65535'],
    [{ PORT: '70000' }, 'Invalid setting PORT: "70000" is not a port number 0-65535'],
    [
      { GAZETTE_NOW: '2025-12-01' },
      'Invalid setting GAZETTE_NOW: "2025-12-01" is not an ISO 8601 time with a zone, e.g. 2025-12-01T09:00:00+08:00',
    ],
    [{ GAZETTE_TZ: 'Mars/Base' }, 'Invalid setting GAZETTE_TZ: "Mars/Base" is not an IANA time zone'],
    [{ DATABASE_URL: 'mysql://x' }, 'Invalid setting DATABASE_URL: only postgres:// URLs are supported'],
    [
      { DATABASE_READ_URL: 'postgres://replica/gazette' },
      'Invalid setting DATABASE_READ_URL: a read replica needs DATABASE_URL to name its PostgreSQL primary',
    ],
    [
      { DATABASE_URL: 'postgres://primary/gazette', DATABASE_READ_URL: 'sqlite:x.db' },
      'Invalid setting DATABASE_READ_URL: only postgres:// URLs are supported',
    ],
    [{ LOG_LEVEL: 'loud' }, 'Invalid setting LOG_LEVEL: use one of fatal, error, warn, info, debug, trace, silent'],
    [{ GAZETTE_ADMIN_MFA: 'no' }, 'Invalid setting GAZETTE_ADMIN_MFA: "no" is neither required nor optional'],
    [{ GAZETTE_DEMO: 'yes' }, 'Invalid setting GAZETTE_DEMO: "yes" is neither on nor off'],
    [
      { GAZETTE_SECRET_KEY: 'not a key!' },
      'Invalid setting GAZETTE_SECRET_KEY: not base64 of at least 32 bytes (make one with: openssl rand -base64 32)',
    ],
  ];
  for (const [env, message] of cases) {
    assert.throws(
      () => loadConfig(env, '/'),
      (error: unknown) => error instanceof GazetteError && error.message === message,
    );
  }
});

test('GAZETTE_SECRET_KEY: base64 of 32 bytes or more, kept as bytes', () => {
  const key = Buffer.alloc(32, 3);
  assert.deepEqual(loadConfig({ GAZETTE_SECRET_KEY: key.toString('base64') }, '/').secretKey, key);
  assert.equal(loadConfig({ GAZETTE_ADMIN_MFA: 'optional', GAZETTE_DEMO: 'off' }, '/').adminMfa, 'optional');
  assert.equal(loadConfig({ GAZETTE_DEMO: 'off' }, '/').demo, false);
});

test('language follows GAZETTE_LANG, then the locale', () => {
  assert.equal(loadConfig({ LANG: 'zh_CN.UTF-8' }, '/').lang, 'zh');
  assert.equal(loadConfig({ LANG: 'zh_CN.UTF-8', GAZETTE_LANG: 'en' }, '/').lang, 'en');
});

test('GAZETTE_PURGE_URL must be an http(s) URL', () => {
  assert.equal(
    loadConfig({ GAZETTE_PURGE_URL: 'https://cdn.example.gov.cn/purge' }, '/srv').purgeUrl,
    'https://cdn.example.gov.cn/purge',
  );
  assert.throws(
    () => loadConfig({ GAZETTE_PURGE_URL: 'ftp://x' }, '/srv'),
    /Invalid setting GAZETTE_PURGE_URL: "ftp:\/\/x" is not an http\(s\) URL/,
  );
});

test('GAZETTE_CLAMD names a clamd by tcp://host:port or the absolute path of its unix socket', () => {
  const clamd = (value: string) => loadConfig({ GAZETTE_CLAMD: value }, '/srv').clamd;
  assert.deepEqual(clamd('tcp://127.0.0.1:3310'), { host: '127.0.0.1', port: 3310 });
  assert.deepEqual(clamd('tcp://clamav.internal:3310'), { host: 'clamav.internal', port: 3310 });
  assert.deepEqual(clamd('tcp://[::1]:3310'), { host: '::1', port: 3310 });
  assert.deepEqual(clamd('/run/clamav/clamd.ctl'), { path: '/run/clamav/clamd.ctl' });
  assert.equal(clamd(''), null);
  for (const value of [
    'tcp://clamav',
    'tcp://clamav:0',
    'tcp://clamav:70000',
    'http://clamav:3310',
    'clamd.ctl',
    'tcp://u@x:1',
  ]) {
    assert.throws(
      () => clamd(value),
      (error: unknown) =>
        error instanceof GazetteError &&
        error.message ===
          `Invalid setting GAZETTE_CLAMD: "${value}" is neither tcp://host:port nor the absolute path of a unix socket`,
      value,
    );
  }
});

test('regression: an empty GAZETTE_DATA put the store in the current folder', () => {
  assert.equal(loadConfig({ GAZETTE_DATA: '' }, '/srv/gazette').dataDir, '/srv/gazette/data');
});

test('DATABASE_READ_URL names a read replica of the PostgreSQL primary', () => {
  const config = loadConfig(
    { DATABASE_URL: 'postgres://primary/gazette', DATABASE_READ_URL: 'postgres://replica/gazette' },
    '/srv',
  );
  assert.deepEqual(
    [config.databaseUrl, config.readDatabaseUrl],
    ['postgres://primary/gazette', 'postgres://replica/gazette'],
  );
});

test('GAZETTE_TRUST_PROXY names the proxies believed: addresses, CIDR ranges, keywords; never everyone', () => {
  assert.equal(loadConfig({}, '/srv').trustProxy, null);
  assert.equal(
    loadConfig({ GAZETTE_TRUST_PROXY: ' 127.0.0.1, 10.0.0.0/8 ,::1,loopback' }, '/srv').trustProxy,
    '127.0.0.1,10.0.0.0/8,::1,loopback',
  );
  for (const [value, entry] of [
    ['true', 'true'],
    ['10.0.0.0/33', '10.0.0.0/33'],
    ['127.0.0.1,proxy.example', 'proxy.example'],
    ['*', '*'],
  ] as const)
    assert.throws(
      () => loadConfig({ GAZETTE_TRUST_PROXY: value }, '/srv'),
      new RegExp(
        `Invalid setting GAZETTE_TRUST_PROXY: "${entry.replace(/[.*/]/g, '\\$&')}" is not an address, a CIDR range or one of loopback, linklocal, uniquelocal`,
      ),
    );
});

test('GAZETTE_SMTP_URL and GAZETTE_MAIL_FROM: where the letter alerts are mailed from; the password is never shown', () => {
  const mail = loadConfig(
    {
      GAZETTE_SMTP_URL: 'smtp://xinxiang%40example.gov.cn:Pa%24%24w0rd%3A1@mail.example.gov.cn:2525',
      GAZETTE_MAIL_FROM: '领导信箱 <xinxiang@example.gov.cn>',
      GAZETTE_ADMIN_URL: 'https://oa.example.gov.cn/admin',
    },
    '/srv',
  ).mail;
  assert.ok(mail);
  assert.deepEqual(
    [mail.url, mail.host, mail.port, mail.secure, mail.user, mail.password(), mail.from, mail.adminUrl],
    [
      'smtp://xinxiang%40example.gov.cn:***@mail.example.gov.cn:2525',
      'mail.example.gov.cn',
      2525,
      false,
      'xinxiang@example.gov.cn',
      'Pa$$w0rd:1',
      '领导信箱 <xinxiang@example.gov.cn>',
      'https://oa.example.gov.cn/admin/',
    ],
  );
  for (const shown of [JSON.stringify(mail), inspect(mail, { depth: 5 })])
    assert.ok(!shown.includes('Pa$$w0rd'), shown);
  // smtps:// is TLS from the start, on 465 unless told; a user that is an address is the sender.
  const secure = loadConfig({ GAZETTE_SMTP_URL: 'smtps://alerts@example.gov.cn:pw@mail.example.gov.cn' }, '/').mail;
  assert.deepEqual(
    [secure?.secure, secure?.port, secure?.from, secure?.adminUrl],
    [true, 465, 'alerts@example.gov.cn', null],
  );
  assert.equal(loadConfig({ GAZETTE_MAIL_FROM: 'x@example.gov.cn' }, '/').mail, null);

  const cases: [Record<string, string>, string][] = [
    [
      { GAZETTE_SMTP_URL: 'http://u:secret@mail.example.gov.cn' },
      'Invalid setting GAZETTE_SMTP_URL: not an smtp:// or smtps:// URL (e.g. smtp://user:password@mail.example.gov.cn:587)',
    ],
    [
      { GAZETTE_SMTP_URL: 'smtp://u:secret@mail.example.gov.cn:25/?pool=true', GAZETTE_MAIL_FROM: 'a@example.gov.cn' },
      'Invalid setting GAZETTE_SMTP_URL: smtp://u:***@mail.example.gov.cn:25…: give only the user, password, server and port (no path or options)',
    ],
    [
      { GAZETTE_SMTP_URL: 'smtp://u:secret@mail.example.gov.cn:99999' },
      'Invalid setting GAZETTE_SMTP_URL: not an smtp:// or smtps:// URL (e.g. smtp://user:password@mail.example.gov.cn:587)',
    ],
    [
      { GAZETTE_SMTP_URL: 'smtp://u:secret@mail.example.gov.cn' },
      'Invalid setting GAZETTE_MAIL_FROM: the sender of the alert mail is needed with GAZETTE_SMTP_URL (e.g. 领导信箱 <xinxiang@example.gov.cn>)',
    ],
    [
      { GAZETTE_SMTP_URL: 'smtp://u:secret@mail.example.gov.cn', GAZETTE_MAIL_FROM: 'a, b@example.gov.cn' },
      'Invalid setting GAZETTE_MAIL_FROM: "a, b@example.gov.cn" is not an address or "Name <address>" (e.g. 领导信箱 <xinxiang@example.gov.cn>)',
    ],
    [
      {
        GAZETTE_SMTP_URL: 'smtp://mail.example.gov.cn',
        GAZETTE_MAIL_FROM: 'a@example.gov.cn',
        GAZETTE_ADMIN_URL: 'oa/admin',
      },
      'Invalid setting GAZETTE_ADMIN_URL: "oa/admin" is not an http(s) URL (e.g. https://oa.example.gov.cn/admin/)',
    ],
  ];
  for (const [env, message] of cases)
    assert.throws(
      () => loadConfig(env, '/'),
      (error: unknown) => error instanceof GazetteError && error.message === message && !message.includes('secret'),
      message,
    );
});
