// 工作台: what needs the user's attention, each item one link away from the editor (and, for the
// letter desk, from the letter).
import { ArticleLinks } from './article-table';
import { LetterAlertsPanel } from './letter-alerts';
import { api } from './api';
import { useLoad } from './hooks';
import { t, type MessageKey } from './i18n';
import { Link } from './router';
import { can, useApp } from './context';
import type { Dashboard } from './types';
import { Loading, ScreenTitle } from './ui';

const SECTIONS: { key: keyof Dashboard; label: MessageKey }[] = [
  { key: 'myDrafts', label: 'dashboard.myDrafts' },
  { key: 'awaitingMyReview', label: 'dashboard.awaitingMyReview' },
  { key: 'awaitingPublish', label: 'dashboard.awaitingPublish' },
  { key: 'recentlyPublished', label: 'dashboard.recentlyPublished' },
];

export function DashboardScreen() {
  const { session } = useApp();
  // Security and audit administrators hold no article rights (三员分立): nothing to list for them.
  const readsArticles = can(session, 'article.read');
  // The letter desk's office and handlers (and the site administrator): the deadline alerts.
  const readsLetters = can(session, 'case.read');
  const { data, error, loading } = useLoad(
    () => (readsArticles ? api.get<Dashboard>('/api/v1/dashboard') : Promise.resolve(null)),
    [readsArticles],
  );
  return (
    <>
      <ScreenTitle title={t('nav.dashboard')} />
      {can(session, 'article.create') ? (
        <p>
          <Link to="/articles/new" class="button primary">
            {t('articles.new')}
          </Link>
        </p>
      ) : null}
      {readsLetters ? <LetterAlertsPanel /> : null}
      {readsArticles ? (
        <Loading loading={loading} error={error} />
      ) : readsLetters ? null : (
        <p>{t('dashboard.noArticles')}</p>
      )}
      {data ? (
        <div class="dashboard-grid">
          {SECTIONS.map((section) => (
            <section key={section.key} aria-labelledby={`dash-${section.key}`} class="panel">
              <h2 id={`dash-${section.key}`}>{t(section.label)}</h2>
              <ArticleLinks items={data[section.key]} />
            </section>
          ))}
        </div>
      ) : null}
    </>
  );
}
