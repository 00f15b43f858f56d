import { GazetteError, allows, type Action, type ChannelTree, type RoleGrant } from '../domain/index.js';

/** Who is asking: a signed-in user, or Gazette itself (scheduler, importer, CLI). */
export interface Actor {
  readonly userId: number | null;
  readonly userName: string;
  readonly grants: readonly RoleGrant[];
  readonly ip: string | null;
}

/** Gazette acting on its own (the importer, a scheduled publish decided earlier by a publisher). */
export function systemActor(name: string): Actor {
  return {
    userId: null,
    userName: name,
    grants: [
      { role: 'publisher', channelId: null },
      { role: 'admin', channelId: null },
    ],
    ip: null,
  };
}

/** Throws PERMISSION_DENIED unless the actor may do this (on this channel, when one is given). */
export function requirePermission(actor: Actor, action: Action, channelId: number | null, tree: ChannelTree): void {
  if (!allows(actor.grants, action, channelId, tree)) throw new GazetteError('PERMISSION_DENIED', { action });
}

/** For actions not about one channel: the actor must hold it somewhere. */
export function requireAnywhere(actor: Actor, action: Action, tree: ChannelTree): void {
  if (!allows(actor.grants, action, null, tree, true)) throw new GazetteError('PERMISSION_DENIED', { action });
}
