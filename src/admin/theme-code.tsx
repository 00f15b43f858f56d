// The template editor's text box: a monospace <textarea> with line numbers beside it, where Tab
// indents (two spaces) instead of leaving; Esc then Tab leaves, so the keyboard is never trapped.
import type { Ref } from 'preact';
import { useRef } from 'preact/hooks';

const INDENT = '  ';

interface CodeEditorProps {
  id: string;
  label: string;
  hint: string;
  value: string;
  onValue: (value: string) => void;
  /** The line a problem was found on: marked in the gutter. */
  errorLine: number | null;
  /** What else describes the box (the live list of problems). */
  describedBy?: string;
  textareaRef?: Ref<HTMLTextAreaElement>;
}

/** Puts the caret at the start of a line and scrolls it into view. */
export function goToLine(textarea: HTMLTextAreaElement | null, line: number): void {
  if (!textarea) return;
  const lines = textarea.value.split('\n');
  const offset = lines.slice(0, Math.max(0, line - 1)).reduce((sum, text) => sum + text.length + 1, 0);
  textarea.focus();
  textarea.setSelectionRange(offset, offset);
  const height = parseFloat(getComputedStyle(textarea).lineHeight) || 20;
  textarea.scrollTop = Math.max(0, (line - 3) * height);
}

export function CodeEditor({ id, label, hint, value, onValue, errorLine, describedBy, textareaRef }: CodeEditorProps) {
  const gutter = useRef<HTMLPreElement>(null);
  // Esc lets the next Tab move focus on, as in other code editors on the web.
  const leaving = useRef(false);
  const count = value.split('\n').length;

  const onKeyDown = (event: KeyboardEvent) => {
    const box = event.currentTarget as HTMLTextAreaElement;
    if (event.key === 'Escape') {
      leaving.current = true;
      return;
    }
    if (event.key === 'Tab' && !event.shiftKey && !leaving.current && !event.ctrlKey && !event.altKey) {
      event.preventDefault();
      box.setRangeText(INDENT, box.selectionStart, box.selectionEnd, 'end');
      onValue(box.value);
      return;
    }
    if (event.key !== 'Shift') leaving.current = false;
  };

  return (
    <div class="field code-field">
      <label for={id}>{label}</label>
      <p class="hint" id={`${id}-hint`}>
        {hint}
      </p>
      <div class="code-editor">
        <pre class="code-lines" aria-hidden="true" ref={gutter}>
          {Array.from({ length: count }, (_, i) => (
            <span key={i} class={i + 1 === errorLine ? 'code-error-line' : undefined}>
              {`${i + 1}\n`}
            </span>
          ))}
        </pre>
        <textarea
          ref={textareaRef}
          id={id}
          name={id}
          rows={24}
          wrap="off"
          spellcheck={false}
          autocomplete="off"
          autocapitalize="off"
          aria-describedby={[`${id}-hint`, describedBy].filter(Boolean).join(' ')}
          aria-invalid={errorLine !== null}
          value={value}
          onInput={(event) => onValue(event.currentTarget.value)}
          onKeyDown={onKeyDown}
          onScroll={(event) => {
            if (gutter.current) gutter.current.scrollTop = event.currentTarget.scrollTop;
          }}
        />
      </div>
    </div>
  );
}
