// The settings of one home page block, by its kind: columns, counts, titles, 更多 links, the
// 办事服务 entrances with their icons, the 友情链接 groups. Every control's id starts with
// `look-block-${block.id}-`, so a block keeps its controls' names wherever it moves.
import { SERVICE_ICONS, type HomeBlock, type LinkEntry, type LinkGroup, type ServiceEntry } from '../domain/look';
import { CheckField, ChannelChecks, ChannelSelect, EditableList, NumberField, TextField } from './look-fields';
import { ICON_NAMES, named, tr } from './look-text';
import type { ChannelView } from './types';

interface Props<B extends HomeBlock> {
  block: B;
  channels: readonly ChannelView[];
  onChange: (block: B) => void;
}

const idOf = (block: HomeBlock, field: string) => `look-block-${block.id}-${field}`;

function MoreUrl<B extends HomeBlock & { moreUrl: string }>({ block, onChange }: Omit<Props<B>, 'channels'>) {
  return (
    <TextField
      id={idOf(block, 'more')}
      label={tr('moreUrl')}
      max={500}
      value={block.moreUrl}
      onValue={(moreUrl) => onChange({ ...block, moreUrl })}
    />
  );
}

function Count<B extends HomeBlock & { count: number }>(
  props: Omit<Props<B>, 'channels'> & {
    min: number;
    max: number;
    label?: 'count' | 'countLetters' | 'countDisclosure';
  },
) {
  const { block, onChange, min, max } = props;
  return (
    <NumberField
      id={idOf(block, 'count')}
      label={tr(props.label ?? 'count', { min, max })}
      min={min}
      max={max}
      value={block.count}
      onValue={(count) => onChange({ ...block, count })}
    />
  );
}

function Columns<B extends HomeBlock & { channelIds: readonly number[] }>({ block, channels, onChange }: Props<B>) {
  return (
    <ChannelChecks
      id={idOf(block, 'columns')}
      label={tr('columns')}
      channels={channels}
      selected={block.channelIds}
      onChange={(channelIds) => onChange({ ...block, channelIds })}
    />
  );
}

function Tabs({ block, channels, onChange }: Props<Extract<HomeBlock, { kind: 'tabs' }>>) {
  const id = idOf(block, 'tabs');
  const first = channels.find((c) => c.type === 'list')?.id ?? 0;
  return (
    <EditableList
      id={id}
      legend={tr('tabs')}
      items={block.tabs}
      max={6}
      itemLegend={(n) => tr('tabN', { n })}
      addLabel={tr('addTab')}
      removeLabel={(n) => tr('removeTab', { n })}
      make={() => ({ channelId: first, title: '' })}
      firstId={(i) => `${id}-${i}-column`}
      onChange={(tabs) => onChange({ ...block, tabs })}
    >
      {(tab, i, change) => (
        <>
          <ChannelSelect
            id={`${id}-${i}-column`}
            label={tr('column')}
            channels={channels}
            value={tab.channelId}
            onChange={(channelId) => change({ ...tab, channelId })}
          />
          <TextField
            id={`${id}-${i}-title`}
            label={tr('tabTitle')}
            max={20}
            value={tab.title}
            onValue={(title) => change({ ...tab, title })}
          />
        </>
      )}
    </EditableList>
  );
}

function Entries({ block, onChange }: Omit<Props<Extract<HomeBlock, { kind: 'services' }>>, 'channels'>) {
  const id = idOf(block, 'entries');
  return (
    <EditableList<ServiceEntry>
      id={id}
      legend={tr('entries')}
      items={block.entries}
      max={24}
      itemLegend={(n) => tr('entryN', { n })}
      addLabel={tr('addEntry')}
      removeLabel={(n) => tr('removeEntry', { n })}
      make={() => ({ title: '', url: '/', icon: 'guide' })}
      firstId={(i) => `${id}-${i}-title`}
      onChange={(entries) => onChange({ ...block, entries })}
    >
      {(entry, i, change) => (
        <>
          <TextField
            id={`${id}-${i}-title`}
            label={tr('entryTitle')}
            max={20}
            value={entry.title}
            onValue={(title) => change({ ...entry, title })}
          />
          <TextField
            id={`${id}-${i}-url`}
            label={tr('url')}
            max={500}
            value={entry.url}
            onValue={(url) => change({ ...entry, url })}
          />
          <div class="field look-icon">
            <label for={`${id}-${i}-icon`}>{tr('icon')}</label>
            <select
              id={`${id}-${i}-icon`}
              value={entry.icon}
              onChange={(event) =>
                change({ ...entry, icon: SERVICE_ICONS.find((s) => s === event.currentTarget.value) ?? 'guide' })
              }
            >
              {SERVICE_ICONS.map((icon) => (
                <option key={icon} value={icon}>
                  {named(ICON_NAMES[icon])}
                </option>
              ))}
            </select>
            <img src={`/assets/icons/${entry.icon}.svg`} alt="" width={24} height={24} />
          </div>
        </>
      )}
    </EditableList>
  );
}

function Links({ id, group, change }: { id: string; group: LinkGroup; change: (group: LinkGroup) => void }) {
  return (
    <EditableList<LinkEntry>
      id={`${id}-links`}
      legend={group.title || tr('groupTitle')}
      items={group.links}
      max={50}
      itemLegend={(n) => tr('linkN', { n })}
      addLabel={tr('addLink')}
      removeLabel={(n) => tr('removeLink', { n })}
      make={() => ({ title: '', url: 'https://' })}
      firstId={(i) => `${id}-links-${i}-title`}
      onChange={(links) => change({ ...group, links })}
    >
      {(link, i, changeLink) => (
        <>
          <TextField
            id={`${id}-links-${i}-title`}
            label={tr('linkTitle')}
            max={60}
            value={link.title}
            onValue={(title) => changeLink({ ...link, title })}
          />
          <TextField
            id={`${id}-links-${i}-url`}
            label={tr('url')}
            max={500}
            value={link.url}
            onValue={(url) => changeLink({ ...link, url })}
          />
        </>
      )}
    </EditableList>
  );
}

function Groups({ block, onChange }: Omit<Props<Extract<HomeBlock, { kind: 'links' }>>, 'channels'>) {
  const id = idOf(block, 'groups');
  return (
    <EditableList<LinkGroup>
      id={id}
      legend={tr('groups')}
      items={block.groups}
      max={10}
      itemLegend={(n) => tr('groupN', { n })}
      addLabel={tr('addGroup')}
      removeLabel={(n) => tr('removeGroup', { n })}
      make={() => ({ title: '', links: [{ title: '', url: 'https://' }] })}
      firstId={(i) => `${id}-${i}-title`}
      onChange={(groups) => onChange({ ...block, groups })}
    >
      {(group, i, change) => (
        <>
          <TextField
            id={`${id}-${i}-title`}
            label={tr('groupTitle')}
            max={20}
            value={group.title}
            onValue={(title) => change({ ...group, title })}
          />
          <Links id={`${id}-${i}`} group={group} change={change} />
        </>
      )}
    </EditableList>
  );
}

/** The kind's own settings (the heading is edited by the block list). */
export function BlockSettings({ block, channels, onChange }: Props<HomeBlock>) {
  switch (block.kind) {
    case 'headline':
      return (
        <>
          <Columns block={block} channels={channels} onChange={onChange} />
          <CheckField
            id={idOf(block, 'summary')}
            label={tr('showSummary')}
            checked={block.showSummary}
            onChange={(showSummary) => onChange({ ...block, showSummary })}
          />
        </>
      );
    case 'pictures':
      return (
        <>
          <Columns block={block} channels={channels} onChange={onChange} />
          <Count block={block} onChange={onChange} min={1} max={10} />
          <MoreUrl block={block} onChange={onChange} />
        </>
      );
    case 'tabs':
      return (
        <>
          <Tabs block={block} channels={channels} onChange={onChange} />
          <Count block={block} onChange={onChange} min={1} max={20} />
          <CheckField
            id={idOf(block, 'dates')}
            label={tr('showDates')}
            checked={block.showDates}
            onChange={(showDates) => onChange({ ...block, showDates })}
          />
          <CheckField
            id={idOf(block, 'pictures')}
            label={tr('tabPictures')}
            checked={block.pictures}
            onChange={(pictures) => onChange({ ...block, pictures })}
          />
        </>
      );
    case 'disclosure':
      return (
        <>
          <ChannelSelect
            id={idOf(block, 'column')}
            label={tr('column')}
            channels={channels}
            value={block.channelId}
            onChange={(channelId) => onChange({ ...block, channelId })}
          />
          <Count block={block} onChange={onChange} min={1} max={10} label="countDisclosure" />
        </>
      );
    case 'services':
      return (
        <>
          <Entries block={block} onChange={onChange} />
          <MoreUrl block={block} onChange={onChange} />
        </>
      );
    case 'interaction':
      return <Count block={block} onChange={onChange} min={0} max={10} label="countLetters" />;
    case 'topics':
      return (
        <>
          <Count block={block} onChange={onChange} min={1} max={6} />
          <MoreUrl block={block} onChange={onChange} />
        </>
      );
    case 'links':
      return <Groups block={block} onChange={onChange} />;
  }
}
