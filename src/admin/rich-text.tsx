// The article body: a TipTap editor with a toolbar of real buttons and Word/WPS paste cleaning.
import { Editor } from '@tiptap/core';
import Image from '@tiptap/extension-image';
import { Table, TableCell, TableHeader, TableRow } from '@tiptap/extension-table';
import StarterKit from '@tiptap/starter-kit';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { t, type MessageKey } from './i18n';
import { LinkForm } from './link-form';
import { cleanPastedHtml } from './paste';

interface Tool {
  id: string;
  label: MessageKey;
  run: (editor: Editor) => void;
  /** Present for toggles: the button then carries aria-pressed. */
  active?: (editor: Editor) => boolean;
  enabled?: (editor: Editor) => boolean;
}

const chain = (editor: Editor) => editor.chain().focus();

const FORMAT_TOOLS: Tool[] = [
  {
    id: 'h2',
    label: 'tool.h2',
    run: (e) => chain(e).toggleHeading({ level: 2 }).run(),
    active: (e) => e.isActive('heading', { level: 2 }),
  },
  {
    id: 'h3',
    label: 'tool.h3',
    run: (e) => chain(e).toggleHeading({ level: 3 }).run(),
    active: (e) => e.isActive('heading', { level: 3 }),
  },
  { id: 'bold', label: 'tool.bold', run: (e) => chain(e).toggleBold().run(), active: (e) => e.isActive('bold') },
  {
    id: 'italic',
    label: 'tool.italic',
    run: (e) => chain(e).toggleItalic().run(),
    active: (e) => e.isActive('italic'),
  },
  {
    id: 'bullet-list',
    label: 'tool.bulletList',
    run: (e) => chain(e).toggleBulletList().run(),
    active: (e) => e.isActive('bulletList'),
  },
  {
    id: 'ordered-list',
    label: 'tool.orderedList',
    run: (e) => chain(e).toggleOrderedList().run(),
    active: (e) => e.isActive('orderedList'),
  },
  {
    id: 'quote',
    label: 'tool.quote',
    run: (e) => chain(e).toggleBlockquote().run(),
    active: (e) => e.isActive('blockquote'),
  },
  {
    id: 'table',
    label: 'tool.table',
    run: (e) => chain(e).insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run(),
  },
];

const HISTORY_TOOLS: Tool[] = [
  { id: 'undo', label: 'tool.undo', run: (e) => chain(e).undo().run(), enabled: (e) => e.can().undo() },
  { id: 'redo', label: 'tool.redo', run: (e) => chain(e).redo().run(), enabled: (e) => e.can().redo() },
];

function editorProps(label: string) {
  return {
    attributes: { 'aria-label': label, role: 'textbox', 'aria-multiline': 'true', class: 'rich-text-content' },
    transformPastedHTML: cleanPastedHtml,
  };
}

function ToolButton({ tool, editor, idPrefix }: { tool: Tool; editor: Editor; idPrefix: string }) {
  const label = t(tool.label);
  return (
    <button
      type="button"
      id={`${idPrefix}tool-${tool.id}`}
      aria-label={label}
      aria-pressed={tool.active ? tool.active(editor) : undefined}
      disabled={tool.enabled ? !tool.enabled(editor) : false}
      onClick={() => tool.run(editor)}
    >
      {label}
    </button>
  );
}

interface RichTextProps {
  initialHtml: string;
  onReady?: (editor: Editor) => void;
  onChange: (editor: Editor) => void;
  /** The 插入图片 and 上传附件 buttons are there only with these. */
  onInsertImage?: () => void;
  onAttach?: () => void;
  /** The text box's name and the toolbar's (the article body's by default). */
  label?: MessageKey;
  toolbarLabel?: MessageKey;
  /** The same as text, for names that are data (a content type's field labels). */
  labelText?: string;
  toolbarText?: string;
  /** Put before the toolbar's ids, to tell two editors on one page apart. */
  idPrefix?: string;
}

export function RichText(props: RichTextProps) {
  const { initialHtml, onReady, onChange, onInsertImage, onAttach, idPrefix = '' } = props;
  const host = useRef<HTMLDivElement>(null);
  const [editor, setEditor] = useState<Editor | null>(null);
  const [, setTick] = useState(0);
  const [linkOpen, setLinkOpen] = useState(false);
  const callbacks = useRef({ onChange, onReady });
  callbacks.current = { onChange, onReady };
  const label = props.labelText ?? t(props.label ?? 'editor.body');

  useEffect(() => {
    if (!host.current) return;
    const created = new Editor({
      element: host.current,
      extensions: [
        StarterKit.configure({
          // Links open in the same window on the public site; the theme decides otherwise, not each article.
          link: {
            openOnClick: false,
            autolink: true,
            defaultProtocol: 'https',
            HTMLAttributes: { target: null, rel: null },
          },
        }),
        Image.configure({ allowBase64: false }),
        Table.configure({ resizable: false }),
        TableRow,
        TableHeader,
        TableCell,
      ],
      content: initialHtml,
      injectCSS: false, // the few rules it needs are in admin.css (no inline <style>, CSP-friendly)
      editorProps: editorProps(label),
      onUpdate: ({ editor: updated }) => callbacks.current.onChange(updated),
      // Toolbar states (aria-pressed, undo availability) follow the selection.
      onTransaction: () => setTick((n) => n + 1),
    });
    setEditor(created);
    callbacks.current.onReady?.(created);
    return () => created.destroy();
  }, []);

  // In the same commit as the language switch, so the body's name never lags behind the page's.
  useLayoutEffect(() => {
    editor?.setOptions({ editorProps: editorProps(label) });
  }, [editor, label]);

  return (
    <div class="rich-text">
      {editor ? (
        <div class="toolbar" role="group" aria-label={props.toolbarText ?? t(props.toolbarLabel ?? 'editor.toolbar')}>
          {FORMAT_TOOLS.map((tool) => (
            <ToolButton key={tool.id} tool={tool} editor={editor} idPrefix={idPrefix} />
          ))}
          <button
            type="button"
            id={`${idPrefix}tool-link`}
            aria-label={t('tool.link')}
            aria-pressed={editor.isActive('link')}
            aria-expanded={linkOpen}
            onClick={() => setLinkOpen(!linkOpen)}
          >
            {t('tool.link')}
          </button>
          {onInsertImage ? (
            <button
              type="button"
              id={`${idPrefix}tool-image`}
              aria-label={t('tool.image')}
              aria-haspopup="dialog"
              onClick={onInsertImage}
            >
              {t('tool.image')}
            </button>
          ) : null}
          {onAttach ? (
            <button
              type="button"
              id={`${idPrefix}tool-attachment`}
              aria-label={t('tool.attachment')}
              onClick={onAttach}
            >
              {t('tool.attachment')}
            </button>
          ) : null}
          {HISTORY_TOOLS.map((tool) => (
            <ToolButton key={tool.id} tool={tool} editor={editor} idPrefix={idPrefix} />
          ))}
        </div>
      ) : null}
      {editor && linkOpen ? <LinkForm editor={editor} idPrefix={idPrefix} onClose={() => setLinkOpen(false)} /> : null}
      <div ref={host} class="rich-text-host" />
    </div>
  );
}
