// One letter: what the writer asked, where it stands and its deadline, what was done with it, the
// reply and what the site shows of it; then the steps the user may take now.
import { useState } from 'preact/hooks';
import { api } from './api';
import { can, useApp } from './context';
import { useLoad } from './hooks';
import { t } from './i18n';
import { LetterHistory, LetterMeta } from './letters-meta';
import { SafeHtml } from './letters-html';
import { FlagList, hasFlags, letterStatusLabel, letterStepLabel } from './letters-parts';
import { ReplyFiles, WriterFiles } from './letters-files';
import { LetterActions } from './letters-steps';
import { LetterWriter } from './letters-writer';
import { Link } from './router';
import type { LetterDetail, LetterStep, LetterStatus } from './types';
import { Loading, ScreenTitle, StatusText, focusLater } from './ui';

function ReplySection({ letter }: { letter: LetterDetail }) {
  return (
    <section class="panel" aria-labelledby="letter-reply-title">
      <h2 id="letter-reply-title">{t('letters.reply')}</h2>
      {letter.reply ? (
        <>
          {letter.replyUnit ? <p class="meta">{t('letters.replyUnit', { unit: letter.replyUnit.name })}</p> : null}
          <SafeHtml html={letter.reply} class="letter-reply" lang="zh-CN" />
        </>
      ) : (
        <p class="empty">{t('letters.noReply')}</p>
      )}
    </section>
  );
}

function PublishedSection({ published }: { published: NonNullable<LetterDetail['published']> }) {
  return (
    <section class="panel" aria-labelledby="letter-published-title">
      <h2 id="letter-published-title">{t('letters.published')}</h2>
      <h3 lang="zh-CN">{published.title}</h3>
      <p class="letter-body" lang="zh-CN">
        {published.body}
      </p>
      <p class="meta">{t('common.titleWith', { what: t('letters.publishedUnit'), title: published.unit })}</p>
      <SafeHtml html={published.reply} class="letter-reply" lang="zh-CN" />
    </section>
  );
}

function LetterView({
  letter,
  onDone,
  onFiles,
}: {
  letter: LetterDetail;
  onDone: (next: LetterDetail, step: LetterStep) => void;
  onFiles: (next: LetterDetail) => void;
}) {
  const { session } = useApp();
  return (
    <>
      <LetterMeta letter={letter} />
      {hasFlags(letter.flags) ? (
        <section class="panel" aria-labelledby="letter-flags-title">
          <h2 id="letter-flags-title">{t('letters.col.flags')}</h2>
          <FlagList flags={letter.flags} />
        </section>
      ) : null}
      <section class="panel" aria-labelledby="letter-body-title">
        <h2 id="letter-body-title">{t('letters.body')}</h2>
        <p class="letter-body" id="letter-body" lang="zh-CN">
          {letter.body}
        </p>
        {letter.rejectReason ? (
          <p>{t('common.titleWith', { what: t('letters.rejectReason'), title: letter.rejectReason })}</p>
        ) : null}
        {letter.duplicateOf !== null ? (
          <p>
            {t('letters.duplicateOf')}
            {t('letters.colon')}
            <Link to={`/letters/${letter.duplicateOf}`}>#{letter.duplicateOf}</Link>
          </p>
        ) : null}
      </section>
      {can(session, 'case.personal') ? <LetterWriter id={letter.id} /> : null}
      <WriterFiles letter={letter} />
      <LetterActions key={letter.steps.length} letter={letter} onDone={onDone} />
      <ReplySection letter={letter} />
      <ReplyFiles letter={letter} onChange={onFiles} />
      {letter.published ? <PublishedSection published={letter.published} /> : null}
      <LetterHistory letter={letter} />
    </>
  );
}

export function LetterScreen({ id }: { id: number }) {
  const loaded = useLoad(() => api.get<LetterDetail>(`/api/v1/letters/${id}`), [id]);
  const [stepped, setStepped] = useState<LetterDetail | null>(null);
  const [done, setDone] = useState<{ step: LetterStep; status: LetterStatus } | null>(null);
  const letter = stepped ?? loaded.data;
  const onDone = (next: LetterDetail, step: LetterStep) => {
    setStepped(next);
    setDone({ step, status: next.status });
    focusLater('letter-actions-title');
  };
  return (
    <>
      <ScreenTitle title={letter ? letter.title : t('nav.letters')} />
      <p>
        <Link to="/letters">{t('letters.back')}</Link>
      </p>
      <StatusText
        id="letter-step-status"
        text={
          done ? t('letters.done', { step: letterStepLabel(done.step), status: letterStatusLabel(done.status) }) : ''
        }
      />
      <Loading loading={loaded.loading} error={loaded.error} />
      {letter ? <LetterView letter={letter} onDone={onDone} onFiles={setStepped} /> : null}
    </>
  );
}
