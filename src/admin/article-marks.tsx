// 首页推荐 in the article editor: 头条 (the home page's headline) and 图片新闻 (its picture news).
// Saved on their own as each box is ticked (PUT /api/v1/articles/:id/marks), apart from the
// article's save: marking takes what publishing in the article's column takes, and the home page
// shows the article once it is published (a picture-news article also needs a cover image).
import { useEffect, useState } from 'preact/hooks';
import { api } from './api';
import { can, useApp } from './context';
import { translator } from './disclosure-text';
import { useBusy, useLoad } from './hooks';
import type { ArticleView } from './types';
import { AlertText, StatusText } from './ui';

interface Marks {
  articleId: number;
  headline: boolean;
  picture: boolean;
}

const TEXT = {
  legend: ['首页推荐', 'Home page'],
  saveFirst: [
    '保存文章后，可将其推荐到首页头条或图片新闻。',
    'Save the article first; then it can go to the home page.',
  ],
  headline: ['头条', 'Headline (头条)'],
  headlineHint: [
    '首页头条显示最新发布的一篇头条文章及其摘要。',
    'The home page shows the newest published headline article with its summary.',
  ],
  picture: ['图片新闻', 'Picture news (图片新闻)'],
  pictureHint: [
    '需要封面图片：没有封面图片的文章不会出现在首页图片新闻中。',
    'Needs a cover image: an article without one does not show in the picture news.',
  ],
  noCover: ['本文尚无封面图片，请先选择封面图片并保存。', 'This article has no cover image yet: choose one and save.'],
  notAllowed: [
    '推荐到首页需要本栏目的签发权限。',
    'Putting an article on the home page takes the right to publish in its column.',
  ],
  saved: ['已保存首页推荐。', 'Saved the home page marks.'],
} as const;

const tr = translator(TEXT);

export function ArticleMarks({ article }: { article: ArticleView | null }) {
  if (!article)
    return (
      <fieldset class="article-marks">
        <legend>{tr('legend')}</legend>
        <p>{tr('saveFirst')}</p>
      </fieldset>
    );
  return <MarksForm articleId={article.id} hasCover={!!article.coverImage} />;
}

function MarksForm({ articleId, hasCover }: { articleId: number; hasCover: boolean }) {
  const { session } = useApp();
  const loaded = useLoad(() => api.get<Marks>(`/api/v1/articles/${articleId}/marks`), [articleId]);
  const [marks, setMarks] = useState<Marks | null>(null);
  const [status, setStatus] = useState('');
  const { busy, error, run } = useBusy();
  useEffect(() => {
    if (loaded.data) setMarks(loaded.data);
  }, [loaded.data]);
  const mayMark = can(session, 'article.publish');

  // The box shows the reader's choice at once; a refusal puts it back as it was.
  const save = async (patch: Partial<Pick<Marks, 'headline' | 'picture'>>) => {
    if (!marks) return;
    setStatus('');
    const before = marks;
    const wanted = { ...marks, ...patch };
    setMarks(wanted);
    const body = { headline: wanted.headline, picture: wanted.picture };
    const saved = await run(() => api.put<Marks>(`/api/v1/articles/${articleId}/marks`, body));
    setMarks(saved ?? before);
    if (saved) setStatus(tr('saved'));
  };

  return (
    <fieldset class="article-marks" aria-describedby={mayMark ? undefined : 'marks-not-allowed'}>
      <legend>{tr('legend')}</legend>
      {marks ? (
        <>
          <div class="field checkbox">
            <label>
              <input
                type="checkbox"
                id="mark-headline"
                checked={marks.headline}
                disabled={busy || !mayMark}
                aria-describedby="mark-headline-hint"
                onChange={(e) => void save({ headline: e.currentTarget.checked })}
              />{' '}
              {tr('headline')}
            </label>
            <p class="hint" id="mark-headline-hint">
              {tr('headlineHint')}
            </p>
          </div>
          <div class="field checkbox">
            <label>
              <input
                type="checkbox"
                id="mark-picture"
                checked={marks.picture}
                disabled={busy || !mayMark}
                aria-describedby="mark-picture-hint"
                onChange={(e) => void save({ picture: e.currentTarget.checked })}
              />{' '}
              {tr('picture')}
            </label>
            <p class="hint" id="mark-picture-hint">
              {tr('pictureHint')}
              {marks.picture && !hasCover ? ` ${tr('noCover')}` : ''}
            </p>
          </div>
          {mayMark ? null : (
            <p class="hint" id="marks-not-allowed">
              {tr('notAllowed')}
            </p>
          )}
        </>
      ) : null}
      <StatusText text={status} />
      <AlertText error={error || loaded.error} />
    </fieldset>
  );
}
