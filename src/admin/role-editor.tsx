// Roles as six checkboxes, each with an optional channel scope (whole site by default).
import { t } from './i18n';
import { channelOptions, roleLabel } from './labels';
import { ROLES, type ChannelView, type Role, type RoleGrant } from './types';

interface Props {
  idPrefix: string;
  value: RoleGrant[];
  onChange: (roles: RoleGrant[]) => void;
  channels: ChannelView[];
}

/** One grant per role can be edited here; further grants of the same role are kept untouched. */
export function RoleEditor({ idPrefix, value, onChange, channels }: Props) {
  const grantOf = (role: Role) => value.find((g) => g.role === role);
  const options = channelOptions(channels);

  const toggle = (role: Role, on: boolean) => {
    onChange(on ? [...value, { role, channelId: null }] : value.filter((g) => g.role !== role));
  };
  const scope = (role: Role, channelId: string) => {
    const first = value.findIndex((g) => g.role === role);
    onChange(value.map((g, i) => (i === first ? { role, channelId: channelId ? Number(channelId) : null } : g)));
  };

  return (
    <fieldset class="roles">
      <legend>{t('users.roles')}</legend>
      {ROLES.map((role) => {
        const grant = grantOf(role);
        const box = `${idPrefix}-role-${role}`;
        const select = `${idPrefix}-scope-${role}`;
        return (
          <div class="role-row" key={role}>
            <span class="checkbox">
              <input
                type="checkbox"
                id={box}
                name={box}
                checked={!!grant}
                onChange={(e) => toggle(role, e.currentTarget.checked)}
              />
              <label for={box}>{roleLabel(role)}</label>
            </span>
            <label for={select} class="visually-hidden">
              {t('users.scopeOf', { role: roleLabel(role) })}
            </label>
            <select
              id={select}
              name={select}
              disabled={!grant}
              value={grant?.channelId ? String(grant.channelId) : ''}
              onChange={(e) => scope(role, e.currentTarget.value)}
            >
              <option value="">{t('users.wholeSite')}</option>
              {options.map((o) => (
                <option key={o.id} value={String(o.id)}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
        );
      })}
    </fieldset>
  );
}
