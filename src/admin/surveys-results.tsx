// 网上调查's results in the back office, while the survey is open too: per question a chart
// (ECharts, lazy chunk) and its table, the free-text answers (masked), and the CSV export.
import { api } from './api';
import { useLoad } from './hooks';
import { t } from './i18n';
import { lazy } from './lazy';
import { Link } from './router';
import { DataTable, Loading, ScreenTitle } from './ui';
import { phaseName, type QuestionKind, type SurveyPhase } from './surveys';

interface QuestionTally {
  questionId: number;
  kind: QuestionKind;
  title: string;
  answered: number;
  options: { option: number; label: string; count: number; share: number }[];
  texts: string[];
}
interface SurveyResults {
  id: number;
  title: string;
  phase: SurveyPhase;
  respondents: number;
  questions: QuestionTally[];
}

const OptionsChart = lazy(() => import('./surveys-chart').then((module) => module.OptionsChart));
const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

function QuestionResults({ q, n }: { q: QuestionTally; n: number }) {
  return (
    <section aria-labelledby={`result-q${q.questionId}`}>
      <h2 id={`result-q${q.questionId}`}>
        {n}. {q.title}（{t(`surveys.kind.${q.kind}`)}）
      </h2>
      {q.kind === 'text' ? (
        <>
          <h3>{t('surveys.texts')}</h3>
          {q.texts.length === 0 ? <p>{t('surveys.noTexts')}</p> : null}
          <ol class="survey-texts">
            {q.texts.map((text, i) => (
              <li key={i}>{text}</li>
            ))}
          </ol>
        </>
      ) : (
        <>
          <OptionsChart id={`chart-q${q.questionId}`} title={t('surveys.chart', { n })} rows={q.options} />
          <DataTable
            caption={t('surveys.tableCaption', { n, answered: q.answered })}
            columns={[t('surveys.col.option'), t('surveys.col.count'), t('surveys.col.share')]}
          >
            {q.options.map((o) => (
              <tr key={o.option}>
                <td>{o.label}</td>
                <td>{o.count}</td>
                <td>{percent(o.share)}</td>
              </tr>
            ))}
          </DataTable>
        </>
      )}
    </section>
  );
}

export function SurveyResultsScreen({ id }: { id: number }) {
  const { data, loading, error } = useLoad(() => api.get<SurveyResults>(`/api/v1/surveys/${id}/results`), [id]);
  return (
    <section aria-labelledby="screen-title">
      <ScreenTitle title={data ? t('surveys.resultsTitle', { title: data.title }) : t('surveys.results')} />
      <p>
        <Link to="/surveys">{t('surveys.back')}</Link> <Link to={`/surveys/${id}`}>{t('surveys.edit')}</Link>{' '}
        <a href={`/api/v1/surveys/${id}/results.csv`} download>
          {t('surveys.csv')}
        </a>
      </p>
      <Loading loading={loading} error={error} />
      {data ? (
        <>
          <p>
            {phaseName(data.phase)} {t('surveys.respondents', { n: data.respondents })}
          </p>
          {data.questions.map((q, index) => (
            <QuestionResults key={q.questionId} q={q} n={index + 1} />
          ))}
        </>
      ) : null}
    </section>
  );
}
