// Small labelled controls the block editors of 站点外观 are made of: numbers, switches, columns
// from the site's tree (as checkboxes or one choice), and lists whose entries are added and removed.
import type { ComponentChildren } from 'preact';
import type { ChannelView } from './types';
import { Field } from './ui';

/** A whole number within bounds; an emptied field gives NaN, which the server refuses naming the field. */
export function NumberField(props: {
  id: string;
  label: string;
  value: number;
  min: number;
  max: number;
  onValue: (value: number) => void;
}) {
  return (
    <Field
      id={props.id}
      label={props.label}
      type="number"
      min={props.min}
      max={props.max}
      step={1}
      required
      value={Number.isFinite(props.value) ? String(props.value) : ''}
      onValue={(value) => props.onValue(value === '' ? Number.NaN : Number(value))}
    />
  );
}

export function CheckField(props: {
  id: string;
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <div class="field checkbox">
      <input
        id={props.id}
        type="checkbox"
        checked={props.checked}
        onChange={(event) => props.onChange(event.currentTarget.checked)}
      />
      <label for={props.id}>{props.label}</label>
    </div>
  );
}

/** The columns that hold articles, indented by depth in the tree. */
function listColumns(channels: readonly ChannelView[]): { id: number; label: string }[] {
  return channels
    .filter((c) => c.type !== 'link')
    .map((c) => ({ id: c.id, label: `${'— '.repeat(c.path.split('/').length - 3)}${c.name}` }));
}

/** Columns to take articles from, as checkboxes (`${id}-${channelId}`). */
export function ChannelChecks(props: {
  id: string;
  label: string;
  channels: readonly ChannelView[];
  selected: readonly number[];
  onChange: (ids: number[]) => void;
}) {
  const toggle = (channelId: number, on: boolean) =>
    props.onChange(on ? [...props.selected, channelId] : props.selected.filter((id) => id !== channelId));
  return (
    <fieldset id={props.id} class="look-columns">
      <legend>{props.label}</legend>
      {listColumns(props.channels).map((c) => (
        <CheckField
          key={c.id}
          id={`${props.id}-${c.id}`}
          label={c.label}
          checked={props.selected.includes(c.id)}
          onChange={(on) => toggle(c.id, on)}
        />
      ))}
    </fieldset>
  );
}

/** One column of the site. */
export function ChannelSelect(props: {
  id: string;
  label: string;
  channels: readonly ChannelView[];
  value: number;
  onChange: (id: number) => void;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={String(props.value)}
        onChange={(event) => props.onChange(Number(event.currentTarget.value))}
      >
        {listColumns(props.channels).map((c) => (
          <option key={c.id} value={String(c.id)}>
            {c.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function TextField(props: {
  id: string;
  label: string;
  value: string;
  max: number;
  onValue: (value: string) => void;
}) {
  return <Field id={props.id} label={props.label} maxLength={props.max} value={props.value} onValue={props.onValue} />;
}

/**
 * Entries of a list, each in its own fieldset with a remove button (`${id}-${i}-remove`), and a
 * button that adds one (`${id}-add`). Focus goes to the new entry's first field, or after a
 * removal to the add button, so keyboard users are never left on nothing.
 */
export function EditableList<T>(props: {
  id: string;
  legend: string;
  items: readonly T[];
  max: number;
  itemLegend: (n: number) => string;
  addLabel: string;
  removeLabel: (n: number) => string;
  make: () => T;
  /** The id of an entry's first field, which takes focus when the entry is added. */
  firstId: (i: number) => string;
  onChange: (items: T[]) => void;
  children: (item: T, i: number, change: (item: T) => void) => ComponentChildren;
}) {
  const { id, items, onChange } = props;
  const focusSoon = (target: string) => requestAnimationFrame(() => document.getElementById(target)?.focus());
  return (
    <fieldset id={id}>
      <legend>{props.legend}</legend>
      {items.map((item, i) => (
        <fieldset key={i} class="look-entry">
          <legend>{props.itemLegend(i + 1)}</legend>
          {props.children(item, i, (next) => onChange(items.map((old, j) => (j === i ? next : old))))}
          <button
            type="button"
            class="small"
            id={`${id}-${i}-remove`}
            onClick={() => {
              onChange(items.filter((_, j) => j !== i));
              focusSoon(`${id}-add`);
            }}
          >
            {props.removeLabel(i + 1)}
          </button>
        </fieldset>
      ))}
      <button
        type="button"
        class="small"
        id={`${id}-add`}
        disabled={items.length >= props.max}
        onClick={() => {
          onChange([...items, props.make()]);
          focusSoon(props.firstId(items.length));
        }}
      >
        {props.addLabel}
      </button>
    </fieldset>
  );
}
