// 意见征集: the site's consultations with their period, phase and comments still to decide; a new
// one starts as a draft. The office (互动受理) holds consultation.manage.
import {
  CONSULTATION_KIND_NAMES,
  CONSULTATION_PHASE_NAMES,
  type ConsultationKind,
  type ConsultationPhase,
} from '../domain/consultations';
import { api } from './api';
import { useLoad } from './hooks';
import { t } from './i18n';
import { Link } from './router';
import { DataTable, Loading, ScreenTitle } from './ui';

// --- The API's shapes (src/services/consultations/views.ts is the source) ------------------------

export interface ConsultationRow {
  id: number;
  title: string;
  kind: ConsultationKind;
  kindName: string;
  concernsBusiness: boolean;
  draftingUnit: string;
  startDay: string;
  endDay: string;
  phase: ConsultationPhase;
  phaseName: string;
  url: string;
  comments: number;
  undecided: number;
  feedbackPublished: boolean;
  updatedAt: string;
}

export const kindLabel = (kind: ConsultationKind) => CONSULTATION_KIND_NAMES[kind];
export const phaseLabel = (phase: ConsultationPhase) => CONSULTATION_PHASE_NAMES[phase];

export function ConsultationsScreen() {
  const list = useLoad(() => api.get<{ items: ConsultationRow[] }>('/api/v1/consultations'), []);
  return (
    <>
      <ScreenTitle title={t('nav.consultations')} />
      <p>
        <Link to="/consultations/new" class="button" id="consultation-new">
          {t('consultations.new')}
        </Link>
      </p>
      <Loading loading={list.loading} error={list.error} />
      {list.data && list.data.items.length === 0 ? <p class="empty">{t('consultations.none')}</p> : null}
      {list.data && list.data.items.length > 0 ? (
        <DataTable
          caption={t('consultations.caption')}
          class="consultations-table"
          columns={[
            t('consultations.col.title'),
            t('consultations.col.kind'),
            t('consultations.col.period'),
            t('consultations.col.phase'),
            t('consultations.col.comments'),
          ]}
        >
          {list.data.items.map((row) => (
            <tr key={row.id}>
              <th scope="row" lang="zh-CN">
                <Link to={`/consultations/${row.id}`}>{row.title}</Link>
              </th>
              <td lang="zh-CN">{kindLabel(row.kind)}</td>
              <td>{t('consultations.period', { start: row.startDay, end: row.endDay })}</td>
              <td lang="zh-CN">
                {phaseLabel(row.phase)}
                {row.feedbackPublished ? `（${t('consultations.feedbackDone')}）` : ''}
              </td>
              <td>{t('consultations.count', { total: row.comments, undecided: row.undecided })}</td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </>
  );
}
