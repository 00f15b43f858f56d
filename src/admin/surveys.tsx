// 网上调查: the site's surveys with their phase and answers; each opens in the editor (its
// questions, publish, withdraw) or its results. The office's screen (permission survey.manage).
import { api } from './api';
import { useLoad } from './hooks';
import { t, type MessageKey } from './i18n';
import { Link } from './router';
import { DataTable, Loading, ScreenTitle } from './ui';

// --- The API's shapes (src/services/surveys/views.ts is the source) ---------------------------------

export type SurveyPhase = 'draft' | 'upcoming' | 'open' | 'closed' | 'withdrawn';
export type QuestionKind = 'single' | 'multiple' | 'text';

export interface SurveyRow {
  id: number;
  title: string;
  startDay: string;
  endDay: string;
  respondentRule: 'phone' | 'address';
  resultsPublic: boolean;
  phase: SurveyPhase;
  respondents: number;
}

export interface SurveyQuestion {
  id?: number;
  kind: QuestionKind;
  title: string;
  required: boolean;
  options: string[];
  minPicks: number | null;
  maxPicks: number | null;
}

export interface SurveyDetail extends SurveyRow {
  status: 'draft' | 'published' | 'withdrawn';
  descriptionHtml: string;
  questions: SurveyQuestion[];
  questionsFrozen: boolean;
}

export const phaseName = (phase: SurveyPhase) => t(`surveys.phase.${phase}` as MessageKey);

export function SurveysScreen() {
  const { data, loading, error } = useLoad(() => api.get<{ items: SurveyRow[] }>('/api/v1/surveys'), []);
  return (
    <section aria-labelledby="screen-title">
      <ScreenTitle title={t('surveys.title')} />
      <p>
        <Link to="/surveys/new" class="button">
          {t('surveys.new')}
        </Link>
      </p>
      <Loading loading={loading} error={error} />
      {data && data.items.length === 0 ? <p>{t('surveys.none')}</p> : null}
      {data && data.items.length > 0 ? (
        <DataTable
          caption={t('surveys.caption')}
          columns={[
            t('surveys.col.title'),
            t('surveys.col.phase'),
            t('surveys.col.period'),
            t('surveys.col.respondents'),
            t('surveys.col.actions'),
          ]}
        >
          {data.items.map((s) => (
            <tr key={s.id}>
              <td>{s.title}</td>
              <td>{phaseName(s.phase)}</td>
              <td>{t('surveys.period', { start: s.startDay, end: s.endDay })}</td>
              <td>{s.respondents}</td>
              <td>
                <Link to={`/surveys/${s.id}`} aria-label={`${t('surveys.edit')} ${s.title}`}>
                  {t('surveys.edit')}
                </Link>{' '}
                <Link to={`/surveys/${s.id}/results`} aria-label={`${t('surveys.results')} ${s.title}`}>
                  {t('surveys.results')}
                </Link>
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </section>
  );
}
