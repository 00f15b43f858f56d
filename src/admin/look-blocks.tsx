// The home page's blocks, top to bottom: add one of a chosen kind, remove one, move one up or
// down (buttons, so the keyboard does it; each move is announced and keeps focus on the moved
// block), and each block's heading and settings.
import { useState } from 'preact/hooks';
import { HOME_BLOCK_KINDS, SERVICE_ICONS, type HomeBlock, type HomeBlockKind } from '../domain/look';
import { BlockSettings } from './look-block';
import { TextField } from './look-fields';
import { KIND_NAMES, named, tr } from './look-text';
import type { ChannelView } from './types';
import { focusLater, StatusText } from './ui';

/** A new block of a kind, with settings that pass the server's checks as they are. */
function newBlock(kind: HomeBlockKind, id: string, channels: readonly ChannelView[]): HomeBlock {
  const title = named(KIND_NAMES[kind]).replace(/（.*$/, '');
  const column = channels.find((c) => c.type === 'list')?.id ?? 0;
  switch (kind) {
    case 'headline':
      return { kind, id, title, channelIds: [], showSummary: true };
    case 'pictures':
      return { kind, id, title, channelIds: [], count: 5, moreUrl: '' };
    case 'tabs':
      return { kind, id, title, tabs: [{ channelId: column, title: '' }], count: 8, showDates: true, pictures: false };
    case 'disclosure':
      return { kind, id, title, channelId: column, count: 3 };
    case 'services':
      return { kind, id, title, entries: [{ title: '办事指南', url: '/', icon: SERVICE_ICONS[0] }], moreUrl: '' };
    case 'interaction':
      return { kind, id, title, count: 5 };
    case 'topics':
      return { kind, id, title, count: 3, moreUrl: '' };
    case 'links':
      return { kind, id, title, groups: [] };
  }
}

/** An id no block has yet: the kind, then a number when needed (`tabs`, `tabs-2`…). */
function freshId(kind: HomeBlockKind, blocks: readonly HomeBlock[]): string {
  const taken = new Set(blocks.map((b) => b.id));
  if (!taken.has(kind)) return kind;
  let n = 2;
  while (taken.has(`${kind}-${n}`)) n++;
  return `${kind}-${n}`;
}

const shownTitle = (block: HomeBlock) => block.title || named(KIND_NAMES[block.kind]);

/**
 * Ids: `look-add-kind`, `look-add-block`, `look-blocks-status`; per block `look-block-${id}`
 * (its section), `-title`, `-up`, `-down`, `-remove`, and its settings' (look-block.tsx).
 */
export function LookBlocks({
  blocks,
  channels,
  onChange,
}: {
  blocks: readonly HomeBlock[];
  channels: readonly ChannelView[];
  onChange: (blocks: HomeBlock[]) => void;
}) {
  const [kind, setKind] = useState<HomeBlockKind>('tabs');
  const [said, setSaid] = useState('');
  const move = (from: number, to: number) => {
    const block = blocks[from];
    if (!block || to < 0 || to >= blocks.length) return;
    const next = blocks.filter((_, i) => i !== from);
    next.splice(to, 0, block);
    onChange(next);
    setSaid(tr('moved', { title: shownTitle(block), n: to + 1, total: blocks.length }));
    // The button pressed keeps focus; at either end, its twin that can still move the block.
    const edge = to === 0 ? 'down' : to === blocks.length - 1 ? 'up' : to < from ? 'up' : 'down';
    focusLater(`look-block-${block.id}-${edge}`);
  };
  const remove = (index: number) => {
    const block = blocks[index];
    if (!block) return;
    onChange(blocks.filter((_, i) => i !== index));
    setSaid(tr('removedBlock', { title: shownTitle(block) }));
    focusLater('look-add-kind');
  };
  const add = () => {
    const block = newBlock(kind, freshId(kind, blocks), channels);
    onChange([...blocks, block]);
    setSaid(tr('added', { title: shownTitle(block), n: blocks.length + 1 }));
    focusLater(`look-block-${block.id}-title`);
  };
  return (
    <section class="panel" aria-labelledby="look-blocks-title">
      <h2 id="look-blocks-title">{tr('blocks')}</h2>
      <p class="hint">{tr('blocksHint')}</p>
      {blocks.length === 0 ? <p class="empty">{tr('noBlocks')}</p> : null}
      <ol class="look-blocks">
        {blocks.map((block, i) => (
          <li key={block.id}>
            <section
              id={`look-block-${block.id}`}
              class="look-block"
              aria-labelledby={`look-block-${block.id}-heading`}
            >
              <h3 id={`look-block-${block.id}-heading`}>
                {tr('blockHeading', { n: i + 1, kind: named(KIND_NAMES[block.kind]) })}
              </h3>
              <div class="row-actions">
                <button
                  type="button"
                  class="small"
                  id={`look-block-${block.id}-up`}
                  disabled={i === 0}
                  onClick={() => move(i, i - 1)}
                >
                  {tr('moveUp', { title: shownTitle(block) })}
                </button>
                <button
                  type="button"
                  class="small"
                  id={`look-block-${block.id}-down`}
                  disabled={i === blocks.length - 1}
                  onClick={() => move(i, i + 1)}
                >
                  {tr('moveDown', { title: shownTitle(block) })}
                </button>
                <button type="button" class="small" id={`look-block-${block.id}-remove`} onClick={() => remove(i)}>
                  {tr('removeBlock', { title: shownTitle(block) })}
                </button>
              </div>
              <TextField
                id={`look-block-${block.id}-title`}
                label={tr('blockTitle')}
                max={40}
                value={block.title}
                onValue={(title) => onChange(blocks.map((b, j) => (j === i ? { ...b, title } : b)))}
              />
              <BlockSettings
                block={block}
                channels={channels}
                onChange={(next) => onChange(blocks.map((b, j) => (j === i ? next : b)))}
              />
            </section>
          </li>
        ))}
      </ol>
      <div class="filters">
        <div class="field">
          <label for="look-add-kind">{tr('addKind')}</label>
          <select
            id="look-add-kind"
            value={kind}
            onChange={(event) => setKind(HOME_BLOCK_KINDS.find((k) => k === event.currentTarget.value) ?? 'tabs')}
          >
            {HOME_BLOCK_KINDS.map((k) => (
              <option key={k} value={k}>
                {named(KIND_NAMES[k])}
              </option>
            ))}
          </select>
        </div>
        <button type="button" id="look-add-block" disabled={blocks.length >= 20} onClick={add}>
          {tr('add')}
        </button>
      </div>
      <StatusText id="look-blocks-status" text={said} />
    </section>
  );
}
