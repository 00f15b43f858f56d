// The editor screen's state and operations: load, save (POST or PATCH with version), workflow
// actions, preview, and the 409 version conflict.
import type { Editor } from '@tiptap/core';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api } from './api';
import { emptyForm, formChanged, formFromArticle, toInput, validateForm, type ArticleForm } from './article-form';
import { useApp } from './context';
import type { MessageKey } from './i18n';
import { tidyEditorHtml } from './paste';
import { navigate } from './router';
import type { FormValues } from './typed-values';
import type { ArticleView, ContentTypeView } from './types';
import { passMessage } from './ui';
import type { RunAction, WorkflowAction } from './workflow';

/** Messages are kept as keys or errors, not text, so they follow a language switch. */
export interface Notice {
  status?: MessageKey;
  problem?: MessageKey;
  error?: unknown;
}

const DONE: Record<WorkflowAction, MessageKey> = {
  submit: 'workflow.done.submit',
  approve: 'workflow.done.approve',
  reject: 'workflow.done.reject',
  publish: 'workflow.done.publish',
  withdraw: 'workflow.done.withdraw',
};

/** Publishing or withdrawing with a time set leaves the status as it was until then. */
function doneMessage(action: WorkflowAction, next: ArticleView): MessageKey {
  if (action === 'publish' && next.status !== 'published') return 'workflow.done.scheduled';
  if (action === 'withdraw' && next.status !== 'withdrawn') return 'workflow.done.scheduledWithdraw';
  return DONE[action];
}

/** The content type of the item being edited, as far as it is known (null while loading). */
export type TypeOfForm = (form: ArticleForm, article: ArticleView | null) => ContentTypeView | null;

export function useArticleDraft(id: number | null, typeOfForm: TypeOfForm = () => null) {
  const { site } = useApp();
  const tz = site.timeZone;
  const [article, setArticle] = useState<ArticleView | null>(null);
  const [form, setForm] = useState<ArticleForm>(emptyForm);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [invalid, setInvalid] = useState<string | null>(null);
  /** A 409 ARTICLE_VERSION_CONFLICT: its message, `current` and `changed`. */
  const [conflict, setConflict] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  // Body edits are counted, not compared: getHTML() on every keystroke would be wasteful.
  const [edits, setEdits] = useState(0);
  const [savedEdits, setSavedEdits] = useState(0);
  const editsRef = useRef(0);
  const editorRef = useRef<Editor | null>(null);

  const adopt = (next: ArticleView, replaceBody: boolean) => {
    setArticle(next);
    setForm(formFromArticle(next, tz));
    if (replaceBody) editorRef.current?.commands.setContent(next.bodyHtml, { emitUpdate: false });
    setSavedEdits(editsRef.current);
  };

  useEffect(() => {
    // A new article that just got its id keeps this screen; nothing to load then.
    if (id === null || article?.id === id) return;
    api.get<ArticleView>(`/api/v1/articles/${id}`).then((loaded) => adopt(loaded, true), setLoadError);
  }, [id]);

  const dirty = edits !== savedEdits || formChanged(form, article, tz);

  const save = async (): Promise<ArticleView | null> => {
    const problem = validateForm(form, article, tz);
    setInvalid(problem?.field ?? null);
    if (problem) {
      setNotice({ problem: problem.message });
      document.getElementById(problem.field)?.focus();
      return null;
    }
    const editor = editorRef.current;
    if (!editor) return null;
    const editsAtStart = editsRef.current;
    const input = toInput(form, tidyEditorHtml(editor.getHTML()), article, tz, typeOfForm(form, article));
    try {
      const saved = article
        ? await api.patch<ArticleView>(`/api/v1/articles/${article.id}`, { version: article.version, ...input })
        : await api.post<ArticleView>('/api/v1/articles', input);
      setArticle(saved);
      setForm(formFromArticle(saved, tz));
      setSavedEdits(editsAtStart); // typing during the request still counts as unsaved
      setConflict(null);
      if (!article) navigate(`/articles/${saved.id}`, { replace: true, keepScreen: true });
      return saved;
    } catch (failure) {
      const versionConflict = failure instanceof ApiError && failure.current ? failure : null;
      setConflict(versionConflict);
      setNotice(versionConflict ? null : { error: failure });
      return null;
    }
  };

  const saveIfNeeded = async () => (article && !dirty ? article : save());

  const withBusy = async <T>(work: () => Promise<T>): Promise<T> => {
    setBusy(true);
    setNotice(null);
    try {
      return await work();
    } finally {
      setBusy(false);
    }
  };

  const onSave = () =>
    withBusy(async () => {
      if (await save()) setNotice({ status: 'editor.saved' });
    });

  const onPreview = () =>
    withBusy(async () => {
      const current = await saveIfNeeded();
      if (!current) return;
      window.open(`/admin/preview/${current.id}`, '_blank', 'noopener');
      setNotice({ status: 'editor.previewOpened' });
    });

  const run: RunAction = (action, body) =>
    withBusy(async () => {
      try {
        const current = await saveIfNeeded();
        if (!current) return false;
        const next = await api.post<ArticleView>(`/api/v1/articles/${current.id}/${action}`, body);
        adopt(next, false);
        setNotice({ status: doneMessage(action, next) });
        // The pressed button may be gone with the old status; put focus somewhere predictable.
        document.getElementById('screen-title')?.focus();
        return true;
      } catch (failure) {
        setNotice({ error: failure });
        return false;
      }
    });

  /** Drafts and withdrawn articles only; the article list then says it is gone. */
  const onDelete = () =>
    withBusy(async () => {
      if (!article) return false;
      try {
        await api.del(`/api/v1/articles/${article.id}`);
        passMessage({ key: 'editor.deleted', params: { title: article.title } });
        navigate('/articles');
        return true;
      } catch (failure) {
        setNotice({ error: failure }); // e.g. PERMISSION_DENIED for someone else's draft
        return false;
      }
    });

  const loadLatest = () => {
    if (!conflict?.current) return;
    adopt(conflict.current, true);
    setConflict(null);
    setNotice({ status: 'editor.latestLoaded' });
    document.getElementById('title')?.focus();
  };

  const onBodyChange = () => {
    editsRef.current += 1;
    setEdits(editsRef.current);
  };

  const updateForm = (patch: Partial<ArticleForm>) => setForm((current) => ({ ...current, ...patch }));
  /** Typed values change from what they are then: a rich text field may report twice before a render. */
  const updateFields = (update: (fields: FormValues) => FormValues) =>
    setForm((current) => ({ ...current, fields: update(current.fields) }));

  return {
    article,
    form,
    updateForm,
    updateFields,
    loadError,
    notice,
    invalid,
    conflict,
    busy,
    dirty,
    editorRef,
    onSave,
    onPreview,
    run,
    onDelete,
    loadLatest,
    onBodyChange,
  };
}
