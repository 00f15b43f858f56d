import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ACTIONS,
  ChannelTree,
  EDIT_PERMISSION,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  ROLES,
  PLATFORM_ROLES,
  ROLE_ACTIONS,
  STEP_PERMISSION,
  WORKFLOW_STEPS,
  actionsOf,
  allows,
  canStart,
  channelsAllowing,
  holdsAnywhere,
  isAction,
  isRole,
  nextState,
  passwordProblem,
  type Action,
  type ArticleStatus,
  type Channel,
  type Role,
  type RoleGrant,
  type WorkflowStep,
} from '../../src/domain/index.js';

function channel(id: number, parentId: number | null, slug: string): Channel {
  return {
    id,
    siteId: 1,
    parentId,
    name: slug,
    slug,
    type: 'list',
    sortOrder: id,
    description: '',
    keywords: '',
    linkUrl: null,
    bodyHtml: null,
    reviewLevels: 1,
  };
}

// 1 bqdt; 2 zwgk ─ 3 bmdt ─ 5 deep; 4 tzgg
const tree = new ChannelTree([
  channel(1, null, 'bqdt'),
  channel(2, null, 'zwgk'),
  channel(3, 2, 'bmdt'),
  channel(4, null, 'tzgg'),
  channel(5, 3, 'deep'),
]);

const grant = (role: Role, channelId: number | null = null): RoleGrant => ({ role, channelId });
const holders = (action: Action) => ROLES.filter((role) => ROLE_ACTIONS[role].includes(action));

test('the role table: 三员分立 and the editorial split', () => {
  assert.deepEqual([...ROLE_ACTIONS.auditor].sort(), ['audit.read', 'channel.read']);
  // The platform administrator runs the sites themselves and nothing inside one.
  assert.deepEqual([...ROLE_ACTIONS.platform].sort(), ['channel.read', 'platform.manage']);
  assert.deepEqual(holders('platform.manage'), ['platform']);
  assert.deepEqual([...ROLE_ACTIONS.security].sort(), [
    'channel.read',
    'user.manage',
    'wording.override',
    'wording.read',
  ]);
  assert.deepEqual([...ROLE_ACTIONS.admin].sort(), [
    'article.read',
    'case.manage',
    'case.read',
    'channel.manage',
    'channel.read',
    'health.read',
    'media.read',
    'media.upload',
    'site.manage',
    'theme.edit',
    'wording.manage',
    'wording.read',
  ]);
  // 模板编辑: only the site administrator overrides the theme's templates.
  assert.deepEqual(holders('theme.edit'), ['admin']);
  // 互动交流: the office screens, routes, reviews last and publishes; a unit's handler answers.
  assert.deepEqual([...ROLE_ACTIONS.office].sort(), [
    'case.personal',
    'case.publish',
    'case.read',
    'case.review',
    'case.screen',
    'channel.read',
    'consultation.manage',
    'survey.manage',
  ]);
  assert.deepEqual([...ROLE_ACTIONS.handler].sort(), [
    'case.handle',
    'case.personal',
    'case.read',
    'case.review',
    'channel.read',
  ]);
  assert.deepEqual(holders('case.screen'), ['office']);
  assert.deepEqual(holders('case.handle'), ['handler']);
  assert.deepEqual(holders('case.publish'), ['office']);
  assert.deepEqual(holders('case.manage'), ['admin']);
  // 意见征集 and 网上调查 are run by the office, which also holds the personal data they collect.
  assert.deepEqual(holders('consultation.manage'), ['office']);
  assert.deepEqual(holders('survey.manage'), ['office']);
  // The personal data of letters: only those who answer them; not the site administrator.
  assert.deepEqual(holders('case.personal'), ['office', 'handler']);
  // The one holder of each administrator power.
  assert.deepEqual(holders('audit.read'), ['auditor']);
  assert.deepEqual(holders('user.manage'), ['security']);
  assert.deepEqual(holders('channel.manage'), ['admin']);
  assert.deepEqual(holders('site.manage'), ['admin']);
  assert.deepEqual(holders('wording.manage'), ['admin']);
  // A serious wording error is let through by the security administrator alone.
  assert.deepEqual(holders('wording.override'), ['security']);
  // The security administrator does no article work at all.
  assert.deepEqual(
    ROLE_ACTIONS.security.filter((a) => a.startsWith('article.')),
    [],
  );
  assert.deepEqual(
    ROLE_ACTIONS.auditor.filter((a) => a.startsWith('article.')),
    [],
  );
  // The site administrator reads articles but writes none.
  assert.deepEqual(
    ROLE_ACTIONS.admin.filter((a) => a.startsWith('article.')),
    ['article.read'],
  );
  // Writing, approving, publishing.
  for (const action of ['article.approve', 'article.publish', 'article.withdraw', 'article.backdate'] as const) {
    assert.equal(ROLE_ACTIONS.editor.includes(action), false, `editor may not ${action}`);
  }
  assert.deepEqual(holders('article.approve'), ['reviewer', 'publisher']);
  assert.deepEqual(holders('article.publish'), ['publisher']);
  assert.deepEqual(holders('article.backdate'), ['publisher']);
  assert.deepEqual(holders('article.create'), ['editor', 'reviewer', 'publisher']);
  // Every action in a role is a known action; every known action has a holder.
  for (const role of ROLES) for (const action of ROLE_ACTIONS[role]) assert.ok(isAction(action), action);
  for (const action of ACTIONS) assert.ok(holders(action).length > 0, action);
  assert.equal(new Set(ACTIONS).size, 31);
});

test('isRole and isAction accept exactly the known names', () => {
  assert.deepEqual(ROLES, [
    'editor',
    'reviewer',
    'publisher',
    'admin',
    'security',
    'auditor',
    'platform',
    'office',
    'handler',
  ]);
  assert.deepEqual(PLATFORM_ROLES, ['security', 'auditor', 'platform']);
  for (const role of ROLES) assert.equal(isRole(role), true);
  for (const bad of ['Editor', 'root', '', 'superuser', 'editor ']) assert.equal(isRole(bad), false, bad);
  assert.equal(isAction('article.read'), true);
  assert.equal(isAction('article.*'), false);
  assert.equal(isAction('user.create'), false);
});

test('actionsOf: the union of the grants, sorted, each once', () => {
  assert.deepEqual(actionsOf([]), []);
  assert.deepEqual(actionsOf([grant('auditor')]), ['audit.read', 'channel.read']);
  assert.deepEqual(actionsOf([grant('editor', 2), grant('reviewer', 4)]), [...ROLE_ACTIONS.reviewer].sort());
  assert.deepEqual(actionsOf([grant('editor'), grant('admin')]), [
    'article.create',
    'article.delete',
    'article.edit',
    'article.read',
    'article.submit',
    'case.manage',
    'case.read',
    'channel.manage',
    'channel.read',
    'health.read',
    'media.read',
    'media.upload',
    'site.manage',
    'theme.edit',
    'wording.manage',
    'wording.read',
  ]);
});

test('a channel-scoped grant holds in its subtree only', () => {
  const editorOn2 = [grant('editor', 2)];
  assert.equal(allows(editorOn2, 'article.create', 2, tree), true);
  assert.equal(allows(editorOn2, 'article.create', 3, tree), true, 'child');
  assert.equal(allows(editorOn2, 'article.create', 5, tree), true, 'grandchild');
  assert.equal(allows(editorOn2, 'article.create', 1, tree), false, 'another top-level channel');
  assert.equal(allows(editorOn2, 'article.create', 4, tree), false);
  assert.equal(allows(editorOn2, 'article.create', 99, tree), false, 'an unknown channel');
  assert.equal(allows(editorOn2, 'article.approve', 2, tree), false, 'not an editor action');
  // Not about one channel: a scoped grant is not enough unless "anywhere" is asked.
  assert.equal(allows(editorOn2, 'article.create', null, tree), false);
  assert.equal(allows(editorOn2, 'article.create', null, tree, true), true);
  assert.equal(allows(editorOn2, 'media.upload', null, tree, true), true);
  assert.equal(allows(editorOn2, 'user.manage', null, tree, true), false);

  // A grant on a child does not reach up to its parent.
  const editorOn3 = [grant('editor', 3)];
  assert.equal(allows(editorOn3, 'article.edit', 3, tree), true);
  assert.equal(allows(editorOn3, 'article.edit', 5, tree), true);
  assert.equal(allows(editorOn3, 'article.edit', 2, tree), false);

  const siteWide = [grant('editor')];
  for (const id of [1, 2, 3, 4, 5]) assert.equal(allows(siteWide, 'article.create', id, tree), true, `channel ${id}`);
  assert.equal(allows(siteWide, 'article.create', null, tree), true);
  assert.equal(allows(siteWide, 'article.publish', 1, tree), false);

  // Several grants: each counts where it applies.
  const mixed = [grant('editor'), grant('publisher', 4)];
  assert.equal(allows(mixed, 'article.publish', 4, tree), true);
  assert.equal(allows(mixed, 'article.publish', 1, tree), false);
  assert.equal(allows(mixed, 'article.edit', 1, tree), true);
  assert.equal(allows([], 'channel.read', null, tree, true), false);
});

test('channelsAllowing: the ids a user may act on, null for all', () => {
  assert.deepEqual([...(channelsAllowing([grant('editor', 2)], 'article.create', tree) ?? [])].sort(), [2, 3, 5]);
  assert.deepEqual(
    [...(channelsAllowing([grant('editor', 2), grant('editor', 4)], 'article.create', tree) ?? [])].sort(),
    [2, 3, 4, 5],
  );
  assert.equal(channelsAllowing([grant('editor')], 'article.create', tree), null);
  assert.equal(channelsAllowing([grant('editor', 2), grant('reviewer')], 'article.create', tree), null);
  assert.deepEqual([...(channelsAllowing([grant('editor')], 'article.approve', tree) ?? [])], []);
  assert.deepEqual(
    [...(channelsAllowing([grant('editor'), grant('reviewer', 3)], 'article.approve', tree) ?? [])].sort(),
    [3, 5],
  );
  assert.deepEqual([...(channelsAllowing([grant('auditor')], 'article.read', tree) ?? [])], []);
});

test('holdsAnywhere ignores the channel scope', () => {
  assert.equal(holdsAnywhere([grant('reviewer', 5)], 'article.approve'), true);
  assert.equal(holdsAnywhere([grant('editor', 5)], 'article.approve'), false);
  assert.equal(holdsAnywhere([grant('admin')], 'audit.read'), false);
});

test('nextState with 0, 1 and 2 review levels', () => {
  const draft = { status: 'draft', reviewLevel: 0 } as const;
  // No review: submitting approves.
  assert.deepEqual(nextState('submit', draft, 0), { status: 'approved', reviewLevel: 0 });
  // One level.
  const submitted1 = nextState('submit', draft, 1);
  assert.deepEqual(submitted1, { status: 'submitted', reviewLevel: 0 });
  assert.deepEqual(nextState('approve', submitted1, 1), { status: 'approved', reviewLevel: 1 });
  // Two levels: the first approval keeps it in review.
  const submitted2 = nextState('submit', draft, 2);
  const halfway = nextState('approve', submitted2, 2);
  assert.deepEqual(halfway, { status: 'submitted', reviewLevel: 1 });
  const approved = nextState('approve', halfway, 2);
  assert.deepEqual(approved, { status: 'approved', reviewLevel: 2 });
  // Rejection at any level starts over.
  assert.deepEqual(nextState('reject', halfway, 2), { status: 'draft', reviewLevel: 0 });
  assert.deepEqual(nextState('reject', approved, 2), { status: 'draft', reviewLevel: 0 });
  // Publishing and withdrawing keep the level reached.
  const published = nextState('publish', approved, 2);
  assert.deepEqual(published, { status: 'published', reviewLevel: 2 });
  assert.deepEqual(nextState('withdraw', published, 2), { status: 'withdrawn', reviewLevel: 2 });
  // Resubmission resets the level.
  assert.deepEqual(nextState('submit', { status: 'draft', reviewLevel: 2 }, 2), {
    status: 'submitted',
    reviewLevel: 0,
  });
});

test('canStart: which step starts from which status', () => {
  const statuses: ArticleStatus[] = ['draft', 'submitted', 'approved', 'published', 'withdrawn'];
  const table = Object.fromEntries(WORKFLOW_STEPS.map((step) => [step, statuses.filter((s) => canStart(step, s))]));
  assert.deepEqual(table, {
    submit: ['draft'],
    approve: ['submitted'],
    reject: ['submitted', 'approved'],
    publish: ['approved'],
    withdraw: ['published'],
  });
  const permissions: Record<WorkflowStep, Action> = {
    submit: 'article.submit',
    approve: 'article.approve',
    reject: 'article.approve',
    publish: 'article.publish',
    withdraw: 'article.withdraw',
  };
  assert.deepEqual(STEP_PERMISSION, permissions);
  assert.deepEqual(EDIT_PERMISSION, {
    draft: 'article.edit',
    submitted: 'article.approve',
    approved: 'article.approve',
    published: 'article.publish',
    withdrawn: 'article.edit',
  });
});

test('passwordProblem: length, three character classes, no user name, not easy to guess', () => {
  assert.equal(PASSWORD_MIN_LENGTH, 10);
  assert.equal(PASSWORD_MAX_LENGTH, 128);
  const cases: [string, string, ReturnType<typeof passwordProblem>][] = [
    ['', 'zhang', 'too-short'],
    ['Ab1-xyz', 'zhang', 'too-short'],
    ['Ab1-xyzuv', 'zhang', 'too-short'], // 9
    ['Ab1-xyzuvw', 'zhang', null], // 10, four classes
    ['abcdefghij', 'zhang', 'too-simple'],
    ['abcdefgh12', 'zhang', 'too-simple'],
    ['ABCDEFGH-!', 'zhang', 'too-simple'],
    ['quartz7-lynx', 'zhang', null], // lower, digit, symbol
    ['QUARTZ7-LYNX', 'zhang', null], // upper, digit, symbol
    ['Abcdefghij1', 'zhang', null], // lower, upper, digit
    ['Zhang-2025!', 'zhang', 'contains-username'],
    ['my-ZHANG-pass1', 'zhang', 'contains-username'],
    ['my-zh-pass-2025A', 'zh', null], // names under three characters are not checked
    ['A1-' + Array.from({ length: 125 }, (_, i) => String.fromCharCode(97 + ((i * 7) % 26))).join(''), 'zhang', null], // 128
    ['A1-' + 'x'.repeat(126), 'zhang', 'too-long'], // 129
    // Length counts characters, not UTF-16 units: nine characters, fifteen units.
    ['Aa1😀😀😀😀😀😀', 'zhang', 'too-short'],
    ['Aa1😀🌊🍵🚲🎐🪁🧭', 'zhang', null],
    ['密码密码密码密码密码', 'zhang', 'too-simple'],
    ['密码Password2025', 'zhang', null],
    // Three classes and ten characters, yet among a cracker's first guesses (ASVS 2.1.7).
    ['abcdefgh1!', 'zhang', 'too-guessable'],
    ['Password123!', 'zhang', 'too-guessable'],
    ['A1-' + 'x'.repeat(125), 'zhang', 'too-guessable'],
    ['Aa1😀😀😀😀😀😀😀', 'zhang', 'too-guessable'],
    ['Woaini1314!', 'zhang', 'too-guessable'],
    ['Zhangsan@2025', 'lisi', 'too-guessable'],
  ];
  for (const [password, username, expected] of cases) {
    assert.equal(passwordProblem(password, username), expected, `${JSON.stringify(password)} / ${username}`);
  }
});
