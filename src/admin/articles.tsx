// 文章: every article the user can see, filtered by status, channel, title words and author.
import { ArticleTable } from './article-table';
import { api } from './api';
import { can, useApp } from './context';
import { useChannels, useFilters, useLoad } from './hooks';
import { t } from './i18n';
import { channelOptions, statusLabel } from './labels';
import { Link } from './router';
import { ARTICLE_STATUSES, type ArticleSummary, type Page } from './types';
import { Loading, Pagination, ScreenTitle, StatusText, msgText, usePassedMessage } from './ui';

interface Filters {
  status: string;
  channel: string;
  q: string;
  mine: boolean;
}
const EMPTY: Filters = { status: '', channel: '', q: '', mine: false };
const PAGE_SIZE = 20;

export function ArticlesScreen() {
  const { session } = useApp();
  const channels = useChannels();
  const { draft, applied, page, setPage, set, apply } = useFilters<Filters>(EMPTY);
  const passed = usePassedMessage();
  const list = useLoad(
    () => api.get<Page<ArticleSummary>>('/api/v1/articles', { ...applied, page, pageSize: PAGE_SIZE }),
    [applied, page],
  );

  return (
    <>
      <ScreenTitle title={t('nav.articles')} />
      <StatusText id="articles-status" text={msgText(passed)} />
      {can(session, 'article.create') ? (
        <p>
          <Link to="/articles/new" class="button primary" id="new-article">
            {t('articles.new')}
          </Link>
        </p>
      ) : null}
      <form class="filters" onSubmit={apply} role="search" aria-label={t('articles.filters')}>
        <div class="field">
          <label for="filter-status">{t('field.status')}</label>
          <select
            id="filter-status"
            name="status"
            value={draft.status}
            onChange={(e) => set({ status: e.currentTarget.value })}
          >
            <option value="">{t('common.all')}</option>
            {ARTICLE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusLabel(s)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-channel">{t('field.channelId')}</label>
          <select
            id="filter-channel"
            name="channel"
            value={draft.channel}
            onChange={(e) => set({ channel: e.currentTarget.value })}
          >
            <option value="">{t('common.all')}</option>
            {channelOptions(channels.data ?? []).map((o) => (
              <option key={o.id} value={String(o.id)}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-q">{t('articles.search')}</label>
          <input
            id="filter-q"
            name="q"
            type="search"
            value={draft.q}
            onInput={(e) => set({ q: e.currentTarget.value })}
          />
        </div>
        <div class="field checkbox">
          <input
            id="filter-mine"
            name="mine"
            type="checkbox"
            checked={draft.mine}
            onChange={(e) => set({ mine: e.currentTarget.checked })}
          />
          <label for="filter-mine">{t('articles.mine')}</label>
        </div>
        <button type="submit" id="filter-apply">
          {t('common.filter')}
        </button>
      </form>
      <Loading loading={list.loading} error={list.error} />
      {list.data ? (
        <>
          <ArticleTable items={list.data.items} caption={t('nav.articles')} />
          <Pagination page={list.data.page} pageSize={list.data.pageSize} total={list.data.total} onPage={setPage} />
        </>
      ) : null}
    </>
  );
}
