// A unit's members (承办): who answers its letters, and which of them is the leader who reviews the
// replies first. The list is edited here and saved in one go; new members are chosen from the
// accounts holding the handler role on the site (the site administrator cannot list every account:
// that is the security administrator's).
import { useState } from 'preact/hooks';
import { api } from './api';
import { useBusy, useLoad } from './hooks';
import { t } from './i18n';
import type { CaseUnit, Items } from './types';
import { AlertText, DataTable, RequiredMark } from './ui';

type Member = CaseUnit['members'][number];

export function UnitMembers({ unit, onSaved }: { unit: CaseUnit; onSaved: (unit: CaseUnit) => void }) {
  const [list, setList] = useState<Member[]>(unit.members);
  const [userId, setUserId] = useState('');
  const [leader, setLeader] = useState(false);
  const { busy, error, run } = useBusy();
  const candidates = useLoad(
    () => api.get<Items<{ userId: number; name: string }>>('/api/v1/case-units/candidates').then((a) => a.items),
    [],
  );
  const nameOf = (m: Member) => m.name || t('units.newMember', { id: m.userId });
  const add = (event: Event) => {
    event.preventDefault();
    const chosen = candidates.data?.find((c) => String(c.userId) === userId);
    if (!chosen) return;
    setList((current) => [
      ...current.filter((m) => m.userId !== chosen.userId),
      { userId: chosen.userId, name: chosen.name, leader },
    ]);
    setUserId('');
    setLeader(false);
  };
  const save = async () => {
    const saved = await run(() =>
      api.patch<CaseUnit>(`/api/v1/case-units/${unit.id}`, {
        members: list.map((m) => ({ userId: m.userId, leader: m.leader })),
      }),
    );
    if (saved) {
      setList(saved.members);
      onSaved(saved);
    }
  };
  return (
    <section class="unit-members" id="unit-members" aria-labelledby="unit-members-title">
      <h3 id="unit-members-title" tabIndex={-1}>
        {t('units.membersOf', { name: unit.name })}
      </h3>
      {list.length === 0 ? <p class="empty">{t('units.noMembers')}</p> : null}
      {list.length > 0 ? (
        <DataTable
          caption={t('units.membersOf', { name: unit.name })}
          class="members-table"
          columns={[t('units.members'), t('units.leader'), t('common.actions')]}
        >
          {list.map((m) => (
            <tr key={m.userId}>
              <th scope="row">{nameOf(m)}</th>
              <td>
                <input
                  type="checkbox"
                  id={`member-leader-${m.userId}`}
                  aria-label={t('units.leaderOf', { name: nameOf(m) })}
                  checked={m.leader}
                  onChange={(event) => {
                    const on = event.currentTarget.checked;
                    setList((current) => current.map((x) => (x.userId === m.userId ? { ...x, leader: on } : x)));
                  }}
                />
              </td>
              <td>
                <button
                  type="button"
                  class="small"
                  onClick={() => setList((current) => current.filter((x) => x.userId !== m.userId))}
                >
                  {t('units.removeMember', { name: nameOf(m) })}
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      <form class="filters" onSubmit={add}>
        <div class="field">
          <label for="member-user-id">
            {t('units.userId')}
            <RequiredMark />
          </label>
          <select
            id="member-user-id"
            required
            aria-describedby="member-user-id-hint"
            value={userId}
            onChange={(event) => setUserId(event.currentTarget.value)}
          >
            <option value="">—</option>
            {(candidates.data ?? []).map((c) => (
              <option key={c.userId} value={String(c.userId)}>
                {c.name}
              </option>
            ))}
          </select>
          <p class="hint" id="member-user-id-hint">
            {t('units.userIdHint')}
          </p>
        </div>
        <div class="field checkbox">
          <input
            id="member-leader"
            type="checkbox"
            checked={leader}
            onChange={(event) => setLeader(event.currentTarget.checked)}
          />
          <label for="member-leader">{t('units.newLeader')}</label>
        </div>
        <button type="submit" id="member-add">
          {t('units.addMember')}
        </button>
      </form>
      <AlertText error={error} />
      <button type="button" class="primary" id="members-save" disabled={busy} onClick={() => void save()}>
        {t('units.saveMembers')}
      </button>
    </section>
  );
}
