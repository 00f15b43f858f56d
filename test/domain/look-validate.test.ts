import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ChannelTree,
  GazetteError,
  defaultLook,
  isLookLink,
  isMediaUrl,
  validateLook,
  type Channel,
  type SiteLook,
} from '../../src/domain/index.js';

function channel(id: number, parentId: number | null, name: string, type: Channel['type'] = 'list'): Channel {
  return {
    id,
    siteId: 1,
    parentId,
    name,
    slug: `c${id}`,
    type,
    sortOrder: id,
    description: '',
    keywords: '',
    linkUrl: type === 'link' ? 'https://www.gov.cn/' : null,
    bodyHtml: null,
    reviewLevels: 1,
  };
}

const tree = new ChannelTree([
  channel(1, null, '本区动态'),
  channel(2, null, '通知公告'),
  channel(3, null, '政务公开'),
  channel(4, 3, '部门动态'),
  channel(5, null, '中国政府网', 'link'),
]);

/** A look with one block of every kind, as the back office sends it. */
function fullLook(): SiteLook {
  return {
    mainColour: '#B5121B',
    accentColour: '#8a0e15',
    logo: { url: '/media/img/abc/original.png', alt: '示范区人民政府' },
    banner: null,
    favicon: '/media/img/def/original.ico',
    blocks: [
      { kind: 'headline', id: 'headline', title: '', channelIds: [], showSummary: true },
      { kind: 'pictures', id: 'pictures', title: '图片新闻', channelIds: [1], count: 5, moreUrl: '/bqdt/' },
      {
        kind: 'tabs',
        id: 'news',
        title: '新闻动态',
        tabs: [
          { channelId: 1, title: '要闻' },
          { channelId: 2, title: '' },
        ],
        count: 8,
        showDates: true,
        pictures: false,
      },
      { kind: 'disclosure', id: 'zwgk', title: '政务公开', channelId: 3, count: 3 },
      {
        kind: 'services',
        id: 'services',
        title: '办事服务',
        entries: [{ title: '办事指南', url: 'https://zwfw.example.gov.cn/', icon: 'guide' }],
        moreUrl: '',
      },
      { kind: 'interaction', id: 'interaction', title: '互动交流', count: 0 },
      { kind: 'topics', id: 'topics', title: '专题专栏', count: 3, moreUrl: '' },
      {
        kind: 'links',
        id: 'links',
        title: '友情链接',
        groups: [{ title: '政府网站', links: [{ title: '中国政府网', url: 'https://www.gov.cn/' }] }],
      },
    ],
  };
}

/** The look with one change made to a copy of it. */
function changed(change: (look: Record<string, unknown> & { blocks: Record<string, unknown>[] }) => void): unknown {
  const look = structuredClone(fullLook()) as unknown as Record<string, unknown> & {
    blocks: Record<string, unknown>[];
  };
  change(look);
  return look;
}

function refusal(input: unknown): { code: string; params: unknown; zh: string; en: string } {
  try {
    validateLook(input, tree);
  } catch (error) {
    assert.ok(error instanceof GazetteError, String(error));
    return { code: error.code, params: error.params, zh: error.messageIn('zh'), en: error.messageIn('en') };
  }
  assert.fail('the look was taken');
}

describe('validateLook', () => {
  test('a look with every kind of block comes back whole, colours lowercased, texts trimmed', () => {
    const look = fullLook();
    const withSpaces = changed((l) => {
      l.blocks[1]!.title = '  图片新闻 ';
    });
    assert.deepEqual(validateLook(withSpaces, tree), { ...look, mainColour: '#b5121b' });
  });

  test('the default look of the site’s columns passes', () => {
    const look = defaultLook(tree);
    assert.deepEqual(validateLook(JSON.parse(JSON.stringify(look)), tree), look);
  });

  const cases: [string, unknown, { code: string; field: string; zh: string; en: string }][] = [
    [
      'not an object',
      [],
      {
        code: 'LOOK_INVALID',
        field: 'look',
        zh: '站点外观的 look 有误：须为对象',
        en: 'Site look: look is invalid: must be an object',
      },
    ],
    [
      'an unknown field',
      changed((l) => {
        l.fontSize = 16;
      }),
      {
        code: 'LOOK_INVALID',
        field: 'fontSize',
        zh: '站点外观的 fontSize 有误：未知字段',
        en: 'Site look: fontSize is invalid: is not a field of it',
      },
    ],
    [
      'a bad colour',
      changed((l) => {
        l.mainColour = 'red';
      }),
      {
        code: 'LOOK_INVALID',
        field: 'mainColour',
        zh: '站点外观的 mainColour 有误：须为 #rrggbb 形式的颜色（如 #b5121b）',
        en: 'Site look: mainColour is invalid: must be a colour written #rrggbb (such as #b5121b)',
      },
    ],
    [
      'a short colour',
      changed((l) => {
        l.accentColour = '#fff';
      }),
      {
        code: 'LOOK_INVALID',
        field: 'accentColour',
        zh: '站点外观的 accentColour 有误：须为 #rrggbb 形式的颜色（如 #b5121b）',
        en: 'Site look: accentColour is invalid: must be a colour written #rrggbb (such as #b5121b)',
      },
    ],
    [
      'a missing field',
      changed((l) => {
        delete l.banner;
      }),
      {
        code: 'LOOK_INVALID',
        field: 'banner',
        zh: '站点外观的 banner 有误：缺少此项',
        en: 'Site look: banner is invalid: is missing',
      },
    ],
    [
      'a logo from elsewhere',
      changed((l) => {
        l.logo = { url: 'https://evil.example/logo.png', alt: '标志' };
      }),
      {
        code: 'LOOK_INVALID',
        field: 'logo.url',
        zh: '站点外观的 logo.url 有误：须为媒体库中的文件地址（/media/…）',
        en: 'Site look: logo.url is invalid: must be a file of the media library (/media/…)',
      },
    ],
    [
      'a media path stepping out',
      changed((l) => {
        l.favicon = '/media/../secret.key';
      }),
      {
        code: 'LOOK_INVALID',
        field: 'favicon',
        zh: '站点外观的 favicon 有误：须为媒体库中的文件地址（/media/…）',
        en: 'Site look: favicon is invalid: must be a file of the media library (/media/…)',
      },
    ],
    [
      'a logo without alt text',
      changed((l) => {
        l.logo = { url: '/media/img/abc/original.png', alt: ' ' };
      }),
      {
        code: 'LOOK_INVALID',
        field: 'logo.alt',
        zh: '站点外观的 logo.alt 有误：不能为空',
        en: 'Site look: logo.alt is invalid: must not be empty',
      },
    ],
    [
      'too many blocks',
      changed((l) => {
        l.blocks = Array.from({ length: 21 }, (_, i) => ({
          kind: 'interaction',
          id: `b${i}`,
          title: '互动',
          count: 1,
        }));
      }),
      {
        code: 'LOOK_INVALID',
        field: 'blocks',
        zh: '站点外观的 blocks 有误：须为列表，最多 20 项',
        en: 'Site look: blocks is invalid: must be a list of at most 20 items',
      },
    ],
    [
      'an unknown kind of block',
      changed((l) => {
        l.blocks[3]!.kind = 'weather';
      }),
      {
        code: 'LOOK_INVALID',
        field: 'blocks[3].kind',
        zh: '站点外观的 blocks[3].kind 有误：须为以下之一：headline, pictures, tabs, disclosure, services, interaction, topics, links',
        en: 'Site look: blocks[3].kind is invalid: must be one of headline, pictures, tabs, disclosure, services, interaction, topics, links',
      },
    ],
    [
      'a count out of range',
      changed((l) => {
        l.blocks[2]!.count = 21;
      }),
      {
        code: 'LOOK_INVALID',
        field: 'blocks[2].count',
        zh: '站点外观的 blocks[2].count 有误：须为 1 到 20 之间的整数',
        en: 'Site look: blocks[2].count is invalid: must be a whole number from 1 to 20',
      },
    ],
    [
      'a count that is not whole',
      changed((l) => {
        l.blocks[1]!.count = 2.5;
      }),
      {
        code: 'LOOK_INVALID',
        field: 'blocks[1].count',
        zh: '站点外观的 blocks[1].count 有误：须为 1 到 10 之间的整数',
        en: 'Site look: blocks[1].count is invalid: must be a whole number from 1 to 10',
      },
    ],
    [
      'a field of another kind of block',
      changed((l) => {
        l.blocks[5]!.moreUrl = '/hdjl/';
      }),
      {
        code: 'LOOK_INVALID',
        field: 'blocks[5].moreUrl',
        zh: '站点外观的 blocks[5].moreUrl 有误：未知字段',
        en: 'Site look: blocks[5].moreUrl is invalid: is not a field of it',
      },
    ],
    [
      'an unknown column in a tab',
      changed((l) => {
        (l.blocks[2]!.tabs as { channelId: number }[])[1]!.channelId = 99;
      }),
      {
        code: 'LOOK_CHANNEL_UNKNOWN',
        field: 'blocks[2].tabs[1].channelId',
        zh: '站点外观的 blocks[2].tabs[1].channelId：本站没有栏目 99',
        en: 'Site look: blocks[2].tabs[1].channelId names column 99, which this site does not have',
      },
    ],
    [
      'an unknown column in a list',
      changed((l) => {
        l.blocks[0]!.channelIds = [1, 42];
      }),
      {
        code: 'LOOK_CHANNEL_UNKNOWN',
        field: 'blocks[0].channelIds[1]',
        zh: '站点外观的 blocks[0].channelIds[1]：本站没有栏目 42',
        en: 'Site look: blocks[0].channelIds[1] names column 42, which this site does not have',
      },
    ],
    [
      'a link column',
      changed((l) => {
        l.blocks[3]!.channelId = 5;
      }),
      {
        code: 'LOOK_INVALID',
        field: 'blocks[3].channelId',
        zh: '站点外观的 blocks[3].channelId 有误：栏目“中国政府网”是外链栏目，没有文章',
        en: 'Site look: blocks[3].channelId is invalid: column “中国政府网” is a link and holds no articles',
      },
    ],
    [
      'a column listed twice',
      changed((l) => {
        l.blocks[1]!.channelIds = [1, 2, 1];
      }),
      {
        code: 'LOOK_INVALID',
        field: 'blocks[1].channelIds[2]',
        zh: '站点外观的 blocks[1].channelIds[2] 有误：栏目重复',
        en: 'Site look: blocks[1].channelIds[2] is invalid: names a column already listed',
      },
    ],
    [
      'a duplicate block id',
      changed((l) => {
        l.blocks[6]!.id = 'news';
      }),
      {
        code: 'LOOK_INVALID',
        field: 'blocks[6].id',
        zh: '站点外观的 blocks[6].id 有误：与 blocks[2].id 重复',
        en: 'Site look: blocks[6].id is invalid: repeats blocks[2].id',
      },
    ],
    [
      'a block id that is no HTML id',
      changed((l) => {
        l.blocks[4]!.id = '办事';
      }),
      {
        code: 'LOOK_INVALID',
        field: 'blocks[4].id',
        zh: '站点外观的 blocks[4].id 有误：须以小写字母开头，只含小写字母、数字和连字符',
        en: 'Site look: blocks[4].id is invalid: must start with a lowercase letter and hold only lowercase letters, digits and hyphens',
      },
    ],
    [
      'a block without a title',
      changed((l) => {
        l.blocks[6]!.title = '';
      }),
      {
        code: 'LOOK_INVALID',
        field: 'blocks[6].title',
        zh: '站点外观的 blocks[6].title 有误：不能为空',
        en: 'Site look: blocks[6].title is invalid: must not be empty',
      },
    ],
    [
      'a title too long',
      changed((l) => {
        l.blocks[1]!.title = '图'.repeat(41);
      }),
      {
        code: 'LOOK_INVALID',
        field: 'blocks[1].title',
        zh: '站点外观的 blocks[1].title 有误：最多 40 个字',
        en: 'Site look: blocks[1].title is invalid: must be at most 40 characters',
      },
    ],
    [
      'a javascript: link',
      changed((l) => {
        (l.blocks[7]!.groups as { links: { url: string }[] }[])[0]!.links[0]!.url = 'javascript:alert(1)';
      }),
      {
        code: 'LOOK_INVALID',
        field: 'blocks[7].groups[0].links[0].url',
        zh: '站点外观的 blocks[7].groups[0].links[0].url 有误：须为本站路径（以 / 开头）或 http(s) 网址',
        en: 'Site look: blocks[7].groups[0].links[0].url is invalid: must be a path on the site (starting with /) or an http(s) URL',
      },
    ],
    [
      'a 更多 link to another host without a scheme',
      changed((l) => {
        l.blocks[1]!.moreUrl = '//evil.example/';
      }),
      {
        code: 'LOOK_INVALID',
        field: 'blocks[1].moreUrl',
        zh: '站点外观的 blocks[1].moreUrl 有误：须为本站路径（以 / 开头）或 http(s) 网址，或留空',
        en: 'Site look: blocks[1].moreUrl is invalid: must be a path on the site (starting with /) or an http(s) URL, or empty',
      },
    ],
    [
      'an unknown icon',
      changed((l) => {
        (l.blocks[4]!.entries as { icon: string }[])[0]!.icon = 'rocket';
      }),
      {
        code: 'LOOK_INVALID',
        field: 'blocks[4].entries[0].icon',
        zh: '站点外观的 blocks[4].entries[0].icon 有误：须为以下之一：guide, permit, enterprise, social, health, education, housing, tax, transport, employment, elderly, search',
        en: 'Site look: blocks[4].entries[0].icon is invalid: must be one of guide, permit, enterprise, social, health, education, housing, tax, transport, employment, elderly, search',
      },
    ],
    [
      'no tabs',
      changed((l) => {
        l.blocks[2]!.tabs = [];
      }),
      {
        code: 'LOOK_INVALID',
        field: 'blocks[2].tabs',
        zh: '站点外观的 blocks[2].tabs 有误：须为列表，1 到 6 项',
        en: 'Site look: blocks[2].tabs is invalid: must be a list of 1 to 6 items',
      },
    ],
    [
      'a flag that is not a boolean',
      changed((l) => {
        l.blocks[0]!.showSummary = 'yes';
      }),
      {
        code: 'LOOK_INVALID',
        field: 'blocks[0].showSummary',
        zh: '站点外观的 blocks[0].showSummary 有误：须为 true 或 false',
        en: 'Site look: blocks[0].showSummary is invalid: must be true or false',
      },
    ],
    [
      'a line break in a title',
      changed((l) => {
        l.blocks[5]!.title = '互动\n交流';
      }),
      {
        code: 'LOOK_INVALID',
        field: 'blocks[5].title',
        zh: '站点外观的 blocks[5].title 有误：不能含换行或控制字符',
        en: 'Site look: blocks[5].title is invalid: must not hold line breaks or control characters',
      },
    ],
  ];
  for (const [what, input, expected] of cases) {
    test(`refuses ${what}, naming the field`, () => {
      const { code, params, zh, en } = refusal(input);
      assert.deepEqual({ code, field: (params as { field: string }).field, zh, en }, expected);
    });
  }
});

test('links: a site path or an http(s) URL, nothing that could run or hide a host', () => {
  for (const url of ['/', '/zwgk/', '/xinxiang/xiexin?x=1#a', 'https://www.gov.cn/', 'http://example.gov.cn:8080/a'])
    assert.equal(isLookLink(url), true, url);
  for (const url of [
    '',
    'zwgk/',
    '//evil.example',
    'javascript:alert(1)',
    'ftp://x/',
    'https://user:pw@x/',
    '/a b',
    '/a"b',
  ])
    assert.equal(isLookLink(url), false, url);
});

test('media URLs: files of /media/ only', () => {
  for (const url of ['/media/img/abc/original.png', '/media/file/a%20b/x.svg'])
    assert.equal(isMediaUrl(url), true, url);
  for (const url of [
    '/media/',
    '/media/../x',
    '/media/a/./b',
    '/assets/logo.png',
    'https://x/media/a.png',
    '/media/a b',
  ])
    assert.equal(isMediaUrl(url), false, url);
});
