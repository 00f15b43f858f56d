// 内容类型: every content type with its fields, for the site administrator (site.manage), who may
// add fields to a type and remove the ones the site added. A field items hold values for is
// removed only after those values are archived (409 CONTENT_FIELD_HAS_VALUES, then force=true).
import { useState } from 'preact/hooks';
import { ApiError, api } from './api';
import { useBusy, useLoad } from './hooks';
import { errorText, t } from './i18n';
import { contentTypeLabel, invalidFieldOf, kindLabel } from './typed-values';
import {
  ADDABLE_KINDS,
  CONTENT_TYPE_KEYS,
  type ContentTypeKey,
  type ContentTypeView,
  type FieldInput,
  type FieldKind,
  type FieldView,
} from './types';
import {
  AlertText,
  DataTable,
  Field,
  Loading,
  RequiredMark,
  ScreenTitle,
  StatusText,
  focusLater,
  type Msg,
  msgText,
} from './ui';

interface AddDraft {
  type: ContentTypeKey;
  label: string;
  name: string;
  kind: FieldKind;
  required: boolean;
  maxLength: string;
  options: string;
  help: string;
}

const EMPTY: AddDraft = {
  type: 'article',
  label: '',
  name: '',
  kind: 'text',
  required: false,
  maxLength: '',
  options: '',
  help: '',
};

function inputOf(draft: AddDraft): FieldInput {
  const options = draft.options
    .split('\n')
    .map((o) => o.trim())
    .filter((o) => o !== '');
  const maxLength = draft.maxLength.trim();
  return {
    name: draft.name.trim(),
    label: draft.label.trim(),
    kind: draft.kind,
    required: draft.required,
    ...(draft.kind === 'text' && maxLength !== '' && { maxLength: Number(maxLength) }),
    ...((draft.kind === 'choice' || draft.kind === 'choices') && { options }),
    ...(draft.help.trim() !== '' && { help: draft.help.trim() }),
  };
}

/** The problem the server found, shown under the field it names as well as above the button. */
function FieldProblem({ id, error, field }: { id: string; error: unknown; field: string }) {
  if (invalidFieldOf(error) !== field) return null;
  return (
    <p class="field-error" id={id}>
      {errorText(error)}
    </p>
  );
}

function AddFieldForm({
  types,
  onAdded,
}: {
  types: ContentTypeView[];
  onAdded: (type: ContentTypeView, label: string) => void;
}) {
  const [draft, setDraft] = useState<AddDraft>(EMPTY);
  const { busy, error, run } = useBusy();
  const set = (patch: Partial<AddDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const bad = invalidFieldOf(error);
  const invalid = (field: string) => (bad === field ? true : undefined);
  const described = (field: string, hint: boolean) =>
    [hint ? `add-field-${field}-hint` : '', bad === field ? `add-field-${field}-error` : ''].join(' ').trim() ||
    undefined;
  const choosing = draft.kind === 'choice' || draft.kind === 'choices';

  const submit = async (event: Event) => {
    event.preventDefault();
    const input = inputOf(draft);
    const caught: { failure: unknown } = { failure: null };
    const saved = await run(() =>
      api.post<ContentTypeView>(`/api/v1/content-types/${draft.type}/fields`, input).catch((failure: unknown) => {
        caught.failure = failure;
        throw failure;
      }),
    );
    if (saved) {
      setDraft({ ...EMPTY, type: draft.type });
      onAdded(saved, input.label);
    }
    // Back to the field the server named, else to the first one for the next field.
    focusLater(`add-field-${invalidFieldOf(caught.failure) ?? 'label'}`);
  };

  return (
    <section class="panel" aria-labelledby="add-field-title">
      <h2 id="add-field-title">{t('types.addTitle')}</h2>
      <form class="add-field-form" onSubmit={(e) => void submit(e)} noValidate>
        <div class="field-grid">
          <div class="field">
            <label for="add-field-type">{t('types.addTo')}</label>
            <select
              id="add-field-type"
              value={draft.type}
              onChange={(e) => set({ type: e.currentTarget.value as ContentTypeKey })}
            >
              {types.map((type) => (
                <option key={type.key} value={type.key}>
                  {contentTypeLabel(type.key)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="add-field-label">
              {t('types.field.label')}
              <RequiredMark />
            </label>
            <input
              id="add-field-label"
              value={draft.label}
              required
              maxLength={40}
              aria-invalid={invalid('label')}
              aria-describedby={described('label', true)}
              onInput={(e) => set({ label: e.currentTarget.value })}
            />
            <p class="hint" id="add-field-label-hint">
              {t('types.field.labelHint')}
            </p>
            <FieldProblem id="add-field-label-error" error={error} field="label" />
          </div>
          <div class="field">
            <label for="add-field-name">
              {t('types.field.name')}
              <RequiredMark />
            </label>
            <input
              id="add-field-name"
              value={draft.name}
              required
              maxLength={40}
              autocomplete="off"
              spellcheck={false}
              aria-invalid={invalid('name')}
              aria-describedby={described('name', true)}
              onInput={(e) => set({ name: e.currentTarget.value })}
            />
            <p class="hint" id="add-field-name-hint">
              {t('types.field.nameHint')}
            </p>
            <FieldProblem id="add-field-name-error" error={error} field="name" />
          </div>
          <div class="field">
            <label for="add-field-kind">{t('types.field.kind')}</label>
            <select
              id="add-field-kind"
              value={draft.kind}
              aria-invalid={invalid('kind')}
              aria-describedby={described('kind', false)}
              onChange={(e) => set({ kind: e.currentTarget.value as FieldKind })}
            >
              {ADDABLE_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {kindLabel(kind)}
                </option>
              ))}
            </select>
            <FieldProblem id="add-field-kind-error" error={error} field="kind" />
          </div>
          {draft.kind === 'text' ? (
            <Field
              id="add-field-max-length"
              label={t('types.field.maxLength')}
              type="number"
              min={1}
              max={2000}
              step={1}
              value={draft.maxLength}
              onValue={(maxLength) => set({ maxLength })}
              hint={t('types.field.maxLengthHint')}
            />
          ) : null}
        </div>
        <div class="field checkbox">
          <input
            id="add-field-required"
            type="checkbox"
            checked={draft.required}
            onChange={(e) => set({ required: e.currentTarget.checked })}
          />
          <label for="add-field-required">{t('types.field.required')}</label>
        </div>
        {choosing ? (
          <div class="field">
            <label for="add-field-options">
              {t('types.field.options')}
              <RequiredMark />
            </label>
            <textarea
              id="add-field-options"
              rows={4}
              value={draft.options}
              required
              aria-invalid={invalid('options')}
              aria-describedby={described('options', false)}
              onInput={(e) => set({ options: e.currentTarget.value })}
            />
            <FieldProblem id="add-field-options-error" error={error} field="options" />
          </div>
        ) : null}
        <Field
          id="add-field-help"
          label={t('types.field.help')}
          value={draft.help}
          maxLength={200}
          onValue={(help) => set({ help })}
          hint={t('types.field.helpHint')}
        />
        <AlertText id="add-field-error" error={error} />
        <div class="actions">
          <button type="submit" class="primary" id="add-field-submit" disabled={busy}>
            {t('types.add')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** What a field holds, with a group's parts and a relation's target. */
function kindText(field: FieldView): string {
  const base = kindLabel(field.kind);
  if (field.kind === 'group' && field.fields)
    return base + t('types.parts', { parts: field.fields.map((part) => part.label).join('、') });
  if (field.kind === 'relation' && field.to) return base + t('types.pointsTo', { type: contentTypeLabel(field.to) });
  return base;
}

type Removal = { field: FieldView; stage: 'confirm' | 'hasValues' | 'confirmArchive'; refusal?: unknown };

function RemoveControls({
  type,
  field,
  onRemoved,
}: {
  type: ContentTypeView;
  field: FieldView;
  onRemoved: (msg: Msg) => void;
}) {
  const [removal, setRemoval] = useState<Removal | null>(null);
  const { busy, error, run } = useBusy();
  const id = `remove-${type.key}-${field.name}`;
  const names = { type: contentTypeLabel(type.key), label: field.label };

  const remove = async (force: boolean) => {
    const answer = await run(async () => {
      try {
        const query = force ? '?force=true' : '';
        return await api.del<{ archived: number }>(`/api/v1/content-types/${type.key}/fields/${field.name}${query}`);
      } catch (failure) {
        // Items hold values: say so, and offer to archive them first.
        if (failure instanceof ApiError && failure.code === 'CONTENT_FIELD_HAS_VALUES' && !force) {
          setRemoval({ field, stage: 'hasValues', refusal: failure });
          focusLater(`${id}-archive`);
          return null;
        }
        throw failure;
      }
    });
    if (!answer) return;
    onRemoved(
      answer.archived > 0
        ? { key: 'types.removedArchived', params: { ...names, count: answer.archived } }
        : { key: 'types.removed', params: names },
    );
  };

  const ask = (stage: Removal['stage'] | null, focus: string) => {
    setRemoval(stage ? { field, stage, refusal: removal?.refusal } : null);
    focusLater(focus);
  };

  if (!removal) {
    return (
      <>
        <button
          type="button"
          class="small danger"
          id={id}
          aria-label={t('types.removeNamed', { label: field.label })}
          onClick={() => ask('confirm', `${id}-confirm`)}
        >
          {t('types.remove')}
        </button>
        <AlertText error={error} />
      </>
    );
  }
  if (removal.stage === 'confirm') {
    return (
      <span class="confirm">
        <span>{t('types.confirmRemove', names)}</span>
        <button
          type="button"
          class="small danger"
          id={`${id}-confirm`}
          disabled={busy}
          onClick={() => void remove(false)}
        >
          {t('common.confirmDelete')}
        </button>
        <button type="button" class="small" onClick={() => ask(null, id)}>
          {t('common.cancel')}
        </button>
      </span>
    );
  }
  return (
    <div class="remove-has-values">
      <AlertText error={removal.refusal} />
      {removal.stage === 'hasValues' ? (
        <span class="actions">
          <button
            type="button"
            class="small danger"
            id={`${id}-archive`}
            aria-label={t('types.archiveRemoveNamed', { label: field.label })}
            onClick={() => ask('confirmArchive', `${id}-archive-confirm`)}
          >
            {t('types.archiveRemove')}
          </button>
          <button type="button" class="small" onClick={() => ask(null, id)}>
            {t('common.cancel')}
          </button>
        </span>
      ) : (
        <span class="confirm">
          <span>{t('types.confirmArchive', { label: field.label })}</span>
          <button
            type="button"
            class="small danger"
            id={`${id}-archive-confirm`}
            disabled={busy}
            onClick={() => void remove(true)}
          >
            {t('types.confirmArchiveButton')}
          </button>
          <button type="button" class="small" onClick={() => ask(null, id)}>
            {t('common.cancel')}
          </button>
        </span>
      )}
      <AlertText error={error} />
    </div>
  );
}

function TypeSection({ type, onRemoved }: { type: ContentTypeView; onRemoved: (msg: Msg) => void }) {
  const label = contentTypeLabel(type.key);
  const body = type.bodyLabel === null ? t('types.noBody') : t('types.bodyField', { body: type.bodyLabel });
  return (
    <section class="panel content-type" aria-labelledby={`type-${type.key}`}>
      <h2 id={`type-${type.key}`}>{label}</h2>
      <p>{t('types.titleField', { title: type.titleLabel, body })}</p>
      {type.fields.length === 0 ? (
        <p class="empty">{t('types.noFields')}</p>
      ) : (
        <DataTable
          caption={t('types.caption', { type: label })}
          columns={[
            t('types.col.label'),
            t('types.col.name'),
            t('types.col.kind'),
            t('types.col.required'),
            t('types.col.origin'),
            t('types.col.actions'),
          ]}
        >
          {type.fields.map((field) => (
            <tr key={field.name}>
              <td>{field.label}</td>
              <td>
                <code>{field.name}</code>
              </td>
              <td>{kindText(field)}</td>
              <td>{field.required ? t('types.required.yes') : t('types.required.no')}</td>
              <td>{field.added ? t('types.added') : t('types.builtIn')}</td>
              <td>{field.added ? <RemoveControls type={type} field={field} onRemoved={onRemoved} /> : null}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

export function ContentTypesScreen() {
  const list = useLoad(() => api.get<ContentTypeView[]>('/api/v1/content-types'), []);
  const [message, setMessage] = useState<Msg | null>(null);
  // The server's order is the shipped one; keep it, whatever order the keys are listed in here.
  const types = (list.data ?? []).filter((type) => CONTENT_TYPE_KEYS.includes(type.key));
  const added = (type: ContentTypeView, label: string) => {
    setMessage({ key: 'types.addedDone', params: { type: contentTypeLabel(type.key), label } });
    list.reload();
  };
  const removed = (msg: Msg) => {
    setMessage(msg);
    list.reload();
    focusLater('screen-title');
  };
  return (
    <>
      <ScreenTitle title={t('types.title')} />
      <p class="intro">{t('types.intro')}</p>
      <StatusText id="types-status" text={msgText(message)} />
      {list.data ? null : <Loading loading={list.loading} error={list.error} />}
      {list.data ? <AddFieldForm types={types} onAdded={added} /> : null}
      {types.map((type) => (
        <TypeSection key={type.key} type={type} onRemoved={removed} />
      ))}
    </>
  );
}
