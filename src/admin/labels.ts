// Names for the API's codes (statuses, roles, actions, field names) in the chosen language.
import { t, type MessageKey } from './i18n';
import type { ArticleStatus, ChannelType, ChannelView, Role, RoleGrant } from './types';

export function statusLabel(status: ArticleStatus): string {
  return t(`status.${status}`);
}

export function roleLabel(role: Role): string {
  return t(`role.${role}`);
}

export function channelTypeLabel(type: ChannelType): string {
  return t(`channelType.${type}`);
}

// Revisions record create/edit/restore/import/reimport; comments record the workflow steps.
const ACTIONS = new Set([
  'create',
  'update',
  'edit',
  'submit',
  'approve',
  'reject',
  'publish',
  'withdraw',
  'restore',
  'schedule-publish',
  'schedule-withdraw',
  'comment',
  'import',
  'reimport',
]);

/** Workflow and revision actions; unknown ones are shown as the server sent them. */
export function actionLabel(action: string): string {
  return ACTIONS.has(action) ? t(`action.${action}` as MessageKey) : action;
}

const FIELDS = new Set([
  'title',
  'subtitle',
  'channelId',
  'source',
  'author',
  'responsibleEditor',
  'bodyHtml',
  'summary',
  'keywords',
  'coverImage',
  'attachments',
  'publishedAt',
  'status',
  'fields',
]);

export function fieldLabel(field: string): string {
  return FIELDS.has(field) ? t(`field.${field}` as MessageKey) : field;
}

export function grantLabel(grant: RoleGrant, channels: readonly ChannelView[]): string {
  if (grant.channelId === null) return roleLabel(grant.role);
  const channel = channels.find((c) => c.id === grant.channelId);
  return t('users.grantIn', { role: roleLabel(grant.role), channel: channel?.name ?? `#${grant.channelId}` });
}

/** Each channel's depth in the tree (roots are 0), from the parent links. */
export function channelDepths(channels: readonly ChannelView[]): Map<number, number> {
  const byId = new Map(channels.map((c) => [c.id, c]));
  const depths = new Map<number, number>();
  const depthOf = (channel: ChannelView, guard: number): number => {
    const known = depths.get(channel.id);
    if (known !== undefined) return known;
    const parent = channel.parentId === null ? undefined : byId.get(channel.parentId);
    const depth = parent && guard < 32 ? depthOf(parent, guard + 1) + 1 : 0;
    depths.set(channel.id, depth);
    return depth;
  };
  for (const channel of channels) depthOf(channel, 0);
  return depths;
}

/** Channel names indented by depth for <option>s, where nesting cannot be shown otherwise. */
export function channelOptions(
  channels: readonly ChannelView[],
): { id: number; label: string; channel: ChannelView }[] {
  const depths = channelDepths(channels);
  return channels.map((channel) => ({
    id: channel.id,
    channel,
    label: '\u3000'.repeat(depths.get(channel.id) ?? 0) + channel.name,
  }));
}
