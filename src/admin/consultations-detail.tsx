// One consultation: the draft's form (with the period measured against the rule for its kind, a
// warning when short), publish and withdraw, the attachments, then the comments and the 反馈.
import { useEffect, useState } from 'preact/hooks';
import { CONSULTATION_KINDS, type ConsultationKind } from '../domain/consultations';
import { api } from './api';
import { ConsultationComments } from './consultations-comments';
import { kindLabel, phaseLabel, type ConsultationRow } from './consultations';
import { useLoad } from './hooks';
import { HtmlField } from './html-field';
import { download } from './info-request-detail';
import { t, type MessageKey } from './i18n';
import { Link, navigate } from './router';
import { AlertText, Field, Loading, RequiredMark, ScreenTitle, StatusText, TextArea } from './ui';

export interface PeriodCheck {
  days: number;
  workingDays: number;
  minimum: { unit: 'days' | 'workingDays'; count: number; rule: string } | null;
  warning: string | null;
}

export interface FeedbackView {
  headline: string;
  text: string;
  publishedAt: string;
}

export interface ConsultationDetail extends Omit<ConsultationRow, 'feedbackPublished'> {
  draftHtml: string;
  explanationHtml: string;
  interpretationHtml: string;
  contactName: string;
  contactPhone: string;
  contactEmail: string;
  otherWays: string;
  showComments: boolean;
  publishedAt: string | null;
  attachments: { id: number; fileName: string; size: number; url: string }[];
  period: PeriodCheck;
  feedbackText: string;
  feedback: FeedbackView | null;
}

interface FormValues {
  title: string;
  kind: ConsultationKind;
  concernsBusiness: boolean;
  draftingUnit: string;
  draftHtml: string;
  explanationHtml: string;
  interpretationHtml: string;
  startDay: string;
  endDay: string;
  contactName: string;
  contactPhone: string;
  contactEmail: string;
  otherWays: string;
  showComments: boolean;
}

const EMPTY: FormValues = {
  title: '',
  kind: 'normative',
  concernsBusiness: false,
  draftingUnit: '',
  draftHtml: '',
  explanationHtml: '',
  interpretationHtml: '',
  startDay: '',
  endDay: '',
  contactName: '',
  contactPhone: '',
  contactEmail: '',
  otherWays: '',
  showComments: false,
};

function valuesOf(c: ConsultationDetail): FormValues {
  const { title, kind, concernsBusiness, draftingUnit, draftHtml, explanationHtml, interpretationHtml } = c;
  const { startDay, endDay, contactName, contactPhone, contactEmail, otherWays, showComments } = c;
  return {
    ...{ title, kind, concernsBusiness, draftingUnit, draftHtml, explanationHtml, interpretationHtml },
    ...{ startDay, endDay, contactName, contactPhone, contactEmail, otherWays, showComments },
  };
}

/** The period's words: the warning when short, else its length. */
function PeriodNote({ period }: { period: PeriodCheck | null }) {
  if (!period) return null;
  if (period.warning)
    return (
      <p class="notice warning" id="consultation-period" role="status" lang="zh-CN">
        <span aria-hidden="true">⚠ </span>
        {period.warning}
      </p>
    );
  const key = period.minimum ? 'consultations.periodOk' : 'consultations.periodPlain';
  return (
    <p class="notice" id="consultation-period" role="status">
      {t(key, { days: period.days, working: period.workingDays })}
    </p>
  );
}

/** The live period check as the office types the dates (the server counts the working days). */
function usePeriod(values: FormValues): PeriodCheck | null {
  const [period, setPeriod] = useState<PeriodCheck | null>(null);
  const { kind, concernsBusiness, startDay, endDay } = values;
  useEffect(() => {
    const days = /^\d{4}-\d{2}-\d{2}$/;
    if (!days.test(startDay) || !days.test(endDay) || endDay < startDay) return setPeriod(null);
    let current = true;
    api
      .post<PeriodCheck>('/api/v1/consultations/period', { kind, concernsBusiness, startDay, endDay })
      .then((answer) => current && setPeriod(answer))
      .catch(() => current && setPeriod(null));
    return () => {
      current = false;
    };
  }, [kind, concernsBusiness, startDay, endDay]);
  return period;
}

/** The rich-text fields: the draft, 起草说明 and 解读. */
const HTML_FIELDS: readonly (readonly [
  'draftHtml' | 'explanationHtml' | 'interpretationHtml',
  string,
  MessageKey,
  MessageKey,
])[] = [
  ['draftHtml', 'consultation-draft', 'consultations.field.draft', 'consultations.field.draftToolbar'],
  [
    'explanationHtml',
    'consultation-explanation',
    'consultations.field.explanation',
    'consultations.field.explanationToolbar',
  ],
  [
    'interpretationHtml',
    'consultation-interpretation',
    'consultations.field.interpretation',
    'consultations.field.interpretationToolbar',
  ],
];

function ConsultationForm({
  initial,
  onSaved,
}: {
  initial: ConsultationDetail | null;
  onSaved: (c: ConsultationDetail) => void;
}) {
  const [values, setValues] = useState<FormValues>(initial ? valuesOf(initial) : EMPTY);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const period = usePeriod(values);
  const set = (patch: Partial<FormValues>) => setValues((v) => ({ ...v, ...patch }));
  const text = (key: keyof FormValues, label: MessageKey, extra: Record<string, unknown> = {}) => (
    <Field
      id={`consultation-${key}`}
      label={t(label)}
      value={String(values[key])}
      onValue={(value) => set({ [key]: value })}
      {...extra}
    />
  );
  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const saved = initial
        ? await api.put<ConsultationDetail>(`/api/v1/consultations/${initial.id}`, values)
        : await api.post<ConsultationDetail>('/api/v1/consultations', values);
      onSaved(saved);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(event) => void save(event)} aria-labelledby="consultation-form-title" class="consultation-form">
      <h2 id="consultation-form-title">{t('consultations.form')}</h2>
      {text('title', 'consultations.field.title', { required: true, maxLength: 200 })}
      <div class="field">
        <label for="consultation-kind">
          {t('consultations.field.kind')}
          <RequiredMark />
        </label>
        <select
          id="consultation-kind"
          value={values.kind}
          onChange={(event) => set({ kind: event.currentTarget.value as ConsultationKind })}
        >
          {CONSULTATION_KINDS.map((kind) => (
            <option key={kind} value={kind} lang="zh-CN">
              {kindLabel(kind)}
            </option>
          ))}
        </select>
      </div>
      <div class="check">
        <input
          id="consultation-business"
          type="checkbox"
          checked={values.concernsBusiness}
          onChange={(event) => set({ concernsBusiness: event.currentTarget.checked })}
        />{' '}
        <label for="consultation-business">{t('consultations.field.business')}</label>
      </div>
      {text('draftingUnit', 'consultations.field.unit', { required: true, maxLength: 100 })}
      {text('startDay', 'consultations.field.start', { required: true, type: 'date' })}
      {text('endDay', 'consultations.field.end', { required: true, type: 'date' })}
      <PeriodNote period={period ?? initial?.period ?? null} />
      {HTML_FIELDS.map(([key, id, label, toolbar]) => (
        <HtmlField
          key={key}
          id={id}
          label={label}
          toolbar={toolbar}
          html={values[key]}
          onHtml={(html) => set({ [key]: html })}
        />
      ))}
      {text('contactName', 'consultations.field.contactName', { required: true, maxLength: 40 })}
      {text('contactPhone', 'consultations.field.contactPhone', { required: true, maxLength: 30, type: 'tel' })}
      {text('contactEmail', 'consultations.field.contactEmail', { maxLength: 100, type: 'email' })}
      <TextArea
        id="consultation-otherWays"
        label={t('consultations.field.otherWays')}
        value={values.otherWays}
        onValue={(otherWays) => set({ otherWays })}
      />
      <div class="check">
        <input
          id="consultation-showComments"
          type="checkbox"
          checked={values.showComments}
          onChange={(event) => set({ showComments: event.currentTarget.checked })}
        />{' '}
        <label for="consultation-showComments">{t('consultations.field.showComments')}</label>
      </div>
      <AlertText error={error} id="consultation-form-error" />
      <button type="submit" id="consultation-save" disabled={busy}>
        {t('consultations.save')}
      </button>
    </form>
  );
}

function Attachments({ c, onChanged }: { c: ConsultationDetail; onChanged: (c: ConsultationDetail) => void }) {
  const [error, setError] = useState<unknown>(null);
  const upload = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    setError(null);
    try {
      onChanged(await api.upload<ConsultationDetail>(`/api/v1/consultations/${c.id}/attachments`, new FormData(form)));
      form.reset();
    } catch (failure) {
      setError(failure);
    }
  };
  const remove = async (id: number) => {
    setError(null);
    try {
      onChanged(await api.del<ConsultationDetail>(`/api/v1/consultations/${c.id}/attachments/${id}`));
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <section aria-labelledby="consultation-attachments-title">
      <h2 id="consultation-attachments-title">{t('consultations.attachments')}</h2>
      <ul>
        {c.attachments.map((a) => (
          <li key={a.id}>
            <a
              href={a.url}
              download={a.fileName}
              onClick={(event) => {
                // Through fetch, so that the back office's chosen site goes with it (X-Gazette-Site).
                if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
                event.preventDefault();
                download(a.url, a.fileName).catch((failure: unknown) => setError(failure));
              }}
            >
              {a.fileName}
            </a>{' '}
            <button type="button" class="small" onClick={() => void remove(a.id)}>
              {t('consultations.remove')}
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={(event) => void upload(event)}>
        <div class="field">
          <label for="consultation-file">{t('consultations.attachFile')}</label>
          <input id="consultation-file" name="file" type="file" required />
        </div>
        <button type="submit" id="consultation-attach">
          {t('consultations.attach')}
        </button>
      </form>
      <AlertText error={error} id="consultation-attach-error" />
    </section>
  );
}

export function ConsultationScreen({ id }: { id: number | null }) {
  const loaded = useLoad(
    () => (id === null ? Promise.resolve(null) : api.get<ConsultationDetail>(`/api/v1/consultations/${id}`)),
    [id],
  );
  const [current, setCurrent] = useState<ConsultationDetail | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<unknown>(null);
  const c = current ?? loaded.data;
  const step = async (path: string, done: MessageKey) => {
    if (!c) return;
    setError(null);
    try {
      setCurrent(await api.post<ConsultationDetail>(`/api/v1/consultations/${c.id}/${path}`));
      setStatus(t(done));
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <>
      <ScreenTitle title={c ? t('consultations.titleEdit', { title: c.title }) : t('consultations.titleNew')} />
      <p>
        <Link to="/consultations">{t('consultations.back')}</Link>
      </p>
      {id !== null && !c ? <Loading loading={loaded.loading} error={loaded.error} /> : null}
      {c ? (
        <p class="consultation-state">
          <span id="consultation-phase" lang="zh-CN">
            {phaseLabel(c.phase)}
          </span>{' '}
          {c.phase === 'draft' || c.phase === 'withdrawn' ? (
            <button
              type="button"
              id="consultation-publish"
              onClick={() => void step('publish', 'consultations.published')}
            >
              {t('consultations.publish')}
            </button>
          ) : (
            <>
              <a href={c.url}>{t('consultations.view')}</a>{' '}
              <button
                type="button"
                id="consultation-withdraw"
                onClick={() => void step('withdraw', 'consultations.withdrawn')}
              >
                {t('consultations.withdraw')}
              </button>
            </>
          )}
        </p>
      ) : null}
      <StatusText text={status} id="consultation-status" />
      <AlertText error={error} id="consultation-error" />
      {id === null || c ? (
        <ConsultationForm
          key={c?.updatedAt ?? 'new'}
          initial={c}
          onSaved={(saved) => {
            setCurrent(saved);
            setStatus(t('consultations.saved'));
            if (id === null) navigate(`/consultations/${saved.id}`, { replace: true, keepScreen: true });
          }}
        />
      ) : null}
      {c ? <Attachments c={c} onChanged={setCurrent} /> : null}
      {c && c.phase !== 'draft' ? <ConsultationComments c={c} onChanged={setCurrent} /> : null}
    </>
  );
}
