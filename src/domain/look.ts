// 站点外观: each site's look (logo, banner, colours, favicon) and its home page as a list of
// blocks with settings. Plain data, kept as one JSON document per site; the default theme's
// templates render it, and the back office edits it.

/** An image the site uploaded to its media library, with the text that stands for it. */
export interface LookImage {
  /** A media library URL (`/media/…`). */
  readonly url: string;
  readonly alt: string;
}

/** The icons the default theme ships for the 办事服务 grid (`/assets/icons/<name>.svg`). */
export const SERVICE_ICONS = [
  'guide',
  'permit',
  'enterprise',
  'social',
  'health',
  'education',
  'housing',
  'tax',
  'transport',
  'employment',
  'elderly',
  'search',
] as const;
export type ServiceIcon = (typeof SERVICE_ICONS)[number];

export interface LinkEntry {
  readonly title: string;
  /** A path on the site (`/zwgk/`) or an absolute http(s) URL. */
  readonly url: string;
}

export interface ServiceEntry extends LinkEntry {
  readonly icon: ServiceIcon;
}

export interface LinkGroup {
  readonly title: string;
  readonly links: readonly LinkEntry[];
}

/** What every block has: a key unique on the page (`[a-z][a-z0-9-]*`, its HTML id) and its heading. */
interface BlockBase {
  readonly id: string;
  readonly title: string;
}

/** 头条: the newest published article marked 头条 in the columns (none listed: the whole site), with its summary. */
export interface HeadlineBlock extends BlockBase {
  readonly kind: 'headline';
  readonly channelIds: readonly number[];
  readonly showSummary: boolean;
}

/** 图片新闻: the newest published articles marked 图片新闻 that have a cover image, as a carousel. */
export interface PicturesBlock extends BlockBase {
  readonly kind: 'pictures';
  readonly channelIds: readonly number[];
  /** 1–10 */
  readonly count: number;
  /** Where 更多 leads; '' for no 更多 link. */
  readonly moreUrl: string;
}

/** 要闻 / 通知公告 / 部门动态 side by side: one tab per column, its newest articles. */
export interface TabsBlock extends BlockBase {
  readonly kind: 'tabs';
  /** 1–6 tabs; a tab's title is its column's name unless given. */
  readonly tabs: readonly { readonly channelId: number; readonly title: string }[];
  /** 1–20 */
  readonly count: number;
  readonly showDates: boolean;
  /** Each tab's newest article with a cover shows its picture above the list. */
  readonly pictures: boolean;
}

/** 政务公开: the column's sub-columns with their newest articles, and the 信息公开 entrances. */
export interface DisclosureBlock extends BlockBase {
  readonly kind: 'disclosure';
  readonly channelId: number;
  /** Articles per sub-column, 1–10. */
  readonly count: number;
}

/** 办事服务: a grid of entrances with icons. */
export interface ServicesBlock extends BlockBase {
  readonly kind: 'services';
  /** 1–24 */
  readonly entries: readonly ServiceEntry[];
  readonly moreUrl: string;
}

/** 互动交流: the letters, consultations and surveys pages the site has, and its latest answered letters. */
export interface InteractionBlock extends BlockBase {
  readonly kind: 'interaction';
  /** Answered letters shown, 0–10. */
  readonly count: number;
}

/** 专题: banners of the newest published 专题 items. */
export interface TopicsBlock extends BlockBase {
  readonly kind: 'topics';
  /** 1–6 */
  readonly count: number;
  readonly moreUrl: string;
}

/** 友情链接: grouped links to other government sites. */
export interface LinksBlock extends BlockBase {
  readonly kind: 'links';
  /** 1–10 groups of 1–50 links. */
  readonly groups: readonly LinkGroup[];
}

export type HomeBlock =
  | HeadlineBlock
  | PicturesBlock
  | TabsBlock
  | DisclosureBlock
  | ServicesBlock
  | InteractionBlock
  | TopicsBlock
  | LinksBlock;

export type HomeBlockKind = HomeBlock['kind'];
export const HOME_BLOCK_KINDS: readonly HomeBlockKind[] = [
  'headline',
  'pictures',
  'tabs',
  'disclosure',
  'services',
  'interaction',
  'topics',
  'links',
];

/** A site's look: what its pages show of it, and its home page's blocks in order. */
export interface SiteLook {
  /** `#rrggbb`: the masthead, buttons, headings' rules. White text sits on it. */
  readonly mainColour: string;
  /** `#rrggbb`: the navigation bar, column headings, the footer's bar. White text sits on it. */
  readonly accentColour: string;
  readonly logo: LookImage | null;
  readonly banner: LookImage | null;
  /** A media library URL of a PNG, ICO or SVG; null: the theme's own. */
  readonly favicon: string | null;
  /** 0–20 blocks, top to bottom (two columns side by side on a wide screen where the theme pairs them). */
  readonly blocks: readonly HomeBlock[];
}

/** The default theme's colours (the red of the seed's portal and a darker accent), as site.css has them. */
export const DEFAULT_MAIN_COLOUR = '#a8150f';
export const DEFAULT_ACCENT_COLOUR = '#7d0f0b';

/** Which published pages a change of look reaches. */
export type LookPart =
  /** `/look.css` only (the colours). */
  | 'stylesheet'
  /** The home page only (its blocks). */
  | 'home'
  /** Every HTML page (the logo, banner or favicon are in every page's head or masthead). */
  | 'pages';
