// The forms behind 新建用户, 编辑 and 重置密码 on the users screen.
import { useState } from 'preact/hooks';
import { api } from './api';
import { useBusy } from './hooks';
import { t } from './i18n';
import { RoleEditor } from './role-editor';
import type { ChannelView, RoleGrant, UserView } from './types';
import { PasswordField } from './password-field';
import { AlertText, Field } from './ui';

export function UserCreateForm({
  channels,
  onCreated,
}: {
  channels: ChannelView[];
  onCreated: (user: UserView) => void;
}) {
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [roles, setRoles] = useState<RoleGrant[]>([]);
  const { busy, error, run } = useBusy();

  const submit = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      const created = await api.post<UserView>('/api/v1/users', {
        username: username.trim(),
        displayName: displayName.trim(),
        password,
        roles,
        email: email.trim(),
      });
      setUsername('');
      setDisplayName('');
      setEmail('');
      setPassword('');
      setRoles([]);
      onCreated(created);
    });
  };

  return (
    <form onSubmit={submit}>
      <div class="field-grid">
        <Field
          id="new-username"
          label={t('users.username')}
          value={username}
          onValue={setUsername}
          required
          autocomplete="off"
        />
        <Field
          id="new-display-name"
          label={t('users.displayName')}
          value={displayName}
          onValue={setDisplayName}
          required
        />
        <Field
          id="new-user-email"
          label={t('users.email')}
          type="email"
          value={email}
          onValue={setEmail}
          maxLength={254}
          autocomplete="off"
        />
        <PasswordField
          id="new-user-password"
          label={t('users.initialPassword')}
          value={password}
          onValue={setPassword}
          required
          autocomplete="new-password"
          hint={t('password.rules')}
          strengthContext={[username.trim()]}
        />
      </div>
      <RoleEditor idPrefix="new-user" value={roles} onChange={setRoles} channels={channels} />
      <AlertText error={error} />
      <button type="submit" id="create-user" class="primary" disabled={busy}>
        {t('users.create')}
      </button>
    </form>
  );
}

interface EditProps {
  user: UserView;
  channels: ChannelView[];
  onSave: (body: { displayName: string; roles: RoleGrant[]; email: string }) => Promise<void>;
  onCancel: () => void;
}

export function UserEditForm({ user, channels, onSave, onCancel }: EditProps) {
  const [displayName, setDisplayName] = useState(user.displayName);
  const [roles, setRoles] = useState<RoleGrant[]>(user.roles);
  const [email, setEmail] = useState(user.email ?? '');
  const submit = (event: Event) => {
    event.preventDefault();
    void onSave({ displayName: displayName.trim(), roles, email: email.trim() });
  };
  return (
    <form onSubmit={submit} aria-label={t('users.editNamed', { name: user.displayName || user.username })}>
      <Field
        id={`user-${user.id}-display-name`}
        label={t('users.displayName')}
        value={displayName}
        onValue={setDisplayName}
        required
      />
      <Field
        id={`user-${user.id}-email`}
        label={t('users.email')}
        type="email"
        value={email}
        onValue={setEmail}
        maxLength={254}
        autocomplete="off"
      />
      <RoleEditor idPrefix={`user-${user.id}`} value={roles} onChange={setRoles} channels={channels} />
      <div class="actions">
        <button type="submit" class="primary" id={`save-user-${user.id}`}>
          {t('common.save')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

interface PasswordProps {
  user: UserView;
  onSave: (body: { password: string }) => Promise<void>;
  onCancel: () => void;
}

/** The server makes the user choose a new password at next login. */
export function UserPasswordForm({ user, onSave, onCancel }: PasswordProps) {
  const [password, setPassword] = useState('');
  const submit = (event: Event) => {
    event.preventDefault();
    void onSave({ password });
  };
  return (
    <form onSubmit={submit} aria-label={t('users.resetNamed', { name: user.displayName || user.username })}>
      <PasswordField
        id={`user-${user.id}-password`}
        label={t('users.newPassword')}
        value={password}
        onValue={setPassword}
        required
        autocomplete="new-password"
        hint={t('password.rules')}
        strengthContext={[user.username]}
      />
      <div class="actions">
        <button type="submit" class="primary" id={`reset-user-${user.id}`}>
          {t('users.resetPassword')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
