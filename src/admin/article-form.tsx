// The article's descriptive fields (everything but the body) and how they map to ArticleInput.
import { t, type MessageKey } from './i18n';
import { CoverField } from './cover-image';
import { ArticleMarks } from './article-marks';
import { DisclosureFields } from './disclosure-fields';
import { channelOptions } from './labels';
import { fromInputValue, toInputValue } from './time';
import { formValuesOf, sentFields, type FormValues } from './typed-values';
import type { ArticleInput, ArticleView, Attachment, ChannelView, ContentTypeView } from './types';
import { Field, TextArea } from './ui';

export interface ArticleForm {
  title: string;
  subtitle: string;
  channelId: string;
  source: string;
  author: string;
  responsibleEditor: string;
  summary: string;
  keywords: string;
  /** datetime-local value in the site's zone; only for articles that have been published. */
  publishedAt: string;
  publishedAtReason: string;
  coverImage: string | null;
  attachments: Attachment[];
  /** Typed values of the item's content type (an empty field has no key). */
  fields: FormValues;
}

export function emptyForm(): ArticleForm {
  return {
    title: '',
    subtitle: '',
    channelId: '',
    source: '',
    author: '',
    responsibleEditor: '',
    summary: '',
    keywords: '',
    publishedAt: '',
    publishedAtReason: '',
    coverImage: null,
    attachments: [],
    fields: {},
  };
}

export function formFromArticle(article: ArticleView, timeZone: string): ArticleForm {
  return {
    title: article.title,
    subtitle: article.subtitle,
    channelId: String(article.channelId),
    source: article.source ?? '',
    author: article.author,
    responsibleEditor: article.responsibleEditor,
    summary: article.summary,
    keywords: article.keywords,
    publishedAt: toInputValue(article.publishedAt, timeZone),
    publishedAtReason: '',
    coverImage: article.coverImage,
    attachments: article.attachments,
    fields: formValuesOf(article.fields),
  };
}

export function formChanged(form: ArticleForm, article: ArticleView | null, timeZone: string): boolean {
  const base = article ? formFromArticle(article, timeZone) : emptyForm();
  return JSON.stringify(form) !== JSON.stringify(base);
}

export function publishedAtMoved(form: ArticleForm, article: ArticleView | null, timeZone: string): boolean {
  return !!article?.publishedAt && form.publishedAt !== toInputValue(article.publishedAt, timeZone);
}

export interface FormProblem {
  field: string;
  message: MessageKey;
}

/** The first problem to fix before saving: the field's id and what to say. */
export function validateForm(form: ArticleForm, article: ArticleView | null, timeZone: string): FormProblem | null {
  if (!form.title.trim()) return { field: 'title', message: 'editor.titleRequired' };
  if (!form.channelId) return { field: 'channel', message: 'editor.channelRequired' };
  if (publishedAtMoved(form, article, timeZone)) {
    if (!fromInputValue(form.publishedAt, timeZone))
      return { field: 'published-at', message: 'editor.publishedAtInvalid' };
    if (!form.publishedAtReason.trim()) return { field: 'published-at-reason', message: 'editor.reasonRequired' };
  }
  return null;
}

export function toInput(
  form: ArticleForm,
  bodyHtml: string,
  article: ArticleView | null,
  timeZone: string,
  /** The item's type, when known: then every one of its fields is sent (empty ones as null). */
  type: ContentTypeView | null = null,
): ArticleInput {
  const input: ArticleInput = {
    channelId: Number(form.channelId),
    title: form.title.trim(),
    subtitle: form.subtitle.trim(),
    // An empty 来源 means the site itself (shown as 本站), which the API spells null.
    source: form.source.trim() || null,
    author: form.author.trim(),
    responsibleEditor: form.responsibleEditor.trim(),
    bodyHtml,
    summary: form.summary.trim(),
    keywords: form.keywords.trim(),
    attachments: form.attachments,
  };
  // Sent only when chosen or removed: the API's schema turns a null it is sent into ''.
  if (form.coverImage !== (article?.coverImage ?? null)) input.coverImage = form.coverImage;
  if (type) input.fields = sentFields(type, form.fields);
  const moved = publishedAtMoved(form, article, timeZone) ? fromInputValue(form.publishedAt, timeZone) : null;
  if (moved) {
    input.publishedAt = moved;
    input.publishedAtReason = form.publishedAtReason.trim();
  }
  return input;
}

interface FieldsProps {
  form: ArticleForm;
  onChange: (patch: Partial<ArticleForm>) => void;
  channels: ChannelView[];
  article: ArticleView | null;
  timeZone: string;
  invalid: string | null;
  /** Moving the shown 发布时间 needs article.backdate (publishers). */
  mayBackdate: boolean;
  /** The item's content type: what its title is called (a guide's is its 事项名称). */
  type?: ContentTypeView | null;
}

/** The title's name on this type's form; the plain 标题 follows the chosen language. */
export function titleLabelOf(type: ContentTypeView | null | undefined): string {
  return type && type.titleLabel !== '标题' ? type.titleLabel : t('field.title');
}

export function ArticleFields({
  form,
  onChange,
  channels,
  article,
  timeZone,
  invalid,
  mayBackdate,
  type,
}: FieldsProps) {
  // Articles live in list channels; keep the current one even if its type has changed since.
  const choices = channelOptions(channels).filter((o) => o.channel.type === 'list' || String(o.id) === form.channelId);
  const moved = publishedAtMoved(form, article, timeZone);
  const bad = (id: string) => (invalid === id ? true : undefined);
  return (
    <div class="article-fields">
      <Field
        id="title"
        label={titleLabelOf(type)}
        value={form.title}
        onValue={(title) => onChange({ title })}
        required
        aria-invalid={bad('title')}
        class="wide"
      />
      <Field
        id="subtitle"
        label={t('field.subtitle')}
        value={form.subtitle}
        onValue={(subtitle) => onChange({ subtitle })}
      />
      <div class="field">
        <label for="channel">
          {t('field.channelId')}
          <span class="required" aria-hidden="true">
            {' '}
            *
          </span>
        </label>
        <select
          id="channel"
          name="channel"
          required
          aria-invalid={bad('channel')}
          value={form.channelId}
          onChange={(e) => onChange({ channelId: e.currentTarget.value })}
        >
          <option value="">{t('editor.chooseChannel')}</option>
          {choices.map((o) => (
            <option key={o.id} value={String(o.id)}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      <Field
        id="source"
        label={t('field.source')}
        value={form.source}
        onValue={(source) => onChange({ source })}
        hint={t('editor.sourceHint')}
      />
      <Field id="author" label={t('field.author')} value={form.author} onValue={(author) => onChange({ author })} />
      <Field
        id="responsible-editor"
        label={t('field.responsibleEditor')}
        value={form.responsibleEditor}
        onValue={(responsibleEditor) => onChange({ responsibleEditor })}
      />
      <TextArea
        id="summary"
        label={t('field.summary')}
        value={form.summary}
        onValue={(summary) => onChange({ summary })}
      />
      <Field
        id="keywords"
        label={t('field.keywords')}
        value={form.keywords}
        onValue={(keywords) => onChange({ keywords })}
        hint={t('editor.keywordsHint')}
      />
      <CoverField value={form.coverImage} onChange={(coverImage) => onChange({ coverImage })} />
      {mayBackdate && article?.status === 'published' && article.publishedAt ? (
        <fieldset class="published-at">
          <legend>{t('field.publishedAt')}</legend>
          <Field
            id="published-at"
            label={t('editor.publishedAtLabel')}
            type="datetime-local"
            value={form.publishedAt}
            onValue={(publishedAt) => onChange({ publishedAt })}
            aria-invalid={bad('published-at')}
          />
          <Field
            id="published-at-reason"
            label={t('editor.publishedAtReason')}
            value={form.publishedAtReason}
            onValue={(publishedAtReason) => onChange({ publishedAtReason })}
            required={moved}
            aria-invalid={bad('published-at-reason')}
            hint={t('editor.publishedAtReasonHint')}
          />
        </fieldset>
      ) : null}
      <ArticleMarks article={article} />
      <DisclosureFields article={article} />
    </div>
  );
}
