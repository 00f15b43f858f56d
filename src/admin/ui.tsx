// Small pieces every screen uses: the focused h1, live message regions, pagination, fields.
import type { ComponentChildren, InputHTMLAttributes, Ref } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
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
  return (
    <h1 ref={ref} id="screen-title" tabIndex={-1}>
      {children ?? title}
    </h1>
  );
}

/** A message kept as a key, so it is shown in whichever language is chosen later. */
export interface Msg {
  key: MessageKey;
  params?: Record<string, string | number>;
}

export function msgText(msg: Msg | null): string {
  return msg ? t(msg.key, msg.params) : '';
}

let passed: Msg | null = null;

/** Leaves a message for the next screen, when this one goes away with what it did (a deletion). */
export function passMessage(msg: Msg): void {
  passed = msg;
}

/** The message the previous screen left, set after mounting so the live region announces it. */
export function usePassedMessage(): Msg | null {
  const [msg, setMsg] = useState<Msg | null>(null);
  useEffect(() => {
    const taken = passed;
    passed = null;
    if (taken) setMsg(taken);
  }, []);
  return msg;
}

/** Moves focus once the next render is on screen (the focused button may be replaced). */
export function focusLater(id: string): void {
  requestAnimationFrame(() => document.getElementById(id)?.focus());
}

/** A polite live region; always in the page so the first message is announced too. */
export function StatusText({ text, id }: { text: string; id?: string }) {
  return (
    <p role="status" id={id} class={text ? 'status-message' : 'live-empty'}>
      {text}
    </p>
  );
}

/** An assertive live region for errors; shows the server's message in the chosen language. */
export function AlertText({ error, text, id }: { error?: unknown; text?: string; id?: string }) {
  const shown = text || (error ? errorText(error) : '');
  return (
    <p role="alert" id={id} class={shown ? 'alert-message' : 'live-empty'}>
      {shown}
    </p>
  );
}

export function Loading({ loading, error }: { loading: boolean; error: unknown }) {
  return (
    <>
      <StatusText text={loading ? t('common.loading') : ''} />
      <AlertText error={loading ? null : error} />
    </>
  );
}

interface PaginationProps {
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
}

export function Pagination({ page, pageSize, total, onPage }: PaginationProps) {
  const pages = Math.max(1, Math.ceil(total / Math.max(1, pageSize)));
  return (
    <nav class="pagination" aria-label={t('common.pagination')}>
      <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {t('common.prevPage')}
      </button>
      <span>{t('common.pageOf', { page, pages, total })}</span>
      <button type="button" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {t('common.nextPage')}
      </button>
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

/** The star after a required field's label (the field itself carries `required`). */
export function RequiredMark() {
  return (
    <span class="required" aria-hidden="true">
      {' '}
      *
    </span>
  );
}

/** A labelled input; the hint is tied to it with aria-describedby. */
export function Field({ id, label, value, onValue, hint, inputRef, ...rest }: FieldProps) {
  return (
    <div class="field">
      <label for={id}>
        {label}
        {rest.required ? <RequiredMark /> : null}
      </label>
      <input
        {...rest}
        ref={inputRef}
        id={id}
        name={rest.name ?? id}
        value={value}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onInput={(event) => onValue(event.currentTarget.value)}
      />
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

interface TextAreaProps {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  required?: boolean;
  rows?: number;
}

export function TextArea({ id, label, value, onValue, required, rows = 3 }: TextAreaProps) {
  return (
    <div class="field">
      <label for={id}>
        {label}
        {required ? (
          <span class="required" aria-hidden="true">
            {' '}
            *
          </span>
        ) : null}
      </label>
      <textarea
        id={id}
        name={id}
        rows={rows}
        required={required}
        value={value}
        onInput={(event) => onValue(event.currentTarget.value)}
      />
    </div>
  );
}

interface DataTableProps {
  caption: string;
  columns: string[];
  class?: string;
  children: ComponentChildren;
}

/** A scrollable table named by a caption (for screen readers) with one row of column headings. */
export function DataTable({ caption, columns, class: className, children }: DataTableProps) {
  return (
    <div class="table-wrap">
      <table class={className}>
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column, index) => (
              <th key={index} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

interface ConfirmProps {
  text: string;
  confirmId: string;
  onConfirm: () => void;
  onCancel: () => void;
  small?: boolean;
  disabled?: boolean;
}

/** An inline "are you sure" for deletions: the question, 确定删除 and 取消. */
export function ConfirmDelete({ text, confirmId, onConfirm, onCancel, small, disabled }: ConfirmProps) {
  return (
    <span class="confirm">
      <span>{text}</span>
      <button
        type="button"
        class={small ? 'small danger' : 'danger'}
        id={confirmId}
        disabled={disabled}
        onClick={onConfirm}
      >
        {t('common.confirmDelete')}
      </button>
      <button type="button" class={small ? 'small' : undefined} onClick={onCancel}>
        {t('common.cancel')}
      </button>
    </span>
  );
}
