// One request for government information: what was asked, its statutory clock (received, due,
// stopped for a third party, extended), the applicant (read only on request, audited), the reply
// document, a form for each step the server allows this user now, and the steps taken so far.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import {
  INFO_REQUEST_STEPS,
  OUTCOME_GROUPS,
  OUTCOMES_WHILE_CORRECTING,
  type InfoRequestStep,
} from '../domain/info-requests';
import { api, ApiError, chosenSite } from './api';
import { can, useApp } from './context';
import { useBusy, useLoad } from './hooks';
import { t, type MessageKey } from './i18n';
import {
  ClockRemark,
  OfficeOnly,
  RequestStatusText,
  applicantClassLabel,
  isOfficeOnly,
  outcomeLabel,
  remainingWords,
  requestStatusLabel,
  requestStepLabel,
  type Applicant,
  type InfoRequestDetail,
  type InfoRequestStepInput,
} from './info-requests';
import { Link } from './router';
import { formatDateTime, formatSize } from './time';
import { AlertText, DataTable, Field, Loading, RequiredMark, ScreenTitle, StatusText, focusLater } from './ui';
import { UploadForm } from './upload-form';

interface Item {
  id: string;
  label: string;
  value: ComponentChildren;
}

function MetaList({ items, prefix }: { items: Item[]; prefix: string }) {
  return (
    <dl class="letter-meta">
      {items.map((item) => (
        <div key={item.id}>
          <dt>{item.label}</dt>
          <dd id={`${prefix}-${item.id}`}>{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}

function RequestAbout({ request }: { request: InfoRequestDetail }) {
  const { site } = useApp();
  const items: Item[] = [
    { id: 'query-code', label: t('infoRequests.queryCode'), value: request.queryCode },
    { id: 'class', label: t('infoRequests.col.class'), value: applicantClassLabel(request.applicantClass) },
    {
      id: 'submitted',
      label: t('infoRequests.submittedAt'),
      value: formatDateTime(request.submittedAt, site.timeZone),
    },
    { id: 'document-no', label: t('infoRequests.documentNo'), value: request.documentNo || '—' },
    { id: 'purpose', label: t('infoRequests.purpose'), value: request.purpose || '—' },
    { id: 'delivery-form', label: t('infoRequests.deliveryForm'), value: request.deliveryForm },
    { id: 'delivery-way', label: t('infoRequests.deliveryWay'), value: request.deliveryWay },
  ];
  return (
    <section class="panel" aria-labelledby="info-request-about-title">
      <h2 id="info-request-about-title">{t('infoRequests.about')}</h2>
      <MetaList items={items} prefix="info-request" />
      <h3 id="info-request-description-title">{t('infoRequests.col.description')}</h3>
      <p class="letter-body" id="info-request-description" lang="zh-CN">
        {request.description}
      </p>
    </section>
  );
}

/** 2025-12-29（剩 20 个工作日）; the day alone once no clock runs; — before receipt is confirmed. */
function DueDay({ request }: { request: InfoRequestDetail }) {
  const words = remainingWords(request, true);
  if (request.dueDay === null) return <>—</>;
  if (words === null || request.remainingWorkingDays === null) return <>{request.dueDay}</>;
  return (
    <ClockRemark left={request.remainingWorkingDays}>
      {t('infoRequests.withRemark', { day: request.dueDay, rest: words })}
    </ClockRemark>
  );
}

function RequestClock({ request }: { request: InfoRequestDetail }) {
  const items: Item[] = [
    { id: 'status', label: t('infoRequests.col.status'), value: <RequestStatusText status={request.status} /> },
    { id: 'received', label: t('infoRequests.receivedDay'), value: request.receivedDay ?? '—' },
    { id: 'clock-start', label: t('infoRequests.clockStartDay'), value: request.clockStartDay ?? '—' },
    { id: 'due', label: t('infoRequests.dueDay'), value: <DueDay request={request} /> },
  ];
  if (request.pausedSince !== null)
    items.push(
      { id: 'paused', label: t('infoRequests.pausedSince'), value: request.pausedSince },
      { id: 'third-party-due', label: t('infoRequests.thirdPartyDue'), value: request.thirdPartyDueDay ?? '—' },
    );
  items.push({
    id: 'extension',
    label: t('infoRequests.extension'),
    value:
      request.extensionDays > 0 ? t('infoRequests.days', { n: request.extensionDays }) : t('infoRequests.notExtended'),
  });
  if (request.extensionReason)
    items.push({ id: 'extension-reason', label: t('infoRequests.extensionReason'), value: request.extensionReason });
  items.push(
    {
      id: 'correction-asked',
      label: t('infoRequests.correctionAsked'),
      value: request.correctionAsked ? t('infoRequests.yes') : t('infoRequests.no'),
    },
    {
      id: 'outcome',
      label: t('infoRequests.outcome'),
      value: request.outcome ? <span lang="zh-CN">{request.outcomeName ?? outcomeLabel(request.outcome)}</span> : '—',
    },
    { id: 'answered', label: t('infoRequests.answeredDay'), value: request.answeredDay ?? '—' },
  );
  return (
    <section class="panel" aria-labelledby="info-request-clock-title">
      <h2 id="info-request-clock-title">{t('infoRequests.clock')}</h2>
      <MetaList items={items} prefix="info-request" />
    </section>
  );
}

const APPLICANT_FIELDS: readonly (keyof Applicant)[] = [
  'name',
  'idType',
  'idNumber',
  'legalRepresentative',
  'contactName',
  'phone',
  'email',
  'address',
  'postcode',
];

/** The applicant's identity and contact: asked for only on 查看, every reading audited; forgotten on 隐藏. */
function ApplicantSection({ id }: { id: number }) {
  const [applicant, setApplicant] = useState<Applicant | null>(null);
  const { busy, error, run } = useBusy();
  const show = async () => {
    const data = await run(() => api.get<Applicant>(`/api/v1/info-requests/${id}/applicant`));
    if (data) {
      setApplicant(data);
      focusLater('info-request-applicant-hide');
    }
  };
  return (
    <section class="panel" aria-labelledby="info-request-applicant-title">
      <h2 id="info-request-applicant-title">{t('infoRequests.applicant')}</h2>
      <p class="hint spaced" id="info-request-applicant-hint">
        {t('infoRequests.applicantHint')}
      </p>
      {applicant ? (
        <>
          <dl class="letter-meta" id="info-request-applicant">
            {APPLICANT_FIELDS.map((field) => (
              <div key={field}>
                <dt>{t(`infoRequests.applicant.${field}` as MessageKey)}</dt>
                <dd>{applicant[field] || '—'}</dd>
              </div>
            ))}
          </dl>
          <button
            type="button"
            id="info-request-applicant-hide"
            onClick={() => {
              setApplicant(null);
              focusLater('info-request-applicant-show');
            }}
          >
            {t('infoRequests.applicantHide')}
          </button>
        </>
      ) : (
        <button
          type="button"
          id="info-request-applicant-show"
          aria-describedby="info-request-applicant-hint"
          disabled={busy}
          onClick={() => void show()}
        >
          {t('infoRequests.applicantShow')}
        </button>
      )}
      <AlertText id="info-request-applicant-error" error={error} />
    </section>
  );
}

async function failureOf(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => null)) as {
    code?: unknown;
    message?: unknown;
    messageEn?: unknown;
  } | null;
  const message = typeof body?.message === 'string' ? body.message : `服务器返回错误（${response.status}）`;
  const messageEn =
    typeof body?.messageEn === 'string' ? body.messageEn : `The server answered with an error (${response.status})`;
  return new ApiError(response.status, typeof body?.code === 'string' ? body.code : 'HTTP_ERROR', message, messageEn);
}

/**
 * Saves the document through fetch, so the site chosen in the switcher goes with it (a plain link
 * would name the address's own site); the link's href still serves "open in new tab".
 */
export async function download(path: string, fileName: string): Promise<void> {
  const headers: Record<string, string> = {};
  const site = chosenSite();
  if (site !== null) headers['X-Gazette-Site'] = String(site);
  let response: Response;
  try {
    response = await fetch(path, { headers, credentials: 'same-origin' });
  } catch {
    throw new ApiError(
      0,
      'NETWORK',
      '无法连接服务器，请检查网络后重试',
      'Cannot reach the server. Check the network and try again',
    );
  }
  if (!response.ok) throw await failureOf(response);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  // The server's name wins: a writer's file is listed as 附件1 and named only by its (audited) download.
  const named = /filename\*=UTF-8''([^;]+)/.exec(response.headers.get('content-disposition') ?? '')?.[1];
  link.download = named ? decodeURIComponent(named) : fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function ReplyDocumentSection({
  request,
  onUploaded,
}: {
  request: InfoRequestDetail;
  onUploaded: (next: InfoRequestDetail) => void;
}) {
  const { session, site } = useApp();
  const fetching = useBusy();
  const path = `/api/v1/info-requests/${request.id}/reply-document`;
  const reply = request.replyDocument;
  const mayUpload = request.status !== 'answered' && can(session, 'case.screen');
  const send = async (form: FormData, chosen: File) => {
    const next = await api.put<InfoRequestDetail>(path, form);
    onUploaded(next);
    return t('infoRequests.uploaded', { name: next.replyDocument?.fileName ?? chosen.name });
  };
  return (
    <section class="panel" aria-labelledby="info-request-document-title">
      <h2 id="info-request-document-title">{t('infoRequests.document')}</h2>
      {reply ? (
        <p id="info-request-document">
          <a
            href={path}
            download={reply.fileName}
            onClick={(event) => {
              if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
              event.preventDefault();
              void fetching.run(() => download(path, reply.fileName));
            }}
          >
            {reply.fileName}
          </a>{' '}
          <span class="meta">
            {t('infoRequests.documentInfo', {
              size: formatSize(reply.size),
              by: reply.uploadedBy,
              at: formatDateTime(reply.uploadedAt, site.timeZone),
            })}
          </span>
        </p>
      ) : (
        <p class="empty" id="info-request-document">
          {t('infoRequests.noDocument')}
        </p>
      )}
      <AlertText id="info-request-download-error" error={fetching.error} />
      {mayUpload ? (
        <UploadForm
          id="info-request"
          label={t('infoRequests.file')}
          hint={t('infoRequests.fileHint')}
          accept=".pdf,.ofd,.doc,.docx,.xls,.xlsx,.zip"
          button={t('infoRequests.upload')}
          missing={t('infoRequests.fileMissing')}
          send={send}
        />
      ) : null}
    </section>
  );
}

// --- The steps ---------------------------------------------------------------------------------------

interface StepProps {
  request: InfoRequestDetail;
  take: (step: InfoRequestStep, input: InfoRequestStepInput) => Promise<void>;
  busy: boolean;
  /** The API's refusal of this form's last attempt, shown beside it. */
  error: unknown;
}

function StepShell({
  step,
  busy,
  error,
  onSubmit,
  children,
}: {
  step: InfoRequestStep;
  busy: boolean;
  error: unknown;
  onSubmit: () => void;
  children?: ComponentChildren;
}) {
  return (
    <form
      class="step-form"
      aria-labelledby={`step-${step}-title`}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      <h3 id={`step-${step}-title`}>{requestStepLabel(step)}</h3>
      {children}
      <button type="submit" class="primary" id={`step-${step}`} disabled={busy}>
        {requestStepLabel(step)}
      </button>
      <AlertText id={`step-${step}-error`} error={error} />
    </form>
  );
}

/** A textarea with its label and a hint tied to it (aria-describedby). */
function NoteField({
  id,
  label,
  hint,
  value,
  onValue,
  required,
}: {
  id: string;
  label: string;
  hint?: string;
  value: string;
  onValue: (value: string) => void;
  required?: boolean;
}) {
  return (
    <div class="field">
      <label for={id}>
        {label}
        {required ? <RequiredMark /> : null}
      </label>
      <textarea
        id={id}
        name={id}
        rows={2}
        maxLength={2000}
        required={required}
        aria-describedby={hint ? `${id}-hint` : undefined}
        value={value}
        onInput={(event) => onValue(event.currentTarget.value)}
      />
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

const withNote = (note: string): InfoRequestStepInput => (note.trim() ? { note: note.trim() } : {});

/** 确认收到 and 收到补正: the day it happened, today when left empty. */
function DayStep({ step, take, busy, error }: StepProps & { step: 'confirm' | 'corrected' }) {
  const [day, setDay] = useState('');
  const [label, hint]: [MessageKey, MessageKey] =
    step === 'confirm'
      ? ['infoRequests.confirmDay', 'infoRequests.confirmHint']
      : ['infoRequests.correctedDay', 'infoRequests.correctedHint'];
  return (
    <StepShell step={step} busy={busy} error={error} onSubmit={() => void take(step, day ? { day } : {})}>
      <Field id={`step-${step}-day`} type="date" label={t(label)} hint={t(hint)} value={day} onValue={setDay} />
    </StepShell>
  );
}

const NOTE_STEPS = {
  'ask-correction': { label: 'infoRequests.correctionNote', hint: 'infoRequests.correctionHint', required: true },
  consult: { label: 'infoRequests.consultNote', hint: 'infoRequests.consultHint', required: false },
  consulted: { label: 'infoRequests.consultedNote', hint: undefined, required: false },
} as const satisfies Record<string, { label: MessageKey; hint: MessageKey | undefined; required: boolean }>;

function NoteStep({ step, take, busy, error }: StepProps & { step: keyof typeof NOTE_STEPS }) {
  const [note, setNote] = useState('');
  const { label, hint, required } = NOTE_STEPS[step];
  return (
    <StepShell step={step} busy={busy} error={error} onSubmit={() => void take(step, withNote(note))}>
      <NoteField
        id={`step-${step}-note`}
        label={t(label)}
        hint={hint && t(hint)}
        value={note}
        onValue={setNote}
        required={required}
      />
    </StepShell>
  );
}

function ExtendStep({ take, busy, error }: StepProps) {
  const [days, setDays] = useState('');
  const [note, setNote] = useState('');
  const submit = () => {
    const count = /^\d{1,3}$/.test(days.trim()) ? Number(days.trim()) : undefined;
    void take('extend', { ...withNote(note), ...(count !== undefined && { days: count }) });
  };
  return (
    <StepShell step="extend" busy={busy} error={error} onSubmit={submit}>
      <Field
        id="step-extend-days"
        type="number"
        inputMode="numeric"
        min={1}
        max={20}
        step={1}
        required
        label={t('infoRequests.extendDays')}
        hint={t('infoRequests.extendHint')}
        value={days}
        onValue={setDays}
      />
      <NoteField id="step-extend-note" label={t('infoRequests.extendNote')} value={note} onValue={setNote} required />
    </StepShell>
  );
}

/** 答复: the outcome, grouped as the annual report's table groups it; while 待补正 only the two that close it. */
function AnswerStep({ request, take, busy, error }: StepProps) {
  const [outcome, setOutcome] = useState('');
  const [note, setNote] = useState('');
  const offered = (code: string) => request.status !== 'correcting' || OUTCOMES_WHILE_CORRECTING.includes(code);
  const groups = OUTCOME_GROUPS.map((group) => ({
    label: group.label,
    options:
      group.reasons.length === 0
        ? [{ code: group.group, name: outcomeLabel(group.group) }]
        : group.reasons.map((reason, i) => ({ code: `${group.group}-${i + 1}`, name: reason })),
  }))
    .map((group) => ({ ...group, options: group.options.filter((option) => offered(option.code)) }))
    .filter((group) => group.options.length > 0);
  return (
    <StepShell
      step="answer"
      busy={busy}
      error={error}
      onSubmit={() => void take('answer', { ...withNote(note), ...(outcome && { outcome }) })}
    >
      <div class="field">
        <label for="step-answer-outcome">
          {t('infoRequests.outcomeField')}
          <RequiredMark />
        </label>
        <select
          id="step-answer-outcome"
          name="outcome"
          required
          aria-describedby="step-answer-outcome-hint"
          value={outcome}
          onChange={(event) => setOutcome(event.currentTarget.value)}
        >
          <option value="">—</option>
          {groups.map((group) => (
            <optgroup key={group.label} label={group.label} lang="zh-CN">
              {group.options.map((option) => (
                <option key={option.code} value={option.code}>
                  {option.name}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        <p class="hint" id="step-answer-outcome-hint">
          {t('infoRequests.outcomeHint')}
        </p>
      </div>
      <NoteField id="step-answer-note" label={t('infoRequests.answerNote')} value={note} onValue={setNote} />
    </StepShell>
  );
}

function StepForm({ step, ...props }: StepProps & { step: InfoRequestStep }) {
  switch (step) {
    case 'confirm':
    case 'corrected':
      return <DayStep {...props} step={step} />;
    case 'ask-correction':
    case 'consult':
    case 'consulted':
      return <NoteStep {...props} step={step} />;
    case 'extend':
      return <ExtendStep {...props} />;
    case 'answer':
      return <AnswerStep {...props} />;
  }
}

function RequestActions({
  request,
  onDone,
}: {
  request: InfoRequestDetail;
  onDone: (next: InfoRequestDetail, step: InfoRequestStep) => void;
}) {
  const { busy, error, run } = useBusy();
  const [tried, setTried] = useState<InfoRequestStep | null>(null);
  const steps = INFO_REQUEST_STEPS.filter((step) => request.allowedSteps.includes(step));
  const take = async (step: InfoRequestStep, input: InfoRequestStepInput) => {
    setTried(step);
    const next = await run(() => api.post<InfoRequestDetail>(`/api/v1/info-requests/${request.id}/${step}`, input));
    if (next) onDone(next, step);
  };
  return (
    <section class="panel" aria-labelledby="info-request-actions-title">
      <h2 id="info-request-actions-title" tabIndex={-1}>
        {t('infoRequests.actions')}
      </h2>
      {steps.length === 0 ? <p class="empty">{t('infoRequests.noActions')}</p> : null}
      {steps.map((step) => (
        <StepForm
          key={step}
          step={step}
          request={request}
          take={take}
          busy={busy}
          error={tried === step ? error : null}
        />
      ))}
    </section>
  );
}

function RequestHistory({ request }: { request: InfoRequestDetail }) {
  const { site } = useApp();
  return (
    <section aria-labelledby="info-request-steps-title">
      <h2 id="info-request-steps-title">{t('infoRequests.steps')}</h2>
      <DataTable
        caption={t('infoRequests.steps')}
        class="info-request-steps"
        columns={[
          t('infoRequests.col.at'),
          t('infoRequests.col.step'),
          t('infoRequests.col.change'),
          t('infoRequests.col.actor'),
          t('infoRequests.col.note'),
          t('infoRequests.col.due'),
        ]}
      >
        {request.steps.map((step, index) => (
          <tr key={index}>
            <td>{formatDateTime(step.at, site.timeZone)}</td>
            <td>{requestStepLabel(step.step, step.name)}</td>
            <td>
              {step.fromStatus ? `${requestStatusLabel(step.fromStatus)} → ` : ''}
              {requestStatusLabel(step.toStatus)}
            </td>
            <td>{step.actorName}</td>
            <td class="letter-note" lang="zh-CN">
              {step.note}
            </td>
            <td>{step.dueDay ?? ''}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}

export function InfoRequestScreen({ id }: { id: number }) {
  const { session } = useApp();
  const loaded = useLoad(() => api.get<InfoRequestDetail>(`/api/v1/info-requests/${id}`), [id]);
  const [changed, setChanged] = useState<InfoRequestDetail | null>(null);
  const [done, setDone] = useState<{ step: InfoRequestStep; status: InfoRequestDetail['status'] } | null>(null);
  const request = changed ?? loaded.data;
  const onDone = (next: InfoRequestDetail, step: InfoRequestStep) => {
    setChanged(next);
    setDone({ step, status: next.status });
    focusLater('info-request-actions-title');
  };
  const officeOnly = isOfficeOnly(loaded.error);
  return (
    <>
      <ScreenTitle title={request ? t('infoRequests.title', { code: request.queryCode }) : t('nav.infoRequests')} />
      <p>
        <Link to="/info-requests">{t('infoRequests.back')}</Link>
      </p>
      <StatusText
        id="info-request-step-status"
        text={
          done
            ? t('infoRequests.done', { step: requestStepLabel(done.step), status: requestStatusLabel(done.status) })
            : ''
        }
      />
      {officeOnly ? <OfficeOnly /> : <Loading loading={loaded.loading} error={loaded.error} />}
      {request ? (
        <>
          <RequestClock request={request} />
          <RequestAbout request={request} />
          {can(session, 'case.personal') ? <ApplicantSection id={request.id} /> : null}
          <ReplyDocumentSection request={request} onUploaded={setChanged} />
          <RequestActions key={`${request.status}-${request.steps.length}`} request={request} onDone={onDone} />
          <RequestHistory request={request} />
        </>
      ) : null}
    </>
  );
}
