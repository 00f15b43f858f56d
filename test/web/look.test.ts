import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import type { FastifyInstance } from 'fastify';
import { defaultLook, type SiteLook } from '../../src/domain/index.js';
import { byteSize, currentSite, type LookState } from '../../src/services/index.js';
import { PREVIEW_CSP } from '../../src/web/api/look.js';
import { demoApp } from '../helpers/app.js';
import { makeRoleAccounts, multipart, ROLE_ACCOUNTS, signIn, type ApiClient } from '../helpers/backoffice.js';
import { contextFor, testStore, type TestStore } from '../helpers/store.js';
import { pdfOfSize } from '../helpers/uploads.js';

/** A minimal icon file: the ICO header and one directory entry. */
function icoFile(): Buffer {
  const ico = Buffer.alloc(22 + 40);
  ico.writeUInt16LE(0, 0);
  ico.writeUInt16LE(1, 2);
  ico.writeUInt16LE(1, 4);
  ico.writeUInt8(16, 6);
  ico.writeUInt8(16, 7);
  ico.writeUInt32LE(40, 14);
  ico.writeUInt32LE(22, 18);
  ico.writeUInt32LE(40, 22);
  return ico;
}

const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" fill="#b5121b"/></svg>';

describe('站点外观 over HTTP', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let admin: ApiClient;
  let base: SiteLook;

  before(async () => {
    store = await testStore();
    app = await demoApp(store, { app: { loginPerMinute: 1000, writesPerMinute: 1000 } });
    await makeRoleAccounts(contextFor(store));
    admin = await signIn(app, ROLE_ACCOUNTS.admin);
    base = defaultLook((await currentSite(store.db)).tree);
  });
  after(async () => {
    await app?.close();
    await store.dispose();
  });

  const look = async () => (await admin.request('GET', '/api/v1/site/look')).json<LookState>();
  const put = (body: unknown) => admin.request('PUT', '/api/v1/site/look', body);
  const upload = (slot: string, name: string, data: Buffer, alt = '示范区人民政府') => {
    const form = multipart({ alt }, { name, data });
    return admin.request('POST', `/api/v1/site/look/images/${slot}`, form.body, { 'content-type': form.contentType });
  };
  const answer = (response: { statusCode: number; json: <T>() => T }) => [response.statusCode, response.json()];

  test('GET: the default look for the demo site’s columns, at version 0; only the site administrator reads it', async () => {
    const response = await admin.request('GET', '/api/v1/site/look');
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { look: base, version: 0, updatedAt: null, isDefault: true });
    const editor = await signIn(app, ROLE_ACCOUNTS.editor);
    assert.deepEqual(answer(await editor.request('GET', '/api/v1/site/look')), [
      403,
      { code: 'PERMISSION_DENIED', message: '没有权限：site.manage', messageEn: 'Not allowed: site.manage' },
    ]);
  });

  test('PUT refuses a bad look naming the field (400, 422), a poor colour with its ratio (422), a stale version (409)', async () => {
    const withCount = { ...base, blocks: base.blocks.map((b) => (b.kind === 'tabs' ? { ...b, count: 99 } : b)) };
    const tabsAt = base.blocks.findIndex((b) => b.kind === 'tabs');
    assert.deepEqual(answer(await put({ look: withCount, version: 0 })), [
      400,
      {
        code: 'LOOK_INVALID',
        message: `站点外观的 blocks[${tabsAt}].count 有误：须为 1 到 20 之间的整数`,
        messageEn: `Site look: blocks[${tabsAt}].count is invalid: must be a whole number from 1 to 20`,
      },
    ]);
    const unknownColumn = {
      ...base,
      blocks: base.blocks.map((b) => (b.kind === 'tabs' ? { ...b, tabs: [{ channelId: 9999, title: '' }] } : b)),
    };
    assert.deepEqual(answer(await put({ look: unknownColumn, version: 0 })), [
      422,
      {
        code: 'LOOK_CHANNEL_UNKNOWN',
        message: `站点外观的 blocks[${tabsAt}].tabs[0].channelId：本站没有栏目 9999`,
        messageEn: `Site look: blocks[${tabsAt}].tabs[0].channelId names column 9999, which this site does not have`,
      },
    ]);
    assert.deepEqual(answer(await put({ look: { ...base, mainColour: '#f5c400' }, version: 0 })), [
      422,
      {
        code: 'LOOK_CONTRAST_TOO_LOW',
        message: '主色 #f5c400 与白色文字的对比度为 1.64:1，低于 WCAG AA 要求的 4.5:1（用于页头、按钮和当前页码）',
        messageEn:
          'The main colour #f5c400 has a contrast ratio of 1.64:1 with white text, below the 4.5:1 WCAG AA requires (it is used for the masthead, buttons and the current page number)',
      },
    ]);
    const missingVersion = await put({ look: base });
    assert.equal(missingVersion.statusCode, 400);
    assert.equal(missingVersion.json<{ code: string }>().code, 'BAD_REQUEST');
    assert.match(missingVersion.json<{ message: string }>().message, /version/);
    assert.deepEqual(answer(await put({ look: base, version: 3 })), [
      409,
      {
        code: 'LOOK_VERSION_CONFLICT',
        message: '站点外观已被他人修改（您编辑的是第 3 版，当前为第 0 版），请载入最新版本后再保存',
        messageEn:
          'The site look was changed by someone else (you edited version 3, it is now 0); load the latest version and save again',
      },
    ]);
    assert.equal((await look()).isDefault, true);
  });

  test('preview: the real home page with the draft’s blocks and colours, never cached, framed only by the back office; nothing saved', async () => {
    const manifestBefore = await store.db.selectFrom('pageManifest').select(['path', 'hash']).orderBy('path').execute();
    const draft = {
      ...base,
      mainColour: '#1f4e9d',
      blocks: base.blocks.map((b) => (b.kind === 'tabs' ? { ...b, title: '草稿里的新闻' } : b)),
    };
    const response = await admin.request('POST', '/api/v1/site/look/preview', { look: draft });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(response.headers['cache-control'], 'no-store');
    assert.equal(response.headers['content-security-policy'], PREVIEW_CSP);
    assert.ok(response.body.startsWith('<!DOCTYPE html>'), response.body.slice(0, 80));
    assert.ok(response.body.includes('草稿里的新闻'), 'the draft’s block title');
    assert.ok(
      response.body.includes('<style>:root{--main:#1f4e9d;--accent:#7d0f0b}\n</style></head>'),
      'the draft’s colours',
    );
    assert.ok(response.body.includes('今天是2025年12月01日 星期一'), 'the date bar filled');
    assert.deepEqual(await look(), { look: base, version: 0, updatedAt: null, isDefault: true });
    assert.deepEqual(
      await store.db.selectFrom('pageManifest').select(['path', 'hash']).orderBy('path').execute(),
      manifestBefore,
    );
    assert.deepEqual(
      answer(await admin.request('POST', '/api/v1/site/look/preview', { look: { ...draft, favicon: 'x.ico' } })),
      [
        400,
        {
          code: 'LOOK_INVALID',
          message: '站点外观的 favicon 有误：须为媒体库中的文件地址（/media/…）',
          messageEn: 'Site look: favicon is invalid: must be a file of the media library (/media/…)',
        },
      ],
    );
  });

  test('images: too large 413, not an accepted image 415, each naming the file and what it is', async () => {
    const noise = await sharp(randomBytes(400 * 400 * 3), { raw: { width: 400, height: 400, channels: 3 } })
      .png()
      .toBuffer();
    assert.ok(noise.length > 256 * 1024);
    assert.deepEqual(answer(await upload('favicon', 'big.png', noise)), [
      413,
      {
        code: 'LOOK_IMAGE_TOO_LARGE',
        message: `文件“big.png”大小为 ${byteSize(noise.length)}，超过网站图标的上限 256 KiB`,
        messageEn: `The file “big.png” is ${byteSize(noise.length)}, over the favicon limit of 256 KiB`,
      },
    ]);
    assert.deepEqual(answer(await upload('logo', 'logo.png', pdfOfSize(2000, 'logo'))), [
      415,
      {
        code: 'LOOK_IMAGE_TYPE',
        message: '文件“logo.png”不能用作网站标志：检测到的内容为 application/pdf，只接受 PNG, JPEG, WEBP, SVG',
        messageEn:
          'The file “logo.png” cannot be the logo: its content is application/pdf; only PNG, JPEG, WEBP, SVG are accepted',
      },
    ]);
    assert.deepEqual(answer(await upload('banner', 'banner.png', Buffer.from('not a picture at all'))), [
      415,
      {
        code: 'LOOK_IMAGE_TYPE',
        message: '文件“banner.png”不能用作页头横幅：检测到的内容为无法识别的格式，只接受 PNG, JPEG, WEBP, SVG',
        messageEn:
          'The file “banner.png” cannot be the banner: its content is of no known type; only PNG, JPEG, WEBP, SVG are accepted',
      },
    ]);
    assert.deepEqual(answer(await upload('logo', 'logo.ico', icoFile())), [
      415,
      {
        code: 'LOOK_IMAGE_TYPE',
        message: '文件“logo.ico”不能用作网站标志：检测到的内容为 image/x-icon，只接受 PNG, JPEG, WEBP, SVG',
        messageEn:
          'The file “logo.ico” cannot be the logo: its content is image/x-icon; only PNG, JPEG, WEBP, SVG are accepted',
      },
    ]);
    for (const svg of [
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
      '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://tracker.example/x.png"/></svg>',
      '<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
    ])
      assert.deepEqual(
        answer(await upload('logo', 'logo.svg', Buffer.from(svg))),
        [
          415,
          {
            code: 'LOOK_IMAGE_TYPE',
            message:
              '文件“logo.svg”不能用作网站标志：检测到的内容为含脚本或外部引用的 SVG，只接受 PNG, JPEG, WEBP, SVG',
            messageEn:
              'The file “logo.svg” cannot be the logo: its content is an SVG with scripts or outside references; only PNG, JPEG, WEBP, SVG are accepted',
          },
        ],
        svg,
      );
    const unknownSlot = await upload('background', 'bg.png', noise);
    assert.equal(unknownSlot.statusCode, 400);
  });

  test('images: a PNG, an SVG and an ICO go into the media library; saving them as the look re-renders every page', async () => {
    const png = await sharp({ create: { width: 240, height: 60, channels: 3, background: '#b5121b' } })
      .png()
      .toBuffer();
    const logo = await upload('logo', '标志.jpg', png, '示范区人民政府');
    assert.equal(logo.statusCode, 201, logo.body);
    const logoImage = logo.json<{ url: string; alt: string }>();
    assert.match(logoImage.url, /^\/media\/img\/[0-9a-f]{24}\/original\.png$/);
    assert.equal(logoImage.alt, '示范区人民政府');
    const served = await app.inject(logoImage.url);
    assert.equal(served.statusCode, 200);
    assert.equal(served.headers['content-type'], 'image/png');

    const banner = await upload('banner', 'banner.svg', Buffer.from(`<?xml version="1.0"?>\n${SVG}`), '');
    assert.equal(banner.statusCode, 201, banner.body);
    const bannerImage = banner.json<{ url: string; alt: string }>();
    assert.match(bannerImage.url, /^\/media\/img\/[0-9a-f]{24}\/original\.svg$/);
    assert.equal(bannerImage.alt, '示范区人民政府', 'no alt given: the site’s name');
    const svg = await app.inject(bannerImage.url);
    assert.equal(svg.headers['content-type'], 'image/svg+xml');
    assert.equal(svg.body, `<?xml version="1.0"?>\n${SVG}`);

    const favicon = await upload('favicon', 'favicon.ico', icoFile());
    assert.equal(favicon.statusCode, 201, favicon.body);
    const faviconUrl = favicon.json<{ url: string }>().url;
    assert.match(faviconUrl, /^\/media\/img\/[0-9a-f]{24}\/original\.ico$/);

    const media = await store.db
      .selectFrom('media')
      .select(['originalName', 'mimeType', 'alt'])
      .orderBy('id')
      .execute();
    assert.deepEqual(media.slice(-3), [
      { originalName: '标志.png', mimeType: 'image/png', alt: '示范区人民政府' },
      { originalName: 'banner.svg', mimeType: 'image/svg+xml', alt: '示范区人民政府' },
      { originalName: 'favicon.ico', mimeType: 'image/x-icon', alt: '示范区人民政府' },
    ]);

    const current = await look();
    const saved = await put({
      look: { ...current.look, logo: logoImage, favicon: faviconUrl, mainColour: '#1F4E9D' },
      version: current.version,
    });
    assert.equal(saved.statusCode, 200, saved.body);
    assert.deepEqual(saved.json(), {
      look: { ...current.look, logo: logoImage, favicon: faviconUrl, mainColour: '#1f4e9d' },
      version: current.version + 1,
      updatedAt: '2025-12-01T01:00:00.000Z',
      isDefault: false,
    });
    await app.gazette.publisher.idle();
    assert.deepEqual(answer(await admin.request('GET', '/api/v1/site/look/progress')), [200, { tasks: [] }]);
    assert.equal((await app.inject('/look.css')).body, ':root{--main:#1f4e9d;--accent:#7d0f0b}\n');
    for (const url of ['/', '/bqdt/', '/sitemap.html']) {
      const page = (await app.inject(url)).body;
      assert.ok(page.includes(`<img class="site-logo" src="${logoImage.url}" alt="示范区人民政府">`), url);
      assert.ok(page.includes(`<link rel="icon" href="${faviconUrl}">`), url);
    }
  });
});
