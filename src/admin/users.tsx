// 用户: accounts, their roles (optionally limited to a channel), lock state and passwords.
import { useState } from 'preact/hooks';
import { api } from './api';
import { useApp } from './context';
import { useChannels, useLoad } from './hooks';
import { t } from './i18n';
import { grantLabel } from './labels';
import { formatDateTime } from './time';
import type { ChannelView, Items, UserView } from './types';
import { AlertText, DataTable, Loading, ScreenTitle, StatusText, msgText, type Msg } from './ui';
import { UserCreateForm, UserEditForm, UserPasswordForm } from './user-forms';

type Open = { id: number; form: 'edit' | 'password' } | null;

function stateText(user: UserView): string {
  const parts: string[] = [];
  if (user.locked) parts.push(t('users.locked'));
  if (user.disabled) parts.push(t('users.disabled'));
  if (parts.length === 0) parts.push(t('users.active'));
  if (user.mustChangePassword) parts.push(t('users.mustChange'));
  if (user.totpEnabled) parts.push(t('users.totpOn'));
  return parts.join(t('common.listSeparator'));
}

interface RowProps {
  user: UserView;
  channels: ChannelView[];
  open: Open;
  setOpen: (open: Open) => void;
  patch: (user: UserView, body: Record<string, unknown>, done: Msg) => Promise<void>;
}

function UserRow({ user, channels, open, setOpen, patch }: RowProps) {
  const { site } = useApp();
  const name = user.displayName || user.username;
  const toggle = (form: 'edit' | 'password') =>
    setOpen(open?.id === user.id && open.form === form ? null : { id: user.id, form });
  return (
    <>
      <tr>
        <th scope="row">{user.username}</th>
        <td>{user.displayName}</td>
        <td>{user.roles.map((g) => grantLabel(g, channels)).join(t('common.listSeparator')) || t('common.none')}</td>
        <td>{stateText(user)}</td>
        <td>{formatDateTime(user.lastLoginAt, site.timeZone)}</td>
        <td>
          <div class="row-actions">
            <button
              type="button"
              class="small"
              aria-expanded={open?.id === user.id && open.form === 'edit'}
              aria-label={t('users.editNamed', { name })}
              onClick={() => toggle('edit')}
            >
              {t('common.edit')}
            </button>
            {user.locked ? (
              <button
                type="button"
                class="small"
                aria-label={t('users.unlockNamed', { name })}
                onClick={() => void patch(user, { unlock: true }, { key: 'users.unlocked', params: { name } })}
              >
                {t('users.unlock')}
              </button>
            ) : null}
            {user.totpEnabled ? (
              <button
                type="button"
                class="small"
                aria-label={t('users.resetTotpNamed', { name })}
                onClick={() =>
                  void patch(user, { resetSecondFactor: true }, { key: 'users.totpReset', params: { name } })
                }
              >
                {t('users.resetTotp')}
              </button>
            ) : null}
            <button
              type="button"
              class="small"
              aria-label={t(user.disabled ? 'users.enableNamed' : 'users.disableNamed', { name })}
              onClick={() =>
                void patch(
                  user,
                  { disabled: !user.disabled },
                  { key: user.disabled ? 'users.enabled' : 'users.disabledDone', params: { name } },
                )
              }
            >
              {t(user.disabled ? 'users.enable' : 'users.disable')}
            </button>
            <button
              type="button"
              class="small"
              aria-expanded={open?.id === user.id && open.form === 'password'}
              aria-label={t('users.resetNamed', { name })}
              onClick={() => toggle('password')}
            >
              {t('users.resetPassword')}
            </button>
          </div>
        </td>
      </tr>
      {open?.id === user.id ? (
        <tr class="expanded">
          <td colSpan={6}>
            {open.form === 'edit' ? (
              <UserEditForm
                user={user}
                channels={channels}
                onSave={(body) => patch(user, body, { key: 'users.saved', params: { name } })}
                onCancel={() => setOpen(null)}
              />
            ) : (
              <UserPasswordForm
                user={user}
                onSave={(body) => patch(user, body, { key: 'users.passwordReset', params: { name } })}
                onCancel={() => setOpen(null)}
              />
            )}
          </td>
        </tr>
      ) : null}
    </>
  );
}

export function UsersScreen() {
  const users = useLoad(() => api.get<Items<UserView>>('/api/v1/users').then((a) => a.items), []);
  const channels = useChannels();
  const [open, setOpen] = useState<Open>(null);
  const [message, setMessage] = useState<Msg | null>(null);
  const [error, setError] = useState<unknown>(null);

  const patch = async (user: UserView, body: Record<string, unknown>, done: Msg) => {
    setError(null);
    setMessage(null);
    try {
      await api.patch<UserView>(`/api/v1/users/${user.id}`, body);
      setMessage(done);
      setOpen(null);
      users.reload();
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <>
      <ScreenTitle title={t('nav.users')} />
      <StatusText text={msgText(message)} />
      <AlertText error={error} />
      <Loading loading={users.loading} error={users.error} />
      {users.data ? (
        <DataTable
          caption={t('nav.users')}
          columns={[
            t('users.username'),
            t('users.displayName'),
            t('users.roles'),
            t('users.state'),
            t('users.lastLogin'),
            t('common.actions'),
          ]}
        >
          {users.data.map((user) => (
            <UserRow
              key={user.id}
              user={user}
              channels={channels.data ?? []}
              open={open}
              setOpen={setOpen}
              patch={patch}
            />
          ))}
        </DataTable>
      ) : null}
      <section class="panel" aria-labelledby="user-new-title">
        <h2 id="user-new-title">{t('users.new')}</h2>
        <UserCreateForm
          channels={channels.data ?? []}
          onCreated={(u) => {
            setMessage({ key: 'users.created', params: { name: u.username } });
            users.reload();
          }}
        />
      </section>
    </>
  );
}
