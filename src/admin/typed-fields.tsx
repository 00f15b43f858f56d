// The typed fields of an item's content type in the editor: one input per kind (text, rich text,
// number, date, time, choices, file, image, link, relation, group of entries). An error the save
// got back is shown by the field its path names (`fields.materials[2].copies`).
import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { api } from './api';
import { errorText, t } from './i18n';
import { MediaPicker } from './media-picker';
import { RichText } from './rich-text';
import { tidyEditorHtml } from './paste';
import { fromInputValue, toInputValue } from './time';
import { contentTypeLabel, idOfPath, pathWithin, type FormValue, type FormValues } from './typed-values';
import type {
  ArticleSummary,
  ContentTypeView,
  FieldDefView,
  FieldValue,
  FieldView,
  FileValue,
  GroupEntry,
  ImageValue,
  ItemRelation,
  LinkValue,
  MediaView,
  Page,
} from './types';
import { RequiredMark } from './ui';

type Def = FieldDefView & { fields?: FieldDefView[] };

interface Context {
  timeZone: string;
  /** The path the last error named, and the error. */
  errorPath: string | null;
  error: unknown;
  /** Titles of the items relations point to, as far as they are known. */
  titles: Map<number, string>;
  selfId: number | null;
}

type Value = FormValue | undefined;

interface BlockProps {
  def: Def;
  path: string;
  value: Value;
  /**
   * Changes the value from what it is then (not from what this render saw: a rich text editor
   * may report twice before the next render).
   */
  onValue: (update: (old: Value) => Value) => void;
  ctx: Context;
}

/** Sets the value outright. */
function putter(onValue: BlockProps['onValue']) {
  return (value: Value) => onValue(() => value);
}

/** Whether the error is this field's: a group keeps only its own and its entries' errors. */
function claims(def: Def, path: string, errorPath: string | null): boolean {
  if (errorPath === null) return false;
  if (def.kind !== 'group') return pathWithin(errorPath, path);
  return errorPath === path || new RegExp(`^${path.replace(/[.[\]]/g, '\\$&')}\\[\\d+\\]$`).test(errorPath);
}

function ids(path: string, def: Def, ctx: Context) {
  const id = idOfPath(path);
  const mine = claims(def, path, ctx.errorPath);
  const describedBy = [def.help ? `${id}-hint` : '', mine ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return { id, mine, describedBy };
}

function Help({ id, def }: { id: string; def: Def }) {
  return def.help ? (
    <p class="hint" id={`${id}-hint`}>
      {def.help}
    </p>
  ) : null;
}

function Problem({ id, shown, error }: { id: string; shown: boolean; error: unknown }) {
  return shown ? (
    <p class="field-error" id={`${id}-error`}>
      {errorText(error)}
    </p>
  ) : null;
}

function Label({ id, def }: { id: string; def: Def }) {
  return (
    <label for={id}>
      {def.label}
      {def.required ? <RequiredMark /> : null}
    </label>
  );
}

const text = (value: FormValue | undefined): string =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
const orNothing = (value: string): string | undefined => (value === '' ? undefined : value);

/** An input or a text area, a select: the kinds one control holds. */
function SingleInput({ def, path, value, onValue: update, ctx }: BlockProps) {
  const { id, mine, describedBy } = ids(path, def, ctx);
  const onValue = putter(update);
  const common = {
    id,
    name: id,
    'aria-invalid': mine ? true : undefined,
    'aria-describedby': describedBy,
  } as const;
  let control: ComponentChildren;
  switch (def.kind) {
    case 'number':
      control = (
        <input
          {...common}
          type="number"
          step="any"
          value={text(value)}
          onInput={(e) => onValue(orNothing(e.currentTarget.value))}
        />
      );
      break;
    case 'date':
      control = (
        <input {...common} type="date" value={text(value)} onInput={(e) => onValue(orNothing(e.currentTarget.value))} />
      );
      break;
    case 'dateTime':
      control = (
        <input
          {...common}
          type="datetime-local"
          value={toInputValue(typeof value === 'string' ? value : null, ctx.timeZone)}
          onInput={(e) => onValue(fromInputValue(e.currentTarget.value, ctx.timeZone) ?? undefined)}
        />
      );
      break;
    case 'choice':
      control = (
        <select {...common} value={text(value)} onChange={(e) => onValue(orNothing(e.currentTarget.value))}>
          <option value="">{t('typed.none')}</option>
          {(def.options ?? []).map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      );
      break;
    default: {
      const max = def.maxLength ?? 2000;
      const onInput = (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) =>
        onValue(orNothing(e.currentTarget.value));
      control =
        max > 200 ? (
          <textarea {...common} rows={3} maxLength={max} value={text(value)} onInput={onInput} />
        ) : (
          <input {...common} type="text" maxLength={max} value={text(value)} onInput={onInput} />
        );
    }
  }
  return (
    <div class="field">
      <Label id={id} def={def} />
      {control}
      <Help id={id} def={def} />
      <Problem id={id} shown={mine} error={ctx.error} />
    </div>
  );
}

function RichTextBlock({ def, path, value, onValue: update, ctx }: BlockProps) {
  const { id, mine } = ids(path, def, ctx);
  const onValue = putter(update);
  return (
    <div class="field">
      <span class="field-label" id={`${id}-label`}>
        {def.label}
        {def.required ? <RequiredMark /> : null}
      </span>
      <RichText
        idPrefix={`${id}-`}
        labelText={def.label}
        toolbarText={t('typed.toolbar', { label: def.label })}
        initialHtml={text(value)}
        onChange={(editor) => onValue(editor.isEmpty ? undefined : tidyEditorHtml(editor.getHTML()))}
      />
      <Help id={id} def={def} />
      <Problem id={id} shown={mine} error={ctx.error} />
    </div>
  );
}

function ChoicesBlock({ def, path, value, onValue, ctx }: BlockProps) {
  const { id, mine, describedBy } = ids(path, def, ctx);
  const chosenIn = (v: Value) => (Array.isArray(v) ? (v as string[]) : []);
  const chosen = chosenIn(value);
  const toggle = (option: string, on: boolean) =>
    onValue((old) => {
      // Kept in the options' order, whatever order they were ticked in.
      const next = (def.options ?? []).filter((o) => (o === option ? on : chosenIn(old).includes(o)));
      return next.length > 0 ? next : undefined;
    });
  return (
    <fieldset class="typed-choices" id={id} aria-describedby={describedBy}>
      <legend>
        {def.label}
        {def.required ? <RequiredMark /> : null}
      </legend>
      {(def.options ?? []).map((option, index) => (
        <span class="checkbox" key={option}>
          <input
            id={`${id}-${index}`}
            type="checkbox"
            checked={chosen.includes(option)}
            onChange={(e) => toggle(option, e.currentTarget.checked)}
          />
          <label for={`${id}-${index}`}>{option}</label>
        </span>
      ))}
      <Help id={id} def={def} />
      <Problem id={id} shown={mine} error={ctx.error} />
    </fieldset>
  );
}

type Parts = Record<string, string>;

/** file ({url, name}), image ({url, alt}) and link ({url, text}): two inputs in a fieldset. */
function PairBlock({ def, path, value, onValue, ctx }: BlockProps) {
  const { id, mine, describedBy } = ids(path, def, ctx);
  const second = def.kind === 'file' ? 'name' : def.kind === 'image' ? 'alt' : 'text';
  const secondLabel = def.kind === 'file' ? 'typed.fileName' : def.kind === 'image' ? 'typed.alt' : 'typed.linkText';
  const partsOf = (v: Value): Parts =>
    typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).map(([k, p]) => [k, String(p)]))
      : {};
  const pairOf = (u: string, o: string): FileValue | ImageValue | LinkValue =>
    def.kind === 'file' ? { url: u, name: o } : def.kind === 'image' ? { url: u, alt: o } : { url: u, text: o };
  const parts = partsOf(value);
  const url = parts.url ?? '';
  const other = parts[second] ?? '';
  const set = (patch: { url?: string; other?: string }) =>
    onValue((old) => {
      const before = partsOf(old);
      const next = pairOf(patch.url ?? before.url ?? '', patch.other ?? before[second] ?? '');
      return Object.values(next).every((part) => part === '') ? undefined : next;
    });
  const bad = (part: string) =>
    mine && (ctx.errorPath === `${path}.${part}` || (part === 'url' && ctx.errorPath === path)) ? true : undefined;
  // An image shown on a public page needs its text alternative (the server refuses it without).
  const altNeeded = def.kind === 'image' && url !== '';
  const picked = (media: MediaView) =>
    set({ url: media.url, other: other || (def.kind === 'image' ? media.alt : media.originalName) });
  return (
    <fieldset class="typed-pair" aria-describedby={describedBy}>
      <legend>
        {def.label}
        {def.required ? <RequiredMark /> : null}
      </legend>
      <div class="field">
        <label for={`${id}-url`}>{t('typed.url', { label: def.label })}</label>
        <input
          id={`${id}-url`}
          type="text"
          inputMode="url"
          value={url}
          aria-invalid={bad('url')}
          aria-describedby={mine ? `${id}-error` : undefined}
          onInput={(e) => set({ url: e.currentTarget.value })}
        />
      </div>
      <div class="field">
        <label for={`${id}-${second}`}>
          {t(secondLabel, { label: def.label })}
          {altNeeded ? <RequiredMark /> : null}
        </label>
        <input
          id={`${id}-${second}`}
          type="text"
          maxLength={200}
          value={other}
          required={altNeeded}
          aria-invalid={bad(second)}
          aria-describedby={def.kind === 'image' ? `${id}-alt-hint` : undefined}
          onInput={(e) => set({ other: e.currentTarget.value })}
        />
        {def.kind === 'image' ? (
          <p class="hint" id={`${id}-alt-hint`}>
            {t('typed.altHint')}
          </p>
        ) : null}
      </div>
      {def.kind === 'link' ? null : (
        <div class="actions">
          <MediaPicker
            id={id}
            kind={def.kind === 'image' ? 'image' : 'attachment'}
            label={def.label}
            onChoose={picked}
          />
        </div>
      )}
      <Help id={id} def={def} />
      <Problem id={id} shown={mine} error={ctx.error} />
    </fieldset>
  );
}

/** A relation: the chosen items as removable chips, and a search among items of the target type. */
function RelationBlock({ def, path, value, onValue, ctx }: BlockProps) {
  const { id, mine, describedBy } = ids(path, def, ctx);
  const idsIn = (v: Value) => (Array.isArray(v) ? (v as number[]).filter((n) => typeof n === 'number') : []);
  const chosen = idsIn(value);
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<{ q: string; items: ArticleSummary[] } | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [, setKnown] = useState(0);
  const target = def.to ?? 'article';
  const titleOf = (itemId: number) => ctx.titles.get(itemId) ?? t('typed.itemTitle', { id: itemId });

  const search = async () => {
    setProblem(null);
    try {
      const page = await api.get<Page<ArticleSummary>>('/api/v1/articles', {
        type: target,
        q: query.trim(),
        pageSize: 10,
      });
      setFound({ q: query.trim(), items: page.items.filter((item) => item.id !== ctx.selfId) });
    } catch (failure) {
      setProblem(failure);
    }
  };
  const choose = (item: ArticleSummary) => {
    ctx.titles.set(item.id, item.title);
    setKnown((n) => n + 1);
    onValue((old) => (def.many ? [...idsIn(old).filter((c) => c !== item.id), item.id] : [item.id]));
    document.getElementById(`${id}-q`)?.focus();
  };
  const unchoose = (itemId: number) => {
    onValue((old) => {
      const next = idsIn(old).filter((c) => c !== itemId);
      return next.length > 0 ? next : undefined;
    });
    document.getElementById(`${id}-q`)?.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    void search();
  };
  const results = found?.items.filter((item) => !chosen.includes(item.id)) ?? [];
  return (
    <fieldset class="typed-relation" aria-describedby={describedBy}>
      <legend>
        {def.label}
        {def.required ? <RequiredMark /> : null}
      </legend>
      <p class="field-label" id={`${id}-chosen`}>
        {t('typed.chosen')}
      </p>
      {chosen.length === 0 ? (
        <p class="empty">{t('typed.noneChosen')}</p>
      ) : (
        <ul class="chips" aria-labelledby={`${id}-chosen`}>
          {chosen.map((itemId) => (
            <li key={itemId} class="chip">
              <span>{titleOf(itemId)}</span>
              <button
                type="button"
                class="small"
                aria-label={t('typed.unchoose', { title: titleOf(itemId) })}
                onClick={() => unchoose(itemId)}
              >
                {t('common.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div class="field inline-search">
        <label for={`${id}-q`}>{t('typed.search', { label: contentTypeLabel(target) })}</label>
        <input
          id={`${id}-q`}
          type="search"
          value={query}
          aria-invalid={mine ? true : undefined}
          aria-describedby={`${id}-q-hint`}
          onInput={(e) => setQuery(e.currentTarget.value)}
          onKeyDown={onKeyDown}
        />
        <p class="hint" id={`${id}-q-hint`}>
          {t('typed.searchHint')}
        </p>
        <button type="button" id={`${id}-search`} onClick={() => void search()}>
          {t('typed.searchButton')}
        </button>
      </div>
      {problem ? (
        <p class="field-error" role="alert">
          {errorText(problem)}
        </p>
      ) : null}
      {found ? (
        <div role="status">
          {results.length === 0 ? (
            <p class="empty">{t('typed.searchNone', { q: found.q, type: contentTypeLabel(target) })}</p>
          ) : (
            <ul class="relation-results" aria-label={t('typed.results')}>
              {results.map((item) => (
                <li key={item.id}>
                  <button type="button" class="small" onClick={() => choose(item)}>
                    {t('typed.choose', { title: item.title })}
                  </button>
                  <span class="meta"> {item.channelName}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      ) : null}
      <Help id={id} def={def} />
      <Problem id={id} shown={mine} error={ctx.error} />
    </fieldset>
  );
}

/** A repeatable set of sub-fields: add an entry, remove one, move one up. */
function GroupBlock({ def, path, value, onValue, ctx }: BlockProps) {
  const { id, mine, describedBy } = ids(path, def, ctx);
  const entriesIn = (v: Value) => (Array.isArray(v) ? (v as GroupEntry[]) : []);
  const entries = entriesIn(value);
  // Stable keys, so an entry's rich text editor moves with it.
  const counter = useRef(0);
  const fresh = () => (counter.current += 1);
  const [keys, setKeys] = useState<number[]>(() => entries.map(() => fresh()));
  const shownKeys = keys.length === entries.length ? keys : entries.map((_, i) => -(i + 1));
  const change = (edit: <T>(list: T[]) => T[], nextKeys: number[], focus: () => HTMLElement | null) => {
    setKeys(nextKeys);
    onValue((old) => {
      const next = edit(entriesIn(old));
      return next.length > 0 ? next : undefined;
    });
    requestAnimationFrame(() => focus()?.focus());
  };
  const firstControl = (i: number) =>
    document.querySelector<HTMLElement>(`#${id}-${i} :is(input, select, textarea, [contenteditable="true"])`);
  const add = () =>
    change(
      (list) => [...list, {} as (typeof list)[number]],
      [...shownKeys, fresh()],
      () => firstControl(entries.length),
    );
  const remove = (i: number) =>
    change(
      (list) => list.filter((_, j) => j !== i),
      shownKeys.filter((_, j) => j !== i),
      () => document.getElementById(`${id}-add`),
    );
  const swapUp =
    (i: number) =>
    <T,>(list: T[]): T[] =>
      list.map((item, j) => (j === i - 1 ? list[i] : j === i ? list[i - 1] : item) as T);
  const moveUp = (i: number) =>
    change(swapUp(i), swapUp(i)(shownKeys), () =>
      document.getElementById(i - 1 === 0 ? `${id}-${i - 1}-remove` : `${id}-${i - 1}-up`),
    );
  const setPart = (i: number, name: string) => (update: (old: Value) => Value) =>
    onValue((old) =>
      entriesIn(old).map((entry, j) => {
        if (j !== i) return entry;
        const changed: Record<string, FieldValue> = { ...entry };
        const part = update(entry[name]);
        if (part === undefined) delete changed[name];
        else changed[name] = part;
        return changed;
      }),
    );
  return (
    <fieldset class="typed-group" aria-describedby={describedBy}>
      <legend>
        {def.label}
        {def.required ? <RequiredMark /> : null}
      </legend>
      <Help id={id} def={def} />
      <Problem id={id} shown={mine} error={ctx.error} />
      {entries.length === 0 ? <p class="empty">{t('typed.noEntries')}</p> : null}
      {entries.map((entry, i) => {
        const n = i + 1;
        return (
          <fieldset class="group-entry" id={`${id}-${i}`} key={shownKeys[i]}>
            <legend>{t('typed.entry', { label: def.label, n })}</legend>
            {(def.fields ?? []).map((part) => (
              <FieldBlock
                key={part.name}
                def={part}
                path={`${path}[${i}].${part.name}`}
                value={entry[part.name]}
                onValue={setPart(i, part.name)}
                ctx={ctx}
              />
            ))}
            <div class="actions">
              <button
                type="button"
                class="small"
                id={`${id}-${i}-up`}
                aria-label={t('typed.moveUp', { label: def.label, n })}
                disabled={i === 0}
                onClick={() => moveUp(i)}
              >
                {t('typed.up')}
              </button>
              <button
                type="button"
                class="small danger"
                id={`${id}-${i}-remove`}
                aria-label={t('typed.removeEntry', { label: def.label, n })}
                onClick={() => remove(i)}
              >
                {t('typed.remove')}
              </button>
            </div>
          </fieldset>
        );
      })}
      <button type="button" id={`${id}-add`} onClick={add}>
        {t('typed.addEntry', { label: def.label })}
      </button>
    </fieldset>
  );
}

function FieldBlock(props: BlockProps) {
  switch (props.def.kind) {
    case 'richText':
      return <RichTextBlock {...props} />;
    case 'choices':
      return <ChoicesBlock {...props} />;
    case 'file':
    case 'image':
    case 'link':
      return <PairBlock {...props} />;
    case 'relation':
      return <RelationBlock {...props} />;
    case 'group':
      return <GroupBlock {...props} />;
    default:
      return <SingleInput {...props} />;
  }
}

interface TypedFieldsProps {
  type: ContentTypeView;
  values: FormValues;
  /** Changes the values from what they are then. */
  onChange: (update: (values: FormValues) => FormValues) => void;
  /** The article's relations (their titles for the chips), and its id (not offered to itself). */
  relations: ItemRelation[];
  selfId: number | null;
  timeZone: string;
  /** The last save's error: shown by the field its path names. */
  error: unknown;
  errorPath: string | null;
}

/** The type's fields, in its order. */
export function TypedFields({
  type,
  values,
  onChange,
  relations,
  selfId,
  timeZone,
  error,
  errorPath,
}: TypedFieldsProps) {
  const titles = useRef(new Map(relations.filter((r) => r.direction === 'to').map((r) => [r.id, r.title])));
  const ctx: Context = { timeZone, errorPath, error, titles: titles.current, selfId };
  const set = (name: string) => (update: (old: Value) => Value) =>
    onChange((current) => {
      const next: FormValues = { ...current };
      const value = update(current[name]);
      if (value === undefined) delete next[name];
      else next[name] = value;
      return next;
    });
  return (
    <div class="typed-fields">
      {type.fields.map((def: FieldView) => (
        <FieldBlock
          key={def.name}
          def={def}
          path={`fields.${def.name}`}
          value={values[def.name]}
          onValue={set(def.name)}
          ctx={ctx}
        />
      ))}
    </div>
  );
}
