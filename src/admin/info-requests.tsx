// 依申请公开: the site's requests for government information, open ones by due day first, by
// status, with the statutory clock in working days and the outcome once answered. The requests
// are the office's (its 信息公开工作机构): a handler-only account is told so instead of a list.
import {
  APPLICANT_CLASS_NAMES,
  INFO_REQUEST_STATUSES,
  INFO_REQUEST_STATUS_NAMES,
  INFO_REQUEST_STEP_NAMES,
  outcomeName,
  type ApplicantClass,
  type InfoRequestStatus,
  type InfoRequestStep,
} from '../domain/info-requests';
import { ApiError } from './api';
import { useStatusPage } from './hooks';
import { getLang, t } from './i18n';
import { Link } from './router';
import { DataTable, Loading, Pagination, ScreenTitle } from './ui';

// --- The API's shapes (src/services/cases/info-request-views.ts is the source) ---------------------

export interface InfoRequestRow {
  id: number;
  siteId: number;
  queryCode: string;
  applicantClass: ApplicantClass;
  description: string;
  status: InfoRequestStatus;
  submittedAt: string;
  receivedDay: string | null;
  clockStartDay: string | null;
  dueDay: string | null;
  pausedSince: string | null;
  thirdPartyDueDay: string | null;
  extensionDays: number;
  extensionReason: string | null;
  /** Negative: late by that many; null: no clock runs. */
  remainingWorkingDays: number | null;
  outcome: string | null;
  answeredDay: string | null;
}

export interface InfoRequestStepRecord {
  step: string;
  name: string;
  fromStatus: InfoRequestStatus | null;
  toStatus: InfoRequestStatus;
  actorName: string;
  note: string;
  dueDay: string | null;
  at: string;
}

export interface ReplyDocumentInfo {
  fileName: string;
  mimeType: string;
  size: number;
  sha256: string;
  uploadedBy: string;
  uploadedAt: string;
}

export interface InfoRequestDetail extends InfoRequestRow {
  documentNo: string;
  purpose: string;
  deliveryForm: string;
  deliveryWay: string;
  correctionAsked: boolean;
  outcomeName: string | null;
  replyDocument: ReplyDocumentInfo | null;
  steps: InfoRequestStepRecord[];
  /** What this user may do now: the screen offers exactly these. */
  allowedSteps: string[];
}

export interface InfoRequestStepInput {
  note?: string;
  day?: string;
  days?: number;
  outcome?: string;
}

export interface Applicant {
  name: string;
  idType: string;
  idNumber: string;
  legalRepresentative: string;
  contactName: string;
  phone: string;
  email: string;
  address: string;
  postcode: string;
}

// --- Names -------------------------------------------------------------------------------------------

function inLang(pair: { zh: string; en: string }): string {
  return getLang() === 'en' ? pair.en : pair.zh;
}

export function requestStatusLabel(status: InfoRequestStatus): string {
  return inLang(INFO_REQUEST_STATUS_NAMES[status]);
}

export function applicantClassLabel(applicantClass: ApplicantClass): string {
  return inLang(APPLICANT_CLASS_NAMES[applicantClass]);
}

/** A step's name; one the back office does not know is shown as the server named it. */
export function requestStepLabel(step: string, serverName = step): string {
  const names = INFO_REQUEST_STEP_NAMES as Readonly<Record<string, { zh: string; en: string } | undefined>>;
  const pair = names[step];
  return pair ? inLang(pair) : serverName;
}

export function isRequestStep(step: string): step is InfoRequestStep {
  return step !== 'submit' && step in INFO_REQUEST_STEP_NAMES;
}

/**
 * An outcome as the annual report's table names it (部分公开, 不予公开 · 属于国家秘密); kept in
 * Chinese in both languages, the words of the report.
 */
export const outcomeLabel: (code: string) => string = outcomeName;

/** The status as a badge, in the colours of the letters' (waiting, running, done). */
const BADGE: Readonly<Record<InfoRequestStatus, string>> = {
  submitted: 'letter-received',
  processing: 'letter-assigned',
  correcting: 'letter-received',
  consulting: 'letter-received',
  answered: 'letter-answered',
};

export function RequestStatusText({ status }: { status: InfoRequestStatus }) {
  return <span class={`badge ${BADGE[status]}`}>{requestStatusLabel(status)}</span>;
}

/**
 * 12 个工作日 (剩 12 个工作日 `after` a due day), 今天到期, 超期 3 个工作日, with 暂停计时 while a
 * third party is consulted; null when no clock runs.
 */
export function remainingWords(request: InfoRequestRow, after = false): string | null {
  const left = request.remainingWorkingDays;
  if (left === null) return null;
  const words =
    left < 0
      ? t('infoRequests.late', { n: -left })
      : left === 0
        ? t('infoRequests.dueToday')
        : t(after ? 'infoRequests.remaining' : 'infoRequests.days', { n: left });
  return request.pausedSince !== null ? t('infoRequests.paused', { rest: words }) : words;
}

/** Text about the clock, marked late in words and with a sign, not colour alone. */
export function ClockRemark({ left, children }: { left: number; children: string }) {
  if (left < 0)
    return (
      <span class="due-late">
        <span aria-hidden="true">⚠ </span>
        {children}
      </span>
    );
  return <span class={left <= 1 ? 'due-soon' : undefined}>{children}</span>;
}

/** The working days left, for the list's column; — with no clock. */
export function RemainingText({ request }: { request: InfoRequestRow }) {
  const words = remainingWords(request);
  if (words === null || request.remainingWorkingDays === null) return <>—</>;
  return <ClockRemark left={request.remainingWorkingDays}>{words}</ClockRemark>;
}

/** True for a 403: the reader holds case.read only as a handler, and the requests are the office's. */
export function isOfficeOnly(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403 && error.code === 'PERMISSION_DENIED';
}

export function OfficeOnly() {
  return (
    <p class="notice" id="info-requests-office-only">
      {t('infoRequests.officeOnly')}
    </p>
  );
}

// --- The list ----------------------------------------------------------------------------------------

function StatusTabs({
  status,
  onStatus,
}: {
  status: InfoRequestStatus | '';
  onStatus: (s: InfoRequestStatus | '') => void;
}) {
  const choices: (InfoRequestStatus | '')[] = ['', ...INFO_REQUEST_STATUSES];
  return (
    <div class="status-tabs" role="group" aria-label={t('infoRequests.filterStatus')}>
      {choices.map((choice) => (
        <button
          key={choice || 'all'}
          type="button"
          id={`info-requests-tab-${choice || 'all'}`}
          aria-pressed={choice === status}
          onClick={() => onStatus(choice)}
        >
          {choice ? requestStatusLabel(choice) : t('common.all')}
        </button>
      ))}
    </div>
  );
}

function RequestTable({ items, caption }: { items: InfoRequestRow[]; caption: string }) {
  return (
    <DataTable
      caption={caption}
      class="info-requests-table"
      columns={[
        t('infoRequests.col.queryCode'),
        t('infoRequests.col.class'),
        t('infoRequests.col.description'),
        t('infoRequests.col.status'),
        t('infoRequests.col.received'),
        t('infoRequests.col.due'),
        t('infoRequests.col.remaining'),
        t('infoRequests.col.outcome'),
      ]}
    >
      {items.map((request) => (
        <tr
          key={request.id}
          class={request.remainingWorkingDays !== null && request.remainingWorkingDays < 0 ? 'late' : undefined}
        >
          <th scope="row">
            <Link to={`/info-requests/${request.id}`}>{request.queryCode}</Link>
          </th>
          <td>{applicantClassLabel(request.applicantClass)}</td>
          <td class="letter-note" lang="zh-CN">
            {request.description}
          </td>
          <td>
            <RequestStatusText status={request.status} />
          </td>
          <td>{request.receivedDay ?? '—'}</td>
          <td>{request.dueDay ?? '—'}</td>
          <td>
            <RemainingText request={request} />
          </td>
          <td lang="zh-CN">{request.outcome ? outcomeLabel(request.outcome) : '—'}</td>
        </tr>
      ))}
    </DataTable>
  );
}

export function InfoRequestsScreen() {
  const { status, chooseStatus, setPage, list } = useStatusPage<InfoRequestStatus, InfoRequestRow>(
    '/api/v1/info-requests',
  );
  const chosen = status ? requestStatusLabel(status) : t('common.all');
  const officeOnly = isOfficeOnly(list.error);
  return (
    <>
      <ScreenTitle title={t('nav.infoRequests')} />
      {officeOnly ? (
        <OfficeOnly />
      ) : (
        <>
          <StatusTabs status={status} onStatus={chooseStatus} />
          <Loading loading={list.loading} error={list.error} />
          {list.data && list.data.items.length === 0 ? <p class="empty">{t('infoRequests.none')}</p> : null}
          {list.data && list.data.items.length > 0 ? (
            <>
              <RequestTable items={list.data.items} caption={t('infoRequests.caption', { status: chosen })} />
              <Pagination
                page={list.data.page}
                pageSize={list.data.pageSize}
                total={list.data.total}
                onPage={setPage}
              />
            </>
          ) : null}
        </>
      )}
    </>
  );
}
