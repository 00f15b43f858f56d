// Checks a site's look as it arrives (JSON from the back office, a file, a test) field by field,
// and returns it as a SiteLook with nothing unknown left in it. The first problem found is
// thrown, naming its field's path (`blocks[2].count`, `blocks[0].tabs[1].channelId`) and why.
import type { ChannelTree } from './channel.js';
import { HEX_COLOUR } from './contrast.js';
import { GazetteError, type ErrorParam } from './errors.js';
import {
  HOME_BLOCK_KINDS,
  SERVICE_ICONS,
  type HomeBlock,
  type HomeBlockKind,
  type LinkEntry,
  type LinkGroup,
  type LookImage,
  type ServiceEntry,
  type SiteLook,
} from './look.js';

/** How many of each thing a look may have, and how long its texts may be. */
export const LOOK_LIMITS = {
  blocks: 20,
  blockId: 40,
  title: 40,
  tabTitle: 20,
  entryTitle: 20,
  linkTitle: 60,
  alt: 100,
  url: 500,
  channelIds: 10,
} as const;

type Fields = Readonly<Record<string, unknown>>;

function invalid(field: string, reason: ErrorParam): GazetteError {
  return new GazetteError('LOOK_INVALID', { field, reason });
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

function objectOf(value: unknown, path: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid(path || 'look', { zh: '须为对象', en: 'must be an object' });
  return value as Fields;
}

/** An object with exactly the keys named (each one checked by the caller; any other is refused). */
function fieldsOf(value: unknown, path: string, keys: readonly string[]): Fields {
  const fields = objectOf(value, path);
  const extra = Object.keys(fields).find((key) => !keys.includes(key));
  if (extra !== undefined) throw invalid(join(path, extra), { zh: '未知字段', en: 'is not a field of it' });
  return fields;
}

function present(fields: Fields, key: string, path: string): unknown {
  const value = fields[key];
  if (value === undefined) throw invalid(join(path, key), { zh: '缺少此项', en: 'is missing' });
  return value;
}

// eslint-disable-next-line no-control-regex -- control characters have no place in a heading or a link
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A text of at most `max` characters, trimmed; `required`: not empty once trimmed. */
function text(fields: Fields, key: string, path: string, max: number, required: boolean): string {
  const field = join(path, key);
  const value = present(fields, key, path);
  if (typeof value !== 'string') throw invalid(field, { zh: '须为文字', en: 'must be a string' });
  const trimmed = value.trim();
  if (CONTROL.test(trimmed))
    throw invalid(field, { zh: '不能含换行或控制字符', en: 'must not hold line breaks or control characters' });
  if (required && trimmed === '') throw invalid(field, { zh: '不能为空', en: 'must not be empty' });
  if ([...trimmed].length > max)
    throw invalid(field, { zh: `最多 ${max} 个字`, en: `must be at most ${max} characters` });
  return trimmed;
}

function whole(fields: Fields, key: string, path: string, min: number, max: number): number {
  const value = present(fields, key, path);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw invalid(join(path, key), {
      zh: `须为 ${min} 到 ${max} 之间的整数`,
      en: `must be a whole number from ${min} to ${max}`,
    });
  return value;
}

function flag(fields: Fields, key: string, path: string): boolean {
  const value = present(fields, key, path);
  if (typeof value !== 'boolean')
    throw invalid(join(path, key), { zh: '须为 true 或 false', en: 'must be true or false' });
  return value;
}

function list(fields: Fields, key: string, path: string, min: number, max: number): readonly unknown[] {
  const value = present(fields, key, path);
  if (!Array.isArray(value) || value.length < min || value.length > max)
    throw invalid(join(path, key), {
      zh: min === 0 ? `须为列表，最多 ${max} 项` : `须为列表，${min} 到 ${max} 项`,
      en: min === 0 ? `must be a list of at most ${max} items` : `must be a list of ${min} to ${max} items`,
    });
  return value;
}

function oneOf<T extends string>(fields: Fields, key: string, path: string, choices: readonly T[]): T {
  const value = present(fields, key, path);
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value))
    throw invalid(join(path, key), {
      zh: `须为以下之一：${choices.join(', ')}`,
      en: `must be one of ${choices.join(', ')}`,
    });
  return value as T;
}

function colour(fields: Fields, key: string): string {
  const value = present(fields, key, '');
  if (typeof value !== 'string' || !HEX_COLOUR.test(value))
    throw invalid(key, {
      zh: '须为 #rrggbb 形式的颜色（如 #b5121b）',
      en: 'must be a colour written #rrggbb (such as #b5121b)',
    });
  return value.toLowerCase();
}

/** A site path (`/zwgk/`, not `//host`) or an absolute http(s) URL without credentials. */
export function isLookLink(url: string): boolean {
  if (url.length > LOOK_LIMITS.url || /[\s"'<>\\`]/.test(url) || CONTROL.test(url)) return false;
  if (url.startsWith('/')) return !url.startsWith('//');
  if (!/^https?:\/\//i.test(url)) return false;
  try {
    const parsed = new URL(url);
    return parsed.hostname !== '' && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}

/** Where a link of the home page leads; `optional`: '' for none. */
function link(fields: Fields, key: string, path: string, optional: boolean): string {
  const value = present(fields, key, path);
  if (optional && value === '') return '';
  if (typeof value !== 'string' || !isLookLink(value))
    throw invalid(join(path, key), {
      zh: `须为本站路径（以 / 开头）或 http(s) 网址${optional ? '，或留空' : ''}`,
      en: `must be a path on the site (starting with /) or an http(s) URL${optional ? ', or empty' : ''}`,
    });
  return value;
}

const MEDIA_PATH = /^\/media\/(?:[A-Za-z0-9._~%-]+\/)*[A-Za-z0-9._~%-]+$/;

/** A file of the media library: `/media/…`, with no `.` or `..` step out of it. */
export function isMediaUrl(url: string): boolean {
  return url.length <= LOOK_LIMITS.url && MEDIA_PATH.test(url) && !url.split('/').some((s) => s === '.' || s === '..');
}

function media(fields: Fields, key: string, path: string): string {
  const value = present(fields, key, path);
  if (typeof value !== 'string' || !isMediaUrl(value))
    throw invalid(join(path, key), {
      zh: '须为媒体库中的文件地址（/media/…）',
      en: 'must be a file of the media library (/media/…)',
    });
  return value;
}

/** The logo or banner: a media file and its alternative text (required for the logo, which names the site). */
function image(fields: Fields, key: string, altRequired: boolean): LookImage | null {
  const value = present(fields, key, '');
  if (value === null) return null;
  const own = fieldsOf(value, key, ['url', 'alt']);
  return { url: media(own, 'url', key), alt: text(own, 'alt', key, LOOK_LIMITS.alt, altRequired) };
}

function favicon(fields: Fields): string | null {
  return present(fields, 'favicon', '') === null ? null : media(fields, 'favicon', '');
}

/** A column of the site that holds articles (or columns that do): a link column has none to show. */
function channel(value: unknown, field: string, tree: ChannelTree): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    throw invalid(field, { zh: '须为栏目编号', en: 'must be a column id' });
  const found = tree.get(value);
  if (!found) throw new GazetteError('LOOK_CHANNEL_UNKNOWN', { field, id: value });
  if (found.type === 'link')
    throw invalid(field, {
      zh: `栏目“${found.name}”是外链栏目，没有文章`,
      en: `column “${found.name}” is a link and holds no articles`,
    });
  return value;
}

function channelList(fields: Fields, path: string, tree: ChannelTree): number[] {
  const ids = list(fields, 'channelIds', path, 0, LOOK_LIMITS.channelIds).map((id, i) =>
    channel(id, `${join(path, 'channelIds')}[${i}]`, tree),
  );
  const again = ids.findIndex((id, i) => ids.indexOf(id) !== i);
  if (again >= 0)
    throw invalid(`${join(path, 'channelIds')}[${again}]`, { zh: '栏目重复', en: 'names a column already listed' });
  return ids;
}

function linkEntry(value: unknown, path: string, titleMax: number): LinkEntry {
  const fields = fieldsOf(value, path, ['title', 'url']);
  return { title: text(fields, 'title', path, titleMax, true), url: link(fields, 'url', path, false) };
}

function serviceEntry(value: unknown, path: string): ServiceEntry {
  const fields = fieldsOf(value, path, ['title', 'url', 'icon']);
  return {
    title: text(fields, 'title', path, LOOK_LIMITS.entryTitle, true),
    url: link(fields, 'url', path, false),
    icon: oneOf(fields, 'icon', path, SERVICE_ICONS),
  };
}

function linkGroup(value: unknown, path: string): LinkGroup {
  const fields = fieldsOf(value, path, ['title', 'links']);
  return {
    title: text(fields, 'title', path, LOOK_LIMITS.entryTitle, true),
    links: list(fields, 'links', path, 1, 50).map((entry, i) =>
      linkEntry(entry, `${path}.links[${i}]`, LOOK_LIMITS.linkTitle),
    ),
  };
}

/** Each kind's own fields (beside id, kind and title). */
const KIND_FIELDS: Readonly<Record<HomeBlockKind, readonly string[]>> = {
  headline: ['channelIds', 'showSummary'],
  pictures: ['channelIds', 'count', 'moreUrl'],
  tabs: ['tabs', 'count', 'showDates', 'pictures'],
  disclosure: ['channelId', 'count'],
  services: ['entries', 'moreUrl'],
  interaction: ['count'],
  topics: ['count', 'moreUrl'],
  links: ['groups'],
};

type Base = { id: string; title: string };

function tab(value: unknown, path: string, tree: ChannelTree): { channelId: number; title: string } {
  const fields = fieldsOf(value, path, ['channelId', 'title']);
  return {
    channelId: channel(present(fields, 'channelId', path), join(path, 'channelId'), tree),
    title: text(fields, 'title', path, LOOK_LIMITS.tabTitle, false),
  };
}

/** The fields of a block of a kind, checked; `base` holds its id and title. */
function blockOf(kind: HomeBlockKind, f: Fields, p: string, base: Base, tree: ChannelTree): HomeBlock {
  switch (kind) {
    case 'headline':
      return { ...base, kind, channelIds: channelList(f, p, tree), showSummary: flag(f, 'showSummary', p) };
    case 'pictures':
      return {
        ...base,
        kind,
        channelIds: channelList(f, p, tree),
        count: whole(f, 'count', p, 1, 10),
        moreUrl: link(f, 'moreUrl', p, true),
      };
    case 'tabs':
      return {
        ...base,
        kind,
        tabs: list(f, 'tabs', p, 1, 6).map((t, i) => tab(t, `${p}.tabs[${i}]`, tree)),
        count: whole(f, 'count', p, 1, 20),
        showDates: flag(f, 'showDates', p),
        pictures: flag(f, 'pictures', p),
      };
    case 'disclosure':
      return {
        ...base,
        kind,
        channelId: channel(present(f, 'channelId', p), join(p, 'channelId'), tree),
        count: whole(f, 'count', p, 1, 10),
      };
    case 'services':
      return {
        ...base,
        kind,
        entries: list(f, 'entries', p, 1, 24).map((e, i) => serviceEntry(e, `${p}.entries[${i}]`)),
        moreUrl: link(f, 'moreUrl', p, true),
      };
    case 'interaction':
      return { ...base, kind, count: whole(f, 'count', p, 0, 10) };
    case 'topics':
      return { ...base, kind, count: whole(f, 'count', p, 1, 6), moreUrl: link(f, 'moreUrl', p, true) };
    case 'links':
      // No groups yet is allowed (the default look's 友情链接): the theme then leaves the block out.
      return { ...base, kind, groups: list(f, 'groups', p, 0, 10).map((g, i) => linkGroup(g, `${p}.groups[${i}]`)) };
  }
}

const BLOCK_ID = /^[a-z][a-z0-9-]*$/;

function block(value: unknown, path: string, tree: ChannelTree): HomeBlock {
  // The kind first: it decides which other fields belong.
  const kind = oneOf(objectOf(value, path), 'kind', path, HOME_BLOCK_KINDS);
  const fields = fieldsOf(value, path, ['id', 'kind', 'title', ...KIND_FIELDS[kind]]);
  const id = text(fields, 'id', path, LOOK_LIMITS.blockId, true);
  if (!BLOCK_ID.test(id))
    throw invalid(join(path, 'id'), {
      zh: '须以小写字母开头，只含小写字母、数字和连字符',
      en: 'must start with a lowercase letter and hold only lowercase letters, digits and hyphens',
    });
  // A 头条 may go without a heading (its article's title is one); every other block names itself.
  const title = text(fields, 'title', path, LOOK_LIMITS.title, kind !== 'headline');
  return blockOf(kind, fields, path, { id, title }, tree);
}

function blocks(fields: Fields, tree: ChannelTree): HomeBlock[] {
  const checked = list(fields, 'blocks', '', 0, LOOK_LIMITS.blocks).map((b, i) => block(b, `blocks[${i}]`, tree));
  const ids = checked.map((b) => b.id);
  const again = ids.findIndex((id, i) => ids.indexOf(id) !== i);
  if (again >= 0)
    throw invalid(`blocks[${again}].id`, {
      zh: `与 blocks[${ids.indexOf(ids[again] ?? '')}].id 重复`,
      en: `repeats blocks[${ids.indexOf(ids[again] ?? '')}].id`,
    });
  return checked;
}

const LOOK_FIELDS = ['mainColour', 'accentColour', 'logo', 'banner', 'favicon', 'blocks'] as const;

/**
 * A look from outside, checked against the site's columns: every field present and of its kind,
 * within its range, nothing unknown; colours `#rrggbb` (lowercased), links a site path or
 * http(s), images files of the media library, block ids unique. Contrast is the service's check.
 */
export function validateLook(input: unknown, tree: ChannelTree): SiteLook {
  const fields = fieldsOf(input, '', LOOK_FIELDS);
  return {
    mainColour: colour(fields, 'mainColour'),
    accentColour: colour(fields, 'accentColour'),
    logo: image(fields, 'logo', true),
    banner: image(fields, 'banner', false),
    favicon: favicon(fields),
    blocks: blocks(fields, tree),
  };
}
