import type { ChannelTree } from './channel.js';

/**
 * Back-office roles. Content work is split between 撰稿 (editor), 审核 (reviewer) and 签发
 * (publisher); the system is run under 三员分立: the site administrator (admin) runs columns and
 * settings, the security administrator (security) runs accounts and roles, the audit
 * administrator (auditor) reads the audit log — and none of them can do another's job. Above
 * the sites, the platform administrator (平台管理员) creates, archives and removes the sites of a
 * 集约化 platform and does no work inside any of them.
 */
export type Role =
  'editor' | 'reviewer' | 'publisher' | 'admin' | 'security' | 'auditor' | 'platform' | 'office' | 'handler';
export const ROLES: readonly Role[] = [
  'editor',
  'reviewer',
  'publisher',
  'admin',
  'security',
  'auditor',
  'platform',
  'office',
  'handler',
];

export const ROLE_NAMES: Readonly<Record<Role, { zh: string; en: string }>> = {
  editor: { zh: '撰稿', en: 'Editor' },
  reviewer: { zh: '审核', en: 'Reviewer' },
  publisher: { zh: '签发', en: 'Publisher' },
  admin: { zh: '系统管理员', en: 'Site administrator' },
  security: { zh: '安全管理员', en: 'Security administrator' },
  auditor: { zh: '审计管理员', en: 'Audit administrator' },
  platform: { zh: '平台管理员', en: 'Platform administrator' },
  office: { zh: '互动受理', en: 'Letters office' },
  handler: { zh: '承办', en: 'Unit handler' },
};

/** Everything a signed-in user can be allowed to do. */
export type Action =
  | 'article.read'
  | 'article.create'
  | 'article.edit'
  | 'article.delete'
  | 'article.submit'
  | 'article.approve'
  | 'article.publish'
  | 'article.withdraw'
  | 'article.backdate'
  | 'channel.read'
  | 'channel.manage'
  | 'media.read'
  | 'media.upload'
  | 'user.manage'
  | 'audit.read'
  | 'site.manage'
  | 'wording.read'
  | 'wording.manage'
  | 'wording.override'
  | 'health.read'
  | 'platform.manage'
  | 'case.read'
  | 'case.screen'
  | 'case.handle'
  | 'case.review'
  | 'case.publish'
  | 'case.personal'
  | 'case.manage'
  | 'consultation.manage'
  | 'survey.manage'
  /** Override the default theme's templates for the site (模板编辑): audited, every change a revision. */
  | 'theme.edit';

const WRITER: readonly Action[] = [
  'article.read',
  'article.create',
  'article.edit',
  'article.delete',
  'article.submit',
  'channel.read',
  'media.read',
  'media.upload',
  'wording.read',
  'health.read',
];

/** The one table of who may do what. Scoped actions (article.*) hold within the grant's channel subtree. */
export const ROLE_ACTIONS: Readonly<Record<Role, readonly Action[]>> = {
  editor: WRITER,
  reviewer: [...WRITER, 'article.approve'],
  publisher: [...WRITER, 'article.approve', 'article.publish', 'article.withdraw', 'article.backdate'],
  // The site administrator runs columns, site settings (哀悼日置灰) and the wording dictionary.
  admin: [
    'article.read',
    'channel.read',
    'channel.manage',
    'media.read',
    'media.upload',
    'site.manage',
    'wording.read',
    'wording.manage',
    'health.read',
    // The letter desk's settings, its units and their members, and its statistics.
    'case.read',
    'case.manage',
    // The site's own versions of the theme's templates (模板编辑).
    'theme.edit',
  ],
  // A serious wording finding is let through only by the security administrator, audited.
  security: ['channel.read', 'user.manage', 'wording.read', 'wording.override'],
  auditor: ['channel.read', 'audit.read'],
  // Sites themselves: add, change, archive, remove; nothing inside a site.
  platform: ['channel.read', 'platform.manage'],
  // 互动受理: screens letters from the public, routes them to units, gives the last review, publishes.
  // It also runs 意见征集 (drafts put out for comment, their comments and 反馈) and 网上调查.
  office: [
    'channel.read',
    'case.read',
    'case.screen',
    'case.review',
    'case.publish',
    'case.personal',
    'consultation.manage',
    'survey.manage',
  ],
  // 承办: answers the letters routed to the units the account belongs to (a unit's leader also
  // gives the first review); which letters is decided by unit membership, not by this table.
  handler: ['channel.read', 'case.read', 'case.handle', 'case.review', 'case.personal'],
};

export interface RoleGrant {
  readonly role: Role;
  /** The channel subtree the grant covers; null for the whole site. */
  readonly channelId: number | null;
}

/**
 * Roles held on the platform rather than on one site: under 三员分立 the security administrator
 * runs the accounts of every site and the auditor reads every site's log; the platform
 * administrator runs the sites themselves.
 */
export const PLATFORM_ROLES: readonly Role[] = ['security', 'auditor', 'platform'];

export function isPlatformRole(role: Role): boolean {
  return PLATFORM_ROLES.includes(role);
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export const ACTIONS: readonly Action[] = [
  'article.read',
  'article.create',
  'article.edit',
  'article.delete',
  'article.submit',
  'article.approve',
  'article.publish',
  'article.withdraw',
  'article.backdate',
  'channel.read',
  'channel.manage',
  'media.read',
  'media.upload',
  'user.manage',
  'audit.read',
  'site.manage',
  'wording.read',
  'wording.manage',
  'wording.override',
  'health.read',
  'platform.manage',
  'case.read',
  'case.screen',
  'case.handle',
  'case.review',
  'case.publish',
  'case.personal',
  'case.manage',
  'consultation.manage',
  'survey.manage',
  'theme.edit',
];

export function isAction(value: string): value is Action {
  return (ACTIONS as readonly string[]).includes(value);
}

/** Actions a user holds anywhere on the site (what the back office shows them). */
export function actionsOf(grants: readonly RoleGrant[]): Action[] {
  const held = new Set<Action>();
  for (const grant of grants) for (const action of ROLE_ACTIONS[grant.role]) held.add(action);
  return [...held].sort();
}

/**
 * Whether the grants allow an action on a channel (null: the action is not about one channel, so
 * a site-wide grant is needed unless `anywhere` is set — listing, for instance, is filtered later).
 */
export function allows(
  grants: readonly RoleGrant[],
  action: Action,
  channelId: number | null,
  tree: ChannelTree,
  anywhere = false,
): boolean {
  return grants.some((grant) => {
    if (!ROLE_ACTIONS[grant.role].includes(action)) return false;
    if (grant.channelId === null || anywhere) return true;
    if (channelId === null) return false;
    return tree.ancestry(channelId).some((c) => c.id === grant.channelId);
  });
}

/** Channels on which the grants allow an action: null means every channel. */
export function channelsAllowing(grants: readonly RoleGrant[], action: Action, tree: ChannelTree): Set<number> | null {
  const ids = new Set<number>();
  for (const grant of grants) {
    if (!ROLE_ACTIONS[grant.role].includes(action)) continue;
    if (grant.channelId === null) return null;
    for (const id of tree.subtreeIds(grant.channelId)) ids.add(id);
  }
  return ids;
}

/** Whether any grant carries the action, whatever its channel scope (the route-level check). */
export function holdsAnywhere(grants: readonly RoleGrant[], action: Action): boolean {
  return grants.some((grant) => ROLE_ACTIONS[grant.role].includes(action));
}

/**
 * The roles that run the installation (ASVS 4.3.1): an account holding one of them must turn on
 * its second factor before it may use the back office, unless the operator has said that the
 * network in front already asks for one (GAZETTE_ADMIN_MFA=optional).
 */
export const SECOND_FACTOR_ROLES: readonly Role[] = ['admin', 'security', 'platform'];

export function needsSecondFactor(grants: readonly RoleGrant[]): boolean {
  return grants.some((grant) => SECOND_FACTOR_ROLES.includes(grant.role));
}
