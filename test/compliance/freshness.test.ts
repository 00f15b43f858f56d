import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChannelTree, type Channel, type ChannelType, type UpdateRule } from '../../src/domain/index.js';
import { DAY_MS, evaluateColumns, evaluateHome, type ChannelStat } from '../../src/compliance/index.js';

const NOW = new Date('2025-12-01T01:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

function channel(
  id: number,
  slug: string,
  rule: UpdateRule,
  parentId: number | null = null,
  type: ChannelType = 'list',
): Channel {
  return {
    id,
    siteId: 1,
    parentId,
    name: slug,
    slug,
    type,
    sortOrder: id,
    description: '',
    keywords: '',
    linkUrl: null,
    bodyHtml: null,
    reviewLevels: 1,
    updateRule: rule,
  };
}

function states(channels: Channel[], stats: Record<number, ChannelStat>): [string, string, number | null][] {
  return evaluateColumns(
    new ChannelTree(channels),
    new Map(Object.entries(stats).map(([id, s]) => [Number(id), s])),
    NOW,
  ).map((c) => [c.name, c.state, c.ageDays]);
}

test('dynamic columns: ok under 10 days, warning from 10 days, stale past 14 days, long stale past a year', () => {
  const channels = [1, 2, 3, 4, 5, 6].map((id) => channel(id, `d${id}`, 'dynamic'));
  const at = (ms: number): ChannelStat => ({ published: 1, newest: ago(ms) });
  assert.deepEqual(
    states(channels, {
      1: at(10 * DAY_MS - 1),
      2: at(10 * DAY_MS),
      3: at(14 * DAY_MS),
      4: at(14 * DAY_MS + 1),
      5: at(365 * DAY_MS),
      6: at(365 * DAY_MS + 1),
    }),
    [
      ['d1', 'ok', 9],
      ['d2', 'warning', 10],
      ['d3', 'warning', 14],
      ['d4', 'stale', 14],
      ['d5', 'stale', 365],
      ['d6', 'long-stale', 365],
    ],
  );
});

test('notice and policy columns: warning from 150 days, stale past 183; none is exempt however old', () => {
  const channels = [
    channel(1, 'n', 'notice'),
    channel(2, 'p', 'policy'),
    channel(3, 'p2', 'policy'),
    channel(4, 'x', 'none'),
  ];
  assert.deepEqual(
    states(channels, {
      1: { published: 2, newest: ago(150 * DAY_MS) },
      2: { published: 1, newest: ago(183 * DAY_MS + 1) },
      3: { published: 1, newest: ago(149 * DAY_MS) },
      4: { published: 1, newest: ago(900 * DAY_MS) },
    }),
    [
      ['n', 'warning', 150],
      ['p', 'stale', 183],
      ['p2', 'ok', 149],
      ['x', 'exempt', 900],
    ],
  );
});

test('empty means nothing published in the column or below it; pages and links are not columns to update', () => {
  const channels = [
    channel(1, 'parent', 'none'),
    channel(2, 'child', 'dynamic', 1),
    channel(3, 'empty', 'dynamic'),
    channel(4, 'ruled-parent', 'dynamic'),
    channel(5, 'busy-child', 'dynamic', 4),
    channel(6, 'about', 'dynamic', null, 'page'),
    channel(7, 'elsewhere', 'none', null, 'link'),
  ];
  assert.deepEqual(
    states(channels, { 2: { published: 3, newest: ago(DAY_MS) }, 5: { published: 1, newest: ago(DAY_MS) } }),
    [
      ['parent', 'exempt', null],
      ['child', 'ok', 1],
      ['empty', 'empty', null],
      // A parent with a rule counts its own articles only: its sub-column's news does not make it fresh.
      ['ruled-parent', 'long-stale', null],
      ['busy-child', 'ok', 1],
    ],
  );
});

test("the home page: the site's newest article against 14 days, stale when there is none", () => {
  assert.deepEqual(evaluateHome(ago(3 * DAY_MS), NOW), {
    lastUpdate: ago(3 * DAY_MS),
    ageDays: 3,
    limitDays: 14,
    state: 'ok',
  });
  assert.equal(evaluateHome(ago(11 * DAY_MS), NOW).state, 'warning');
  assert.equal(evaluateHome(ago(15 * DAY_MS), NOW).state, 'stale');
  assert.deepEqual(evaluateHome(null, NOW), { lastUpdate: null, ageDays: null, limitDays: 14, state: 'stale' });
});
