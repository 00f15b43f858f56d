// Small pieces every screen uses: the focused h1, live message regions, pagination, fields.
import type { ComponentChildren, InputHTMLAttributes, Ref } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import { errorText, t, type MessageKey } from './i18n';
import { takeFocusRequest } from './router';

/** The screen's one h1. Sets document.title and takes focus after a navigation, for screen readers. */
export function ScreenTitle({ title, children }: { title: string; children?: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useLayoutEffect(() => {
    document.title = `${title} - ${t('app.title')}`;
  }, [title]);
  // A layout effect runs in the same commit as the render: focus moves before anything else happens.
  useLayoutEffect(() => {
    if (takeFocusRequest()) ref.current?.focus();
  }, []);
  return <h1 ref={ref} id="screen-title" tabIndex={-1}>{children ?? title}</h1>;
}

/** A message kept as a key, so it is shown in whichever language is chosen later. */
export interface Msg { key: MessageKey; params?: Record<string, string | number> }

export function msgText(msg: Msg | null): string {
  return msg ? t(msg.key, msg.params) : '';
}

/** A polite live region; always in the page so the first message is announced too. */
export function StatusText({ text, id }: { text: string; id?: string }) {
  return <p role="status" id={id} class={text ? 'status-message' : 'live-empty'}>{text}</p>;
}

/** An assertive live region for errors; shows the server's message in the chosen language. */
export function AlertText({ error, text, id }: { error?: unknown; text?: string; id?: string }) {
  const shown = text || (error ? errorText(error) : '');
  return <p role="alert" id={id} class={shown ? 'alert-message' : 'live-empty'}>{shown}</p>;
}

export function Loading({ loading, error }: { loading: boolean; error: unknown }) {
  return (
    <>
      <StatusText text={loading ? t('common.loading') : ''} />
      <AlertText error={loading ? null : error} />
    </>
  );
}

interface PaginationProps { page: number; pageSize: number; total: number; onPage: (page: number) => void }

export function Pagination({ page, pageSize, total, onPage }: PaginationProps) {
  const pages = Math.max(1, Math.ceil(total / Math.max(1, pageSize)));
  return (
    <nav class="pagination" aria-label={t('common.pagination')}>
      <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>{t('common.prevPage')}</button>
      <span>{t('common.pageOf', { page, pages, total })}</span>
      <button type="button" disabled={page >= pages} onClick={() => onPage(page + 1)}>{t('common.nextPage')}</button>
    </nav>
  );
}

type InputProps = InputHTMLAttributes<HTMLInputElement>;

interface FieldProps extends Omit<InputProps, 'id' | 'value' | 'onInput' | 'label' | 'ref'> {
  id: string;
  inputRef?: Ref<HTMLInputElement>;
  label: string;
  value: string;
  onValue: (value: string) => void;
  hint?: string;
}

/** A labelled input; the hint is tied to it with aria-describedby. */
export function Field({ id, label, value, onValue, hint, inputRef, ...rest }: FieldProps) {
  return (
    <div class="field">
      <label for={id}>{label}{rest.required ? <span class="required" aria-hidden="true"> *</span> : null}</label>
      <input
        {...rest}
        ref={inputRef}
        id={id}
        name={rest.name ?? id}
        value={value}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onInput={(event) => onValue(event.currentTarget.value)}
      />
      {hint ? <p class="hint" id={`${id}-hint`}>{hint}</p> : null}
    </div>
  );
}

interface TextAreaProps { id: string; label: string; value: string; onValue: (value: string) => void; required?: boolean; rows?: number }

export function TextArea({ id, label, value, onValue, required, rows = 3 }: TextAreaProps) {
  return (
    <div class="field">
      <label for={id}>{label}{required ? <span class="required" aria-hidden="true"> *</span> : null}</label>
      <textarea id={id} name={id} rows={rows} required={required} value={value}
        onInput={(event) => onValue(event.currentTarget.value)} />
    </div>
  );
}
