// 承办单位: the units of the site that answer letters — add, rename, close or reopen, and their members.
import { useState } from 'preact/hooks';
import { api } from './api';
import { useBusy, useLoad } from './hooks';
import { t } from './i18n';
import { UnitMembers } from './letters-members';
import type { CaseUnit, Items } from './types';
import { AlertText, DataTable, Field, Loading, focusLater } from './ui';

function RenameForm({
  unit,
  onSave,
  onCancel,
  busy,
}: {
  unit: CaseUnit;
  onSave: (name: string) => void;
  onCancel: () => void;
  busy: boolean;
}) {
  const [name, setName] = useState(unit.name);
  return (
    <form
      class="inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        onSave(name.trim());
      }}
    >
      <Field
        id={`unit-name-${unit.id}`}
        label={t('units.newName', { name: unit.name })}
        value={name}
        onValue={setName}
        required
        maxLength={40}
      />
      <button type="submit" class="small primary" disabled={busy}>
        {t('common.save')}
      </button>{' '}
      <button type="button" class="small" onClick={onCancel}>
        {t('common.cancel')}
      </button>
    </form>
  );
}

function AddUnit({ onAdded }: { onAdded: (unit: CaseUnit) => void }) {
  const [name, setName] = useState('');
  const [sortOrder, setSortOrder] = useState('0');
  const { busy, error, run } = useBusy();
  const add = async (event: Event) => {
    event.preventDefault();
    const made = await run(() =>
      api.post<CaseUnit>('/api/v1/case-units', { name: name.trim(), sortOrder: Number(sortOrder) }),
    );
    if (made) {
      setName('');
      onAdded(made);
    }
  };
  return (
    <form onSubmit={(event) => void add(event)} aria-labelledby="unit-add-title">
      <h3 id="unit-add-title">{t('units.add')}</h3>
      <div class="field-grid">
        <Field id="unit-new-name" label={t('units.name')} value={name} onValue={setName} required maxLength={40} />
        <Field
          id="unit-new-order"
          label={t('units.sortOrder')}
          value={sortOrder}
          onValue={setSortOrder}
          type="number"
          min={0}
          max={10000}
        />
      </div>
      <AlertText error={error} />
      <button type="submit" class="primary" id="unit-add" disabled={busy}>
        {t('units.add')}
      </button>
    </form>
  );
}

export function UnitsSection({ onMessage }: { onMessage: (text: string) => void }) {
  const units = useLoad(
    () => api.get<Items<CaseUnit>>('/api/v1/case-units', { scope: 'site' }).then((answer) => answer.items),
    [],
  );
  const [renaming, setRenaming] = useState<number | null>(null);
  const [members, setMembers] = useState<number | null>(null);
  const { busy, error, run } = useBusy();
  const list = units.data ?? [];
  const change = async (unit: CaseUnit, patch: { name?: string; active?: boolean }) => {
    const saved = await run(() => api.patch<CaseUnit>(`/api/v1/case-units/${unit.id}`, patch));
    if (saved) {
      setRenaming(null);
      onMessage(t('units.saved', { name: saved.name }));
      units.reload();
    }
  };
  const editing = list.find((unit) => unit.id === members);
  return (
    <section class="panel" aria-labelledby="units-title">
      <h2 id="units-title">{t('units.title')}</h2>
      <Loading loading={units.loading} error={units.error} />
      {units.data && list.length === 0 ? <p class="empty">{t('units.none')}</p> : null}
      {list.length > 0 ? (
        <DataTable
          caption={t('units.caption')}
          class="units-table"
          columns={[t('units.name'), t('units.sortOrder'), t('units.state'), t('units.members'), t('common.actions')]}
        >
          {list.map((unit) => (
            <tr key={unit.id}>
              <th scope="row">
                {renaming === unit.id ? (
                  <RenameForm
                    unit={unit}
                    busy={busy}
                    onSave={(name) => void change(unit, { name })}
                    onCancel={() => setRenaming(null)}
                  />
                ) : (
                  unit.name
                )}
              </th>
              <td>{unit.sortOrder}</td>
              <td>{unit.active ? t('units.active') : t('units.closed')}</td>
              <td>
                {unit.members.length === 0
                  ? '—'
                  : unit.members
                      .map((m) => m.name + (m.leader ? t('units.leaderMark') : ''))
                      .join(t('common.listSeparator'))}
              </td>
              <td>
                <div class="row-actions">
                  <button type="button" class="small" onClick={() => setRenaming(unit.id)}>
                    {t('units.rename', { name: unit.name })}
                  </button>
                  <button
                    type="button"
                    class="small"
                    disabled={busy}
                    onClick={() => void change(unit, { active: !unit.active })}
                  >
                    {unit.active ? t('units.close', { name: unit.name }) : t('units.reopen', { name: unit.name })}
                  </button>
                  <button
                    type="button"
                    class="small"
                    aria-expanded={members === unit.id}
                    aria-controls={members === unit.id ? 'unit-members' : undefined}
                    onClick={() => {
                      setMembers(members === unit.id ? null : unit.id);
                      focusLater('unit-members-title');
                    }}
                  >
                    {t('units.editMembers', { name: unit.name })}
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      <AlertText error={error} />
      {editing ? (
        <UnitMembers
          key={editing.id}
          unit={editing}
          onSaved={(saved) => {
            onMessage(t('units.saved', { name: saved.name }));
            units.reload();
          }}
        />
      ) : null}
      <AddUnit
        onAdded={(made) => {
          onMessage(t('units.added', { name: made.name }));
          units.reload();
        }}
      />
    </section>
  );
}
