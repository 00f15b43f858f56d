// The inline form behind the 链接 button (no window.prompt: it is unstyled, untranslatable and
// dismissed by some browsers' automation).
import type { Editor } from '@tiptap/core';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { t } from './i18n';
import { AlertText } from './ui';

const ALLOWED = /^(https?:\/\/|mailto:|tel:|\/)/i;

/** 'www.gov.cn' → 'https://www.gov.cn'; null for schemes we do not link to (javascript:, data:…). */
export function normaliseUrl(raw: string): string | null {
  const url = raw.trim();
  if (ALLOWED.test(url)) return url;
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return null;
  return /^[\w-]+(\.[\w-]+)+/.test(url) ? `https://${url}` : null;
}

export function LinkForm({
  editor,
  idPrefix = '',
  onClose,
}: {
  editor: Editor;
  idPrefix?: string;
  onClose: () => void;
}) {
  const id = (name: string) => `${idPrefix}${name}`;
  const current = String(editor.getAttributes('link')['href'] ?? '');
  const [url, setUrl] = useState(current);
  const [invalid, setInvalid] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  // Focus in the same commit, so typing right after pressing 链接 lands in the field.
  useLayoutEffect(() => input.current?.focus(), []);

  const close = () => {
    onClose();
    editor.commands.focus();
  };

  const apply = (event: Event) => {
    event.preventDefault();
    if (!url.trim()) return remove();
    const href = normaliseUrl(url);
    setInvalid(href === null);
    if (href === null) return;
    const { empty } = editor.state.selection;
    if (empty && !editor.isActive('link')) {
      // Nothing selected: insert the address itself as the link text.
      editor
        .chain()
        .focus()
        .insertContent({ type: 'text', text: href, marks: [{ type: 'link', attrs: { href } }] })
        .run();
    } else {
      editor.chain().focus().extendMarkRange('link').setLink({ href }).run();
    }
    onClose();
  };

  const remove = () => {
    editor.chain().focus().extendMarkRange('link').unsetLink().run();
    onClose();
  };

  return (
    <form
      class="link-form"
      onSubmit={apply}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          close();
        }
      }}
    >
      <label for={id('link-url')}>{t('link.url')}</label>
      <input
        id={id('link-url')}
        name="link-url"
        ref={input}
        type="text"
        inputMode="url"
        value={url}
        aria-invalid={invalid ? true : undefined}
        aria-describedby={id('link-url-error')}
        onInput={(e) => setUrl(e.currentTarget.value)}
        placeholder="https://"
      />
      <button type="submit" id={id('link-apply')}>
        {t('link.apply')}
      </button>
      {current ? (
        <button type="button" id={id('link-remove')} onClick={remove}>
          {t('link.remove')}
        </button>
      ) : null}
      <button type="button" onClick={close}>
        {t('common.cancel')}
      </button>
      <AlertText id={id('link-url-error')} text={invalid ? t('link.invalid') : ''} />
    </form>
  );
}
