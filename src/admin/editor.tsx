// 写文章 / 编辑文章: fields, body, attachments, and the workflow buttons the user may press.
import type { Editor } from '@tiptap/core';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from './api';
import { ArticleFields, type ArticleForm } from './article-form';
import { CommentsList, ConflictNotice, StatusLine } from './article-notes';
import { Attachments } from './attachments';
import { can, useApp } from './context';
import { useArticleDraft, type Notice } from './editor-state';
import { useChannels, useLoad } from './hooks';
import { errorText, t } from './i18n';
import { ImageDialog } from './image-dialog';
import { RichText } from './rich-text';
import { TypedFields } from './typed-fields';
import { contentTypeLabel, errorPath, idOfPath, typeOf } from './typed-values';
import type { ArticleView, ChannelView, ContentTypeView } from './types';
import { AlertText, ConfirmDelete, Loading, ScreenTitle, StatusText, focusLater } from './ui';
import { WorkflowPanels } from './workflow';
import { WordingPanel } from './wording-marks';

/** The body's name on this type's form (a topic's is its 专题介绍); the plain 正文 follows the language. */
function bodyLabelOf(type: ContentTypeView | null): string {
  return type?.bodyLabel && type.bodyLabel !== '正文' ? type.bodyLabel : t('editor.body');
}

function NoticeRegions({ notice }: { notice: Notice | null }) {
  const alert = notice?.problem ? t(notice.problem) : notice?.error ? errorText(notice.error) : '';
  return (
    <div class="notices">
      <StatusText id="save-status" text={notice?.status ? t(notice.status) : ''} />
      <AlertText id="save-error" text={alert} />
    </div>
  );
}

/** An item's type: its own once saved, else its chosen column's (a column says its items' type). */
function typeKeyOf(form: ArticleForm, article: ArticleView | null, channels: readonly ChannelView[] | null) {
  return article?.contentType ?? channels?.find((c) => String(c.id) === form.channelId)?.contentType ?? 'article';
}

/** Puts focus on the typed field an error names, once it is on screen. */
function useFocusOnPath(path: string | null, notice: Notice | null) {
  useEffect(() => {
    if (!path) return;
    const id = idOfPath(path);
    // The input itself, else the first of its parts: an address, a relation's search box, a box to tick.
    const first = () => [id, `${id}-url`, `${id}-q`, `${id}-0`].map((c) => document.getElementById(c)).find(Boolean);
    requestAnimationFrame(() => first()?.focus());
  }, [notice]);
}

export function EditorScreen({ id }: { id: number | null }) {
  const { session, site } = useApp();
  const channels = useChannels();
  const types = useLoad(() => api.get<ContentTypeView[]>('/api/v1/content-types'), []);
  const typeOfForm = (f: ArticleForm, a: ArticleView | null) => typeOf(types.data, typeKeyOf(f, a, channels.data));
  const draft = useArticleDraft(id, typeOfForm);
  const { article, form, busy } = draft;
  const type = typeOfForm(form, article);
  const failedAt = errorPath(draft.notice?.error);
  useFocusOnPath(failedAt, draft.notice);
  const [editor, setEditor] = useState<Editor | null>(null);
  const [imageOpen, setImageOpen] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const attachmentInput = useRef<HTMLInputElement>(null);

  const title = article ? t('editor.editTitle') : t('editor.newTitle');
  const fullTitle = article?.title ? t('common.titleWith', { what: title, title: article.title }) : title;
  // The h1 stays the same element while loading and after, so the focus it took is kept.
  if (id !== null && !article) {
    return (
      <div class="editor-screen">
        <ScreenTitle title={fullTitle}>{title}</ScreenTitle>
        <Loading loading={!draft.loadError} error={draft.loadError} />
      </div>
    );
  }

  const onReady = (created: Editor) => {
    draft.editorRef.current = created;
    setEditor(created);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    // Ctrl+S / ⌘S saves instead of downloading the page.
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
      event.preventDefault();
      if (!busy) void draft.onSave();
    }
  };
  // Only drafts can be submitted; a withdrawn article becomes a draft again when it is edited.
  const maySubmit = !article || article.status === 'draft';
  // Published articles are withdrawn first; the server also wants article.publish for others' drafts.
  const mayDelete =
    !!article && (article.status === 'draft' || article.status === 'withdrawn') && can(session, 'article.delete');
  const askDelete = (ask: boolean) => {
    setConfirmingDelete(ask);
    focusLater(ask ? 'confirm-delete-article' : 'delete-article');
  };
  const confirmDelete = async () => {
    if (!(await draft.onDelete())) askDelete(false); // the refusal is in #save-error
  };

  return (
    <div class="editor-screen" onKeyDown={onKeyDown}>
      <ScreenTitle title={fullTitle}>{title}</ScreenTitle>
      {article ? <StatusLine article={article} /> : null}
      {draft.conflict ? <ConflictNotice conflict={draft.conflict} onLoad={draft.loadLatest} /> : null}
      <NoticeRegions notice={draft.notice} />
      <section class="panel" aria-labelledby="fields-title">
        <h2 id="fields-title">{t('editor.fields')}</h2>
        <ArticleFields
          form={form}
          onChange={draft.updateForm}
          channels={channels.data ?? []}
          article={article}
          timeZone={site.timeZone}
          invalid={draft.invalid}
          mayBackdate={can(session, 'article.backdate')}
          type={type}
        />
      </section>
      {types.error ? <AlertText text={t('typed.loadFailed')} /> : null}
      {type && type.fields.length > 0 ? (
        <section class="panel" aria-labelledby="typed-title">
          <h2 id="typed-title">{t('typed.title', { type: contentTypeLabel(type.key) })}</h2>
          <TypedFields
            // Values the server sent back (a save, the latest version) start the rich text editors again.
            key={`${type.key}-${article?.id ?? 'new'}-${article?.version ?? 0}`}
            type={type}
            values={form.fields}
            onChange={draft.updateFields}
            relations={article?.relations ?? []}
            selfId={article?.id ?? null}
            timeZone={site.timeZone}
            error={draft.notice?.error}
            errorPath={failedAt}
          />
        </section>
      ) : null}
      {/* A type without a free body (a guide) keeps the editor, hidden: the save reads it. */}
      <section class="panel" aria-labelledby="body-title" hidden={type?.bodyLabel === null}>
        <h2 id="body-title">{bodyLabelOf(type)}</h2>
        <RichText
          labelText={bodyLabelOf(type)}
          initialHtml={article?.bodyHtml ?? ''}
          onReady={onReady}
          onChange={draft.onBodyChange}
          onInsertImage={() => setImageOpen(true)}
          onAttach={() => attachmentInput.current?.click()}
        />
      </section>
      {editor && can(session, 'wording.read') ? (
        <WordingPanel editor={editor} title={form.title} summary={form.summary} />
      ) : null}
      <Attachments
        items={form.attachments}
        onChange={(attachments) => draft.updateForm({ attachments })}
        inputRef={attachmentInput}
      />
      <div class="actions main-actions">
        <button type="button" id="save" class="primary" disabled={busy} onClick={() => void draft.onSave()}>
          {t('editor.save')}
        </button>
        <button type="button" id="preview" disabled={busy} onClick={() => void draft.onPreview()}>
          {t('editor.preview')}
        </button>
        {maySubmit ? (
          <button type="button" id="submit" disabled={busy} onClick={() => void draft.run('submit', {})}>
            {t('workflow.submit')}
          </button>
        ) : null}
        <span class="dirty-flag">{draft.dirty ? t('editor.unsaved') : ''}</span>
        {article && mayDelete ? (
          <span class="delete-article">
            {confirmingDelete ? (
              <ConfirmDelete
                text={t('editor.confirmDelete', { title: article.title })}
                confirmId="confirm-delete-article"
                disabled={busy}
                onConfirm={() => void confirmDelete()}
                onCancel={() => askDelete(false)}
              />
            ) : (
              <button type="button" id="delete-article" class="danger" disabled={busy} onClick={() => askDelete(true)}>
                {t('common.delete')}
              </button>
            )}
          </span>
        ) : null}
      </div>
      {article ? <WorkflowPanels article={article} run={draft.run} busy={busy} /> : null}
      {article ? <CommentsList comments={article.comments} /> : null}
      {editor ? <ImageDialog editor={editor} open={imageOpen} onClose={() => setImageOpen(false)} /> : null}
    </div>
  );
}
