// 栏目: the channel tree as nested lists, with create, edit-in-place and delete.
import { useState } from 'preact/hooks';
import { api } from './api';
import { ChannelForm } from './channel-form';
import { useChannels } from './hooks';
import { t } from './i18n';
import { channelTypeLabel } from './labels';
import type { ChannelView } from './types';
import { AlertText, ConfirmDelete, Loading, ScreenTitle, StatusText, focusLater, msgText, type Msg } from './ui';

interface TreeProps {
  parentId: number | null;
  channels: ChannelView[];
  editing: number | null;
  confirming: number | null;
  actions: {
    edit: (id: number | null) => void;
    confirm: (id: number | null) => void;
    remove: (channel: ChannelView) => Promise<void>;
    saved: (channel: ChannelView) => void;
  };
}

function ChannelRow({ channel, ...props }: Omit<TreeProps, 'parentId'> & { channel: ChannelView }) {
  const { actions } = props;
  if (props.editing === channel.id) {
    return (
      <div class="channel-edit">
        <ChannelForm
          channel={channel}
          channels={props.channels}
          idPrefix={`edit-${channel.id}`}
          onSaved={actions.saved}
          onCancel={() => actions.edit(null)}
        />
      </div>
    );
  }
  return (
    <div class="channel-row">
      <span class="channel-name">{channel.name}</span>
      <code>{channel.path}</code>
      <span class="meta">
        {channelTypeLabel(channel.type)} · {t('channels.levels', { n: channel.reviewLevels })}
      </span>
      <span class="row-actions">
        <button
          type="button"
          class="small"
          id={`edit-channel-${channel.id}`}
          onClick={() => actions.edit(channel.id)}
          aria-label={t('channels.editNamed', { name: channel.name })}
        >
          {t('common.edit')}
        </button>
        {props.confirming === channel.id ? (
          <ConfirmDelete
            small
            text={t('channels.confirmDelete', { name: channel.name })}
            confirmId={`confirm-delete-${channel.id}`}
            onConfirm={() => void actions.remove(channel)}
            onCancel={() => actions.confirm(null)}
          />
        ) : (
          <button
            type="button"
            class="small danger"
            id={`delete-channel-${channel.id}`}
            onClick={() => actions.confirm(channel.id)}
            aria-label={t('channels.deleteNamed', { name: channel.name })}
          >
            {t('common.delete')}
          </button>
        )}
      </span>
    </div>
  );
}

function ChannelTree(props: TreeProps) {
  const children = props.channels.filter((c) => c.parentId === props.parentId);
  if (children.length === 0) return null;
  return (
    <ul class={props.parentId === null ? 'channel-tree' : undefined}>
      {children.map((channel) => (
        <li key={channel.id}>
          <ChannelRow {...props} channel={channel} />
          <ChannelTree {...props} parentId={channel.id} />
        </li>
      ))}
    </ul>
  );
}

export function ChannelsScreen() {
  const channels = useChannels();
  const [editing, setEditing] = useState<number | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const [message, setMessage] = useState<Msg | null>(null);
  const [error, setError] = useState<unknown>(null);
  const list = channels.data ?? [];

  const actions: TreeProps['actions'] = {
    edit: (id) => {
      if (id === null && editing !== null) focusLater(`edit-channel-${editing}`);
      else if (id !== null) focusLater(`edit-${id}-name`);
      setEditing(id);
    },
    confirm: (id) => {
      setConfirming(id);
      focusLater(id === null && confirming !== null ? `delete-channel-${confirming}` : `confirm-delete-${id}`);
    },
    remove: async (channel) => {
      setError(null);
      setMessage(null);
      try {
        await api.del(`/api/v1/channels/${channel.id}`);
        setMessage({ key: 'channels.deleted', params: { name: channel.name } });
        channels.reload();
      } catch (failure) {
        setError(failure); // 409 CHANNEL_NOT_EMPTY says why in the server's words
      }
      setConfirming(null);
      focusLater('channel-tree-title');
    },
    saved: (channel) => {
      setMessage({ key: 'channels.saved', params: { name: channel.name } });
      setEditing(null);
      channels.reload();
      focusLater(`edit-channel-${channel.id}`);
    },
  };

  return (
    <>
      <ScreenTitle title={t('nav.channels')} />
      <StatusText text={msgText(message)} />
      <AlertText error={error} />
      <section class="panel" aria-labelledby="channel-tree-title">
        <h2 id="channel-tree-title" tabIndex={-1}>
          {t('channels.tree')}
        </h2>
        <Loading loading={channels.loading} error={channels.error} />
        <ChannelTree parentId={null} channels={list} editing={editing} confirming={confirming} actions={actions} />
      </section>
      <section class="panel" aria-labelledby="channel-new-title">
        <h2 id="channel-new-title">{t('channels.new')}</h2>
        <ChannelForm
          channel={null}
          channels={list}
          idPrefix="new-channel"
          onSaved={(c) => {
            setMessage({ key: 'channels.created', params: { name: c.name } });
            channels.reload();
          }}
        />
      </section>
    </>
  );
}
