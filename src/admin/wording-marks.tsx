// The wording check (错敏词) in the editor: each finding marked in place in the body (a
// ProseMirror decoration, its reason on hover and, for the caret, in a status line) and listed
// below the body with a button that jumps to it. Checked live as the text changes.
import type { Editor } from '@tiptap/core';
import type { Node as PmNode } from '@tiptap/pm/model';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from './api';
import { errorText, t, type MessageKey } from './i18n';

export interface WordingFinding {
  field: 'title' | 'summary' | 'body';
  start: number;
  end: number;
  text: string;
  occurrence: number;
  kind: 'wrong' | 'outdated' | 'near-miss' | 'order';
  severity: 'serious' | 'suspect' | 'custom';
  suggestion: string;
  entry: string;
  reason: string;
}

/** A body finding with its place in the editor's document. */
interface Placed {
  from: number;
  to: number;
  index: number;
}

const marksKey = new PluginKey<DecorationSet>('wording-marks');

/** Keeps the marks on their words while the text is edited, until the next check replaces them. */
function marksPlugin(): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key: marksKey,
    state: {
      init: () => DecorationSet.empty,
      apply: (tr, set) => (tr.getMeta(marksKey) as DecorationSet | undefined) ?? set.map(tr.mapping, tr.doc),
    },
    props: { decorations: (state) => marksKey.getState(state) },
  });
}

/**
 * The document's text as the server reads the body (text nodes in order, a line break between
 * blocks) with the document position of each piece, so that the n-th occurrence of a finding's
 * text is found again here whatever the markup around it.
 */
function textWithPositions(doc: PmNode): { text: string; pieces: { at: number; pos: number; length: number }[] } {
  let text = '';
  const pieces: { at: number; pos: number; length: number }[] = [];
  doc.descendants((node, pos) => {
    if (node.isBlock && text !== '' && !text.endsWith('\n')) text += '\n';
    if (node.isText && node.text) {
      pieces.push({ at: text.length, pos, length: node.text.length });
      text += node.text;
    }
    return true;
  });
  return { text, pieces };
}

function positionOf(
  pieces: readonly { at: number; pos: number; length: number }[],
  offset: number,
  end: boolean,
): number | null {
  for (const piece of pieces) {
    const inside = end
      ? offset > piece.at && offset <= piece.at + piece.length
      : offset >= piece.at && offset < piece.at + piece.length;
    if (inside) return piece.pos + (offset - piece.at);
  }
  return null;
}

/** Where each body finding is in the document (findings of other fields are not placed). */
export function placeFindings(doc: PmNode, findings: readonly WordingFinding[]): Placed[] {
  const { text, pieces } = textWithPositions(doc);
  const placed: Placed[] = [];
  findings.forEach((finding, index) => {
    if (finding.field !== 'body') return;
    let at = -1;
    for (let n = 0; n <= finding.occurrence; n++) {
      at = text.indexOf(finding.text, at + 1);
      if (at === -1) return;
    }
    const from = positionOf(pieces, at, false);
    const to = positionOf(pieces, at + finding.text.length, true);
    if (from !== null && to !== null) placed.push({ from, to, index });
  });
  return placed;
}

function decorate(doc: PmNode, findings: readonly WordingFinding[], placed: readonly Placed[]): DecorationSet {
  return DecorationSet.create(
    doc,
    placed.map(({ from, to, index }) => {
      const finding = findings[index]!;
      return Decoration.inline(
        from,
        to,
        {
          class: `wording-mark wording-${finding.severity}`,
          title: `${finding.reason} ${t('wording.suggest', { suggestion: finding.suggestion })}`,
          'data-finding': String(index),
        },
        { index },
      );
    }),
  );
}

const FIELD_INPUT: Record<'title' | 'summary', string> = { title: 'title', summary: 'summary' };

/** Checks the fields and the body a moment after the last change, and marks what it finds. */
function useLiveCheck(
  editor: Editor,
  title: string,
  summary: string,
): { findings: WordingFinding[]; placed: Placed[]; error: unknown; checking: boolean } {
  const [findings, setFindings] = useState<WordingFinding[]>([]);
  const [placed, setPlaced] = useState<Placed[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [checking, setChecking] = useState(false);
  const [bodyEdits, setBodyEdits] = useState(0);
  const latest = useRef(0);

  useEffect(() => {
    const plugin = marksPlugin();
    editor.registerPlugin(plugin);
    const onUpdate = () => setBodyEdits((n) => n + 1);
    editor.on('update', onUpdate);
    return () => {
      editor.off('update', onUpdate);
      if (!editor.isDestroyed) editor.unregisterPlugin(marksKey);
    };
  }, [editor]);

  useEffect(() => {
    const run = ++latest.current;
    const timer = setTimeout(() => {
      setChecking(true);
      api
        .post<{ findings: WordingFinding[] }>('/api/v1/wording/check', { title, summary, bodyHtml: editor.getHTML() })
        .then(
          (answer) => {
            if (run !== latest.current || editor.isDestroyed) return;
            const where = placeFindings(editor.state.doc, answer.findings);
            editor.view.dispatch(
              editor.state.tr
                .setMeta(marksKey, decorate(editor.state.doc, answer.findings, where))
                .setMeta('addToHistory', false),
            );
            setFindings(answer.findings);
            setPlaced(where);
            setError(null);
            setChecking(false);
          },
          (failure: unknown) => {
            if (run !== latest.current) return;
            setError(failure);
            setChecking(false);
          },
        );
    }, 500);
    return () => clearTimeout(timer);
  }, [editor, title, summary, bodyEdits]);

  return { findings, placed, error, checking };
}

/** The finding whose mark holds the caret, if any (announced for keyboard and screen-reader users). */
function useFindingAtCaret(editor: Editor, placed: readonly Placed[]): number | null {
  const [index, setIndex] = useState<number | null>(null);
  useEffect(() => {
    const onSelection = () => {
      const { from } = editor.state.selection;
      const mapped = marksKey.getState(editor.state)?.find(from, from) ?? [];
      const hit = mapped.find((d) => d.from <= from && from <= d.to);
      setIndex(hit ? (hit.spec as { index: number }).index : null);
    };
    editor.on('selectionUpdate', onSelection);
    return () => {
      editor.off('selectionUpdate', onSelection);
    };
  }, [editor, placed]);
  return index;
}

/**
 * Selects the finding's words. Run after the key that pressed the button is done with: Enter's
 * own keypress must not land in the body and replace the selection it just made.
 */
function jumpTo(editor: Editor, finding: WordingFinding, place: Placed | undefined): void {
  setTimeout(() => select(editor, finding, place), 0);
}

function select(editor: Editor, finding: WordingFinding, place: Placed | undefined): void {
  if (finding.field === 'body') {
    if (place) editor.chain().focus().setTextSelection({ from: place.from, to: place.to }).scrollIntoView().run();
    return;
  }
  const input = document.getElementById(FIELD_INPUT[finding.field]) as HTMLInputElement | HTMLTextAreaElement | null;
  input?.focus();
  input?.setSelectionRange(finding.start, finding.end);
}

function FindingItem({ finding, onJump }: { finding: WordingFinding; onJump: () => void }) {
  return (
    <li class={`wording-finding wording-${finding.severity}`}>
      <span class="wording-severity">{t(`wording.severity.${finding.severity}` as MessageKey)}</span>{' '}
      <span>
        {t(`wording.field.${finding.field}` as MessageKey)} · {t(`wording.kind.${finding.kind}` as MessageKey)}：
      </span>
      <q>{finding.text}</q> → <strong>{finding.suggestion}</strong>
      <span class="wording-reason"> {finding.reason}</span>{' '}
      <button type="button" class="small" onClick={onJump}>
        {t('wording.jump', { text: finding.text })}
      </button>
    </li>
  );
}

/** Below the body: the findings of the live check, each with a button that jumps to it. */
export function WordingPanel({ editor, title, summary }: { editor: Editor; title: string; summary: string }) {
  const { findings, placed, error, checking } = useLiveCheck(editor, title, summary);
  const atCaret = useFindingAtCaret(editor, placed);
  const serious = findings.filter((f) => f.severity === 'serious').length;
  const status = error
    ? t('wording.failed', { error: errorText(error) })
    : findings.length === 0
      ? checking
        ? t('wording.checking')
        : t('wording.none')
      : t('wording.count', { n: findings.length, serious });
  const caretFinding = atCaret === null ? undefined : findings[atCaret];
  return (
    <section class="panel wording-panel" aria-labelledby="wording-title">
      <h2 id="wording-title">{t('wording.title')}</h2>
      <p id="wording-status" role="status">
        {status}
      </p>
      <p id="wording-caret" role="status" class="wording-caret">
        {caretFinding
          ? t('wording.atCaret', {
              reason: `${caretFinding.reason} ${t('wording.suggest', { suggestion: caretFinding.suggestion })}`,
            })
          : ''}
      </p>
      {findings.length > 0 ? (
        <ol class="wording-findings">
          {findings.map((finding, index) => (
            <FindingItem
              key={`${index}-${finding.field}-${finding.start}`}
              finding={finding}
              onJump={() =>
                jumpTo(
                  editor,
                  finding,
                  placed.find((p) => p.index === index),
                )
              }
            />
          ))}
        </ol>
      ) : null}
    </section>
  );
}
