// Creating or editing one channel (栏目). Used for the create form and for editing in place.
import { useState } from 'preact/hooks';
import { api } from './api';
import { useBusy } from './hooks';
import { t } from './i18n';
import { channelOptions, channelTypeLabel } from './labels';
import { lazy } from './lazy';
import { tidyEditorHtml } from './paste';
import { contentTypeLabel } from './typed-values';
import {
  CHANNEL_TYPES,
  CONTENT_TYPE_KEYS,
  UPDATE_RULES,
  type ChannelInput,
  type ChannelType,
  type ChannelView,
  type ContentTypeKey,
  type UpdateRule,
} from './types';
import { AlertText, Field, TextArea } from './ui';

interface FormState {
  name: string;
  slug: string;
  parentId: string;
  type: ChannelType;
  sortOrder: string;
  reviewLevels: string;
  linkUrl: string;
  keywords: string;
  description: string;
  updateRule: UpdateRule;
  /** The content type of a list channel's items. */
  contentType: ContentTypeKey;
  /** The page's own text, for 单页 channels. */
  bodyHtml: string;
}

/** The body editor is only needed for 单页 channels; it comes with the article editor's code. */
const RichText = lazy(() => import('./rich-text').then((module) => module.RichText));

function stateOf(channel: ChannelView | null): FormState {
  return {
    name: channel?.name ?? '',
    slug: channel?.slug ?? '',
    parentId: channel?.parentId ? String(channel.parentId) : '',
    type: channel?.type ?? 'list',
    sortOrder: String(channel?.sortOrder ?? 0),
    reviewLevels: String(channel?.reviewLevels ?? 1),
    linkUrl: channel?.linkUrl ?? '',
    keywords: channel?.keywords ?? '',
    description: channel?.description ?? '',
    bodyHtml: channel?.bodyHtml ?? '',
    updateRule: channel?.updateRule ?? 'none',
    contentType: channel?.contentType ?? 'article',
  };
}

function inputOf(state: FormState): ChannelInput {
  return {
    name: state.name.trim(),
    slug: state.slug.trim() || undefined,
    parentId: state.parentId ? Number(state.parentId) : null,
    type: state.type,
    sortOrder: Number(state.sortOrder) || 0,
    reviewLevels: Number(state.reviewLevels),
    linkUrl: state.type === 'link' ? state.linkUrl.trim() : null,
    keywords: state.keywords.trim(),
    description: state.description.trim(),
    updateRule: state.updateRule,
    ...(state.type === 'page' && { bodyHtml: state.bodyHtml }),
    ...(state.type === 'list' && { contentType: state.contentType }),
  };
}

/** A channel cannot move under itself or its own descendants. */
function descendantsOf(id: number, channels: readonly ChannelView[]): Set<number> {
  const found = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const c of channels) {
      if (c.parentId !== null && found.has(c.parentId) && !found.has(c.id)) {
        found.add(c.id);
        grew = true;
      }
    }
  }
  return found;
}

interface Props {
  channel: ChannelView | null;
  channels: ChannelView[];
  idPrefix: string;
  onSaved: (saved: ChannelView) => void;
  onCancel?: () => void;
}

export function ChannelForm({ channel, channels, idPrefix, onSaved, onCancel }: Props) {
  const [state, setState] = useState<FormState>(() => stateOf(channel));
  const { busy, error, run } = useBusy();
  const [missingName, setMissingName] = useState(false);
  // Functional: the body editor reports its text between renders.
  const set = (patch: Partial<FormState>) => setState((current) => ({ ...current, ...patch }));
  const id = (name: string) => `${idPrefix}-${name}`;
  const excluded = channel ? descendantsOf(channel.id, channels) : new Set<number>();

  const submit = (event: Event) => {
    event.preventDefault();
    setMissingName(!state.name.trim());
    if (!state.name.trim()) return document.getElementById(id('name'))?.focus();
    void run(async () => {
      const saved = channel
        ? await api.patch<ChannelView>(`/api/v1/channels/${channel.id}`, inputOf(state))
        : await api.post<ChannelView>('/api/v1/channels', inputOf(state));
      if (!channel) setState(stateOf(null));
      onSaved(saved);
    });
  };

  return (
    <form class="channel-form" onSubmit={submit} noValidate>
      <div class="field-grid">
        <Field
          id={id('name')}
          label={t('channels.name')}
          value={state.name}
          onValue={(name) => set({ name })}
          required
          aria-invalid={missingName ? true : undefined}
        />
        <Field
          id={id('slug')}
          label={t('channels.slug')}
          value={state.slug}
          onValue={(slug) => set({ slug })}
          hint={t('channels.slugHint')}
          pattern="[a-z0-9-]*"
        />
        <div class="field">
          <label for={id('parent')}>{t('channels.parent')}</label>
          <select
            id={id('parent')}
            name="parent"
            value={state.parentId}
            onChange={(e) => set({ parentId: e.currentTarget.value })}
          >
            <option value="">{t('channels.noParent')}</option>
            {channelOptions(channels)
              .filter((o) => !excluded.has(o.id))
              .map((o) => (
                <option key={o.id} value={String(o.id)}>
                  {o.label}
                </option>
              ))}
          </select>
        </div>
        <div class="field">
          <label for={id('type')}>{t('channels.type')}</label>
          <select
            id={id('type')}
            name="type"
            value={state.type}
            onChange={(e) => set({ type: e.currentTarget.value as ChannelType })}
          >
            {CHANNEL_TYPES.map((type) => (
              <option key={type} value={type}>
                {channelTypeLabel(type)}
              </option>
            ))}
          </select>
        </div>
        <Field
          id={id('order')}
          label={t('channels.order')}
          type="number"
          value={state.sortOrder}
          onValue={(sortOrder) => set({ sortOrder })}
          step={1}
        />
        <div class="field">
          <label for={id('review-levels')}>{t('channels.reviewLevels')}</label>
          <select
            id={id('review-levels')}
            name="reviewLevels"
            value={state.reviewLevels}
            onChange={(e) => set({ reviewLevels: e.currentTarget.value })}
          >
            {/* 1–3 levels; a channel set up with 0 (submitting approves) keeps showing it. */}
            {[...(state.reviewLevels === '0' ? ['0'] : []), '1', '2', '3'].map((n) => (
              <option key={n} value={n}>
                {t('channels.levels', { n })}
              </option>
            ))}
          </select>
        </div>
        {state.type === 'list' ? (
          <div class="field">
            <label for={id('update-rule')}>{t('channels.updateRule')}</label>
            <select
              id={id('update-rule')}
              name="updateRule"
              value={state.updateRule}
              onChange={(e) => set({ updateRule: e.currentTarget.value as UpdateRule })}
            >
              {UPDATE_RULES.map((rule) => (
                <option key={rule} value={rule}>
                  {t(`channels.rule.${rule}`)}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        {state.type === 'list' ? (
          <div class="field">
            <label for={id('content-type')}>{t('channels.contentType')}</label>
            <select
              id={id('content-type')}
              name="contentType"
              value={state.contentType}
              aria-describedby={id('content-type-hint')}
              onChange={(e) => set({ contentType: e.currentTarget.value as ContentTypeKey })}
            >
              {CONTENT_TYPE_KEYS.map((key) => (
                <option key={key} value={key}>
                  {contentTypeLabel(key)}
                </option>
              ))}
            </select>
            <p class="hint" id={id('content-type-hint')}>
              {t('channels.contentTypeHint')}
            </p>
          </div>
        ) : null}
        {state.type === 'link' ? (
          <Field
            id={id('link-url')}
            label={t('channels.linkUrl')}
            type="url"
            value={state.linkUrl}
            onValue={(linkUrl) => set({ linkUrl })}
            required
          />
        ) : null}
        <Field
          id={id('keywords')}
          label={t('field.keywords')}
          value={state.keywords}
          onValue={(keywords) => set({ keywords })}
        />
      </div>
      <TextArea
        id={id('description')}
        label={t('channels.description')}
        value={state.description}
        onValue={(description) => set({ description })}
        rows={2}
      />
      {state.type === 'page' ? (
        <div class="field page-body">
          <p class="field-label">{t('channels.body')}</p>
          <RichText
            idPrefix={id('body-')}
            label="channels.body"
            toolbarLabel="channels.bodyToolbar"
            initialHtml={state.bodyHtml}
            onChange={(editor) => set({ bodyHtml: tidyEditorHtml(editor.getHTML()) })}
          />
        </div>
      ) : null}
      <AlertText error={error} text={missingName ? t('channels.nameRequired') : ''} />
      <div class="actions">
        <button type="submit" class="primary" id={id('save')} disabled={busy}>
          {channel ? t('common.save') : t('channels.create')}
        </button>
        {onCancel ? (
          <button type="button" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        ) : null}
      </div>
    </form>
  );
}
