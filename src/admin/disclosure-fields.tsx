// 信息公开 in the article editor: mark the article as disclosed government information and fill its
// metadata. Saved on its own (PUT /api/v1/articles/:id/disclosure), apart from the article's save:
// the 索引号 is allocated by the server the first time and shown read-only from then on.
import { useEffect, useState } from 'preact/hooks';
import { api } from './api';
import { useBusy, useLoad } from './hooks';
import { translator } from './disclosure-text';
import type { ArticleView } from './types';
import { AlertText, ConfirmDelete, Field, StatusText } from './ui';

export interface DisclosureView {
  articleId: number;
  indexNo: string;
  organization: string;
  organizationCode: string;
  documentNo: string;
  writtenOn: string | null;
  topic: string;
  disclosureForm: string;
  year: number;
  serial: number;
}
interface DisclosureEdit {
  disclosure: DisclosureView | null;
  defaults: { organization: string; organizationCode: string };
  topics: string[];
  forms: string[];
}
interface Form {
  organization: string;
  organizationCode: string;
  documentNo: string;
  writtenOn: string;
  topic: string;
  disclosureForm: string;
}

const TEXT = {
  legend: ['信息公开', 'Government information disclosure'],
  saveFirst: [
    '保存文章后，可将其标记为政府信息公开。',
    'Save the article first; then it can be marked as disclosed government information.',
  ],
  mark: ['作为政府信息公开（分配索引号）', 'Disclosed government information (allocates an index number)'],
  indexNo: ['索引号', 'Index number'],
  indexNoHint: [
    '索引号一经分配不再改变，取消公开后也不会重复使用。',
    'Once allocated the index number never changes, and is never reused even if the marking is removed.',
  ],
  organization: ['发布机构', 'Publishing organisation'],
  organizationCode: ['发布机构统一社会信用代码', 'Unified social credit code of the organisation'],
  codeHint: [
    '18 位，如 113205090141600114；默认为本机构上次使用的代码。',
    '18 characters, e.g. 113205090141600114; defaults to the code last used for this organisation.',
  ],
  documentNo: ['文号', 'Document number'],
  documentNoHint: ['如 吴政发〔2025〕12号；没有可不填。', 'e.g. 吴政发〔2025〕12号; leave empty if none.'],
  writtenOn: ['成文日期', 'Date written'],
  topic: ['主题分类', 'Topic'],
  chooseTopic: ['请选择主题分类', 'Choose a topic'],
  form: ['公开方式', 'Form of disclosure'],
  save: ['保存公开信息', 'Save disclosure'],
  saved: ['已保存公开信息，索引号 {indexNo}。', 'Disclosure saved: index number {indexNo}.'],
  remove: ['取消公开标记', 'Remove the marking'],
  confirmRemove: [
    '取消后此文章不再列入信息公开目录，索引号作废。',
    'The article leaves the disclosure catalogue and its index number is retired.',
  ],
  removed: ['已取消信息公开标记。', 'The disclosure marking was removed.'],
} as const;

const tr = translator(TEXT);

function formOf(edit: DisclosureEdit): Form {
  const d = edit.disclosure;
  return {
    organization: d?.organization ?? edit.defaults.organization,
    organizationCode: d?.organizationCode ?? edit.defaults.organizationCode,
    documentNo: d?.documentNo ?? '',
    writtenOn: d?.writtenOn ?? '',
    topic: d?.topic ?? '',
    disclosureForm: d?.disclosureForm ?? edit.forms[0] ?? '',
  };
}

export function DisclosureFields({ article }: { article: ArticleView | null }) {
  if (!article) {
    return (
      <fieldset class="disclosure-fields">
        <legend>{tr('legend')}</legend>
        <p>{tr('saveFirst')}</p>
      </fieldset>
    );
  }
  return <DisclosureForm articleId={article.id} />;
}

function DisclosureForm({ articleId }: { articleId: number }) {
  const loaded = useLoad(() => api.get<DisclosureEdit>(`/api/v1/articles/${articleId}/disclosure`), [articleId]);
  const [saved, setSaved] = useState<DisclosureView | null>(null);
  const [marked, setMarked] = useState(false);
  const [form, setForm] = useState<Form | null>(null);
  const [status, setStatus] = useState('');
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run } = useBusy();
  useEffect(() => {
    if (!loaded.data) return;
    setSaved(loaded.data.disclosure);
    setMarked(loaded.data.disclosure !== null);
    setForm(formOf(loaded.data));
  }, [loaded.data]);
  if (!loaded.data || !form)
    return (
      <fieldset class="disclosure-fields">
        <legend>{tr('legend')}</legend>
        <AlertText error={loaded.error} />
      </fieldset>
    );
  const edit = loaded.data;
  const set = (patch: Partial<Form>) => setForm({ ...form, ...patch });

  const save = async () => {
    const body = { ...form, writtenOn: form.writtenOn || null };
    const view = await run(() => api.put<DisclosureView>(`/api/v1/articles/${articleId}/disclosure`, body));
    if (view) {
      setSaved(view);
      setStatus(tr('saved', { indexNo: view.indexNo }));
    }
  };
  const remove = async () => {
    setConfirming(false);
    const done = await run(async () => {
      await api.del(`/api/v1/articles/${articleId}/disclosure`);
      return true;
    });
    if (done) {
      setSaved(null);
      setMarked(false);
      setStatus(tr('removed'));
    }
  };
  // Enter in a field saves the disclosure, not the article around it.
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && event.target instanceof HTMLInputElement && event.target.type !== 'checkbox') {
      event.preventDefault();
      void save();
    }
  };

  return (
    <fieldset class="disclosure-fields" onKeyDown={onKeyDown}>
      <legend>{tr('legend')}</legend>
      <div class="field checkbox">
        <label>
          <input
            type="checkbox"
            id="disclosure-marked"
            checked={marked}
            disabled={saved !== null}
            onChange={(e) => setMarked(e.currentTarget.checked)}
          />{' '}
          {tr('mark')}
        </label>
      </div>
      {marked ? (
        <>
          {saved ? (
            <Field
              id="disclosure-index-no"
              label={tr('indexNo')}
              value={saved.indexNo}
              onValue={() => {}}
              readOnly
              hint={tr('indexNoHint')}
            />
          ) : null}
          <Field
            id="disclosure-organization"
            label={tr('organization')}
            value={form.organization}
            required
            onValue={(organization) => set({ organization })}
            maxLength={100}
          />
          <Field
            id="disclosure-organization-code"
            label={tr('organizationCode')}
            value={form.organizationCode}
            required
            onValue={(organizationCode) => set({ organizationCode: organizationCode.toUpperCase() })}
            maxLength={18}
            hint={tr('codeHint')}
            autoComplete="off"
            spellcheck={false}
          />
          <Field
            id="disclosure-document-no"
            label={tr('documentNo')}
            value={form.documentNo}
            onValue={(documentNo) => set({ documentNo })}
            maxLength={60}
            hint={tr('documentNoHint')}
          />
          <Field
            id="disclosure-written-on"
            label={tr('writtenOn')}
            type="date"
            value={form.writtenOn}
            onValue={(writtenOn) => set({ writtenOn })}
          />
          <div class="field">
            <label for="disclosure-topic">
              {tr('topic')}
              <span class="required" aria-hidden="true">
                {' '}
                *
              </span>
            </label>
            <select
              id="disclosure-topic"
              required
              value={form.topic}
              onChange={(e) => set({ topic: e.currentTarget.value })}
            >
              <option value="">{tr('chooseTopic')}</option>
              {edit.topics.map((topic) => (
                <option key={topic} value={topic}>
                  {topic}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="disclosure-form">{tr('form')}</label>
            <select
              id="disclosure-form"
              value={form.disclosureForm}
              onChange={(e) => set({ disclosureForm: e.currentTarget.value })}
            >
              {edit.forms.map((value) => (
                <option key={value} value={value}>
                  {value}
                </option>
              ))}
            </select>
          </div>
          <div class="actions">
            <button type="button" id="disclosure-save" disabled={busy} onClick={() => void save()}>
              {tr('save')}
            </button>
            {saved && confirming ? (
              <ConfirmDelete
                text={tr('confirmRemove')}
                confirmId="disclosure-confirm-remove"
                disabled={busy}
                onConfirm={() => void remove()}
                onCancel={() => setConfirming(false)}
              />
            ) : saved ? (
              <button
                type="button"
                id="disclosure-remove"
                class="danger"
                disabled={busy}
                onClick={() => setConfirming(true)}
              >
                {tr('remove')}
              </button>
            ) : null}
          </div>
        </>
      ) : null}
      <StatusText text={status} />
      <AlertText error={error} />
    </fieldset>
  );
}
