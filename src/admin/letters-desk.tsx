// 信箱设置: the site's letter desk (its name, whether it takes letters, the types offered and their
// deadlines in working days, limits, the review of replies, how long personal data is kept) and
// the units that answer letters.
import { useState } from 'preact/hooks';
import { api } from './api';
import { useBusy, useLoad } from './hooks';
import { t, type MessageKey } from './i18n';
import { letterTypeLabel } from './letters-parts';
import { HotlineSection } from './letters-hotline';
import { UnitsSection } from './letters-units';
import { LETTER_TYPES, type LetterDesk, type LetterType } from './types';
import { AlertText, Field, Loading, ScreenTitle, StatusText } from './ui';

interface DeskDraft {
  name: string;
  open: boolean;
  offered: Record<LetterType, boolean>;
  days: Record<LetterType, string>;
  titleMin: string;
  titleMax: string;
  bodyMax: string;
  writerChoosesUnit: boolean;
  reviewLevels: string;
  retentionYears: string;
  attachmentsMax: string;
  attachmentMb: string;
}

type NumberKey = 'titleMin' | 'titleMax' | 'bodyMax' | 'retentionYears' | 'attachmentsMax' | 'attachmentMb';

function draftOf(desk: LetterDesk): DeskDraft {
  const days = Object.fromEntries(LETTER_TYPES.map((type) => [type, '5'])) as Record<LetterType, string>;
  const offered = Object.fromEntries(LETTER_TYPES.map((type) => [type, false])) as Record<LetterType, boolean>;
  for (const entry of desk.types) {
    days[entry.type] = String(entry.days);
    offered[entry.type] = true;
  }
  return {
    name: desk.name,
    open: desk.open,
    offered,
    days,
    titleMin: String(desk.titleMin),
    titleMax: String(desk.titleMax),
    bodyMax: String(desk.bodyMax),
    writerChoosesUnit: desk.writerChoosesUnit,
    reviewLevels: String(desk.reviewLevels),
    retentionYears: String(desk.retentionYears),
    attachmentsMax: String(desk.attachmentsMax),
    attachmentMb: String(desk.attachmentMb),
  };
}

function deskOf(draft: DeskDraft): LetterDesk {
  return {
    name: draft.name.trim(),
    open: draft.open,
    types: LETTER_TYPES.filter((type) => draft.offered[type]).map((type) => ({ type, days: Number(draft.days[type]) })),
    titleMin: Number(draft.titleMin),
    titleMax: Number(draft.titleMax),
    bodyMax: Number(draft.bodyMax),
    writerChoosesUnit: draft.writerChoosesUnit,
    reviewLevels: Number(draft.reviewLevels),
    retentionYears: Number(draft.retentionYears),
    attachmentsMax: Number(draft.attachmentsMax),
    attachmentMb: Number(draft.attachmentMb),
  };
}

function Check({
  id,
  label,
  checked,
  onChange,
}: {
  id: string;
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
}) {
  return (
    <div class="field checkbox">
      <input id={id} type="checkbox" checked={checked} onChange={(event) => onChange(event.currentTarget.checked)} />
      <label for={id}>{label}</label>
    </div>
  );
}

function DeskForm({ desk, onSaved }: { desk: LetterDesk; onSaved: (desk: LetterDesk) => void }) {
  const [draft, setDraft] = useState(() => draftOf(desk));
  const { busy, error, run } = useBusy();
  const set = (patch: Partial<DeskDraft>) => setDraft((current) => ({ ...current, ...patch }));
  const number = (key: NumberKey, label: MessageKey, min: number, max: number) => (
    <Field
      id={`desk-${key}`}
      label={t(label)}
      value={draft[key]}
      onValue={(value) => setDraft((current) => ({ ...current, [key]: value }))}
      type="number"
      min={min}
      max={max}
      required
    />
  );
  const save = async (event: Event) => {
    event.preventDefault();
    const saved = await run(() => api.put<LetterDesk>('/api/v1/letter-desk', deskOf(draft)));
    if (saved) onSaved(saved);
  };
  return (
    <form class="panel" aria-labelledby="desk-title" onSubmit={(event) => void save(event)}>
      <h2 id="desk-title">{t('desk.settings')}</h2>
      <Field
        id="desk-name"
        label={t('desk.name')}
        value={draft.name}
        onValue={(name) => set({ name })}
        hint={t('desk.nameHint')}
        required
        maxLength={20}
      />
      <Check id="desk-open" label={t('desk.open')} checked={draft.open} onChange={(open) => set({ open })} />
      <fieldset>
        <legend>{t('desk.types')}</legend>
        {LETTER_TYPES.map((type) => (
          <div class="desk-type" key={type}>
            <Check
              id={`desk-offer-${type}`}
              label={t('desk.offer', { type: letterTypeLabel(type) })}
              checked={draft.offered[type]}
              onChange={(on) => set({ offered: { ...draft.offered, [type]: on } })}
            />
            <Field
              id={`desk-days-${type}`}
              label={t('desk.days', { type: letterTypeLabel(type) })}
              value={draft.days[type]}
              onValue={(days) => set({ days: { ...draft.days, [type]: days } })}
              type="number"
              min={1}
              max={60}
              required={draft.offered[type]}
              disabled={!draft.offered[type]}
            />
          </div>
        ))}
      </fieldset>
      <div class="field-grid">
        {number('titleMin', 'desk.titleMin', 1, 200)}
        {number('titleMax', 'desk.titleMax', 1, 200)}
        {number('bodyMax', 'desk.bodyMax', 50, 10000)}
        {number('retentionYears', 'desk.retention', 1, 30)}
        {number('attachmentsMax', 'desk.attachmentsMax', 0, 10)}
        {number('attachmentMb', 'desk.attachmentMb', 1, 20)}
      </div>
      <Check
        id="desk-writer-chooses"
        label={t('desk.writerChoosesUnit')}
        checked={draft.writerChoosesUnit}
        onChange={(writerChoosesUnit) => set({ writerChoosesUnit })}
      />
      <div class="field">
        <label for="desk-review">{t('desk.reviewLevels')}</label>
        <select
          id="desk-review"
          value={draft.reviewLevels}
          onChange={(e) => set({ reviewLevels: e.currentTarget.value })}
        >
          <option value="0">{t('desk.review0')}</option>
          <option value="1">{t('desk.review1')}</option>
          <option value="2">{t('desk.review2')}</option>
        </select>
      </div>
      <AlertText error={error} />
      <button type="submit" class="primary" id="desk-save" disabled={busy}>
        {t('common.save')}
      </button>
    </form>
  );
}

export function LetterDeskScreen() {
  const desk = useLoad(() => api.get<LetterDesk>('/api/v1/letter-desk'), []);
  const [message, setMessage] = useState('');
  return (
    <>
      <ScreenTitle title={t('nav.letterDesk')} />
      <StatusText id="desk-status" text={message} />
      <Loading loading={desk.loading} error={desk.error} />
      {desk.data ? <DeskForm desk={desk.data} onSaved={() => setMessage(t('desk.saved'))} /> : null}
      <UnitsSection onMessage={setMessage} />
      <HotlineSection onMessage={setMessage} />
    </>
  );
}
