// The words of 站点外观 [中文, English], kept with the screen so the shared message files stay untouched.
import type { HomeBlockKind, ServiceIcon } from '../domain/look';
import { getLang } from './i18n';

const TEXT = {
  title: ['站点外观', 'Site look'],
  intro: [
    '设置网站的标志、横幅、配色和网站图标，以及首页由哪些区块组成、顺序和内容。右侧预览使用本站真实内容，保存后在后台重新生成受影响的页面，旧页面在新页面写好之前照常访问。',
    'Set the site’s logo, banner, colours and favicon, and which blocks its home page has, in what order, showing what. The preview uses the site’s real content; saving re-renders the pages it changes in the background, and the old pages serve until the new ones are written.',
  ],
  isDefault: [
    '本站尚未保存外观，当前显示的是按栏目生成的默认外观。',
    'The site has saved no look yet: this is the default made from its columns.',
  ],
  colours: ['配色', 'Colours'],
  coloursHint: [
    '页头、导航栏、按钮等处的文字为白色，两种颜色与白色文字的对比度都须达到 WCAG AA 的 4.5:1。',
    'White text sits on both colours (masthead, navigation, buttons): each must reach 4.5:1 with it (WCAG AA).',
  ],
  mainColour: ['主色', 'Main colour'],
  accentColour: ['辅色', 'Accent colour'],
  picker: ['取色', 'pick'],
  hexLabel: ['色值（#rrggbb）', 'value (#rrggbb)'],
  ratio: ['与白色文字的对比度 {ratio}:1', 'Contrast with white text {ratio}:1'],
  ratioOk: ['，符合 AA 要求', ', meets AA'],
  ratioLow: ['，低于 4.5:1，保存时将被拒绝', ', below 4.5:1: a save will be refused'],
  ratioBad: ['请输入 #rrggbb 形式的颜色', 'Enter a colour written #rrggbb'],
  images: ['标志、横幅与网站图标', 'Logo, banner and favicon'],
  logo: ['网站标志', 'Logo'],
  banner: ['页头横幅', 'Banner'],
  favicon: ['网站图标', 'Favicon'],
  logoHint: ['PNG、JPEG、WebP 或 SVG，不超过 1 MiB', 'PNG, JPEG, WebP or SVG, up to 1 MiB'],
  bannerHint: ['PNG、JPEG、WebP 或 SVG，不超过 4 MiB', 'PNG, JPEG, WebP or SVG, up to 4 MiB'],
  faviconHint: ['PNG、JPEG、WebP、SVG 或 ICO，不超过 256 KiB', 'PNG, JPEG, WebP, SVG or ICO, up to 256 KiB'],
  file: ['选择{slot}文件', 'Choose the {slot} file'],
  alt: ['{slot}的替代文字', 'Alternative text of the {slot}'],
  altHint: [
    '读屏软件读出的文字；标志通常为网站名称，纯装饰的横幅可留空。',
    'What screen readers say; a logo usually reads as the site’s name; a purely decorative banner may have none.',
  ],
  upload: ['上传{slot}', 'Upload the {slot}'],
  uploaded: ['已上传{slot}，保存外观后生效。', 'The {slot} is uploaded; it shows once the look is saved.'],
  remove: ['移除{slot}', 'Remove the {slot}'],
  removed: ['已移除{slot}，保存外观后生效。', 'The {slot} is removed once the look is saved.'],
  none: ['未设置（使用主题默认）', 'None (the theme’s own)'],
  current: ['当前{slot}', 'Current {slot}'],
  noFile: ['请先选择文件', 'Choose a file first'],
  blocks: ['首页区块', 'Home page blocks'],
  blocksHint: [
    '区块自上而下排列；用“上移”“下移”调整顺序。',
    'Blocks show top to bottom; use Move up and Move down to reorder them.',
  ],
  addKind: ['新区块类型', 'Kind of new block'],
  add: ['添加区块', 'Add a block'],
  added: ['已添加区块“{title}”，位于第 {n} 位。', 'Added block “{title}” at position {n}.'],
  moveUp: ['上移“{title}”', 'Move “{title}” up'],
  moveDown: ['下移“{title}”', 'Move “{title}” down'],
  moved: ['已将“{title}”移到第 {n} 位（共 {total} 个）。', 'Moved “{title}” to position {n} of {total}.'],
  removeBlock: ['删除区块“{title}”', 'Remove block “{title}”'],
  removedBlock: ['已删除区块“{title}”。', 'Removed block “{title}”.'],
  blockHeading: ['第 {n} 个区块：{kind}', 'Block {n}: {kind}'],
  blockTitle: ['标题', 'Heading'],
  columns: ['取文章的栏目（不选为全站）', 'Columns to take articles from (none: the whole site)'],
  column: ['栏目', 'Column'],
  count: ['显示条数（{min}–{max}）', 'How many ({min}–{max})'],
  countLetters: ['显示已答复信件条数（{min}–{max}）', 'Answered letters shown ({min}–{max})'],
  countDisclosure: ['每个子栏目显示条数（{min}–{max}）', 'Articles per sub-column ({min}–{max})'],
  moreUrl: [
    '“更多”链接（本站路径或 http(s) 网址，留空则不显示）',
    '“More” link (a site path or http(s) URL; empty for none)',
  ],
  showSummary: ['显示摘要', 'Show the summary'],
  showDates: ['显示日期', 'Show dates'],
  tabPictures: ['各标签显示最新一篇的图片', 'Show each tab’s newest picture'],
  tabs: ['标签', 'Tabs'],
  tabTitle: ['标签名（留空用栏目名）', 'Tab name (empty: the column’s name)'],
  addTab: ['添加标签', 'Add a tab'],
  removeTab: ['删除第 {n} 个标签', 'Remove tab {n}'],
  tabN: ['第 {n} 个标签', 'Tab {n}'],
  entries: ['办事入口', 'Entrances'],
  entryN: ['第 {n} 个入口', 'Entrance {n}'],
  entryTitle: ['名称', 'Name'],
  url: ['链接（本站路径或 http(s) 网址）', 'Link (a site path or http(s) URL)'],
  icon: ['图标', 'Icon'],
  addEntry: ['添加入口', 'Add an entrance'],
  removeEntry: ['删除第 {n} 个入口', 'Remove entrance {n}'],
  groups: ['链接分组', 'Link groups'],
  groupN: ['第 {n} 组', 'Group {n}'],
  groupTitle: ['分组名称', 'Group name'],
  addGroup: ['添加分组', 'Add a group'],
  removeGroup: ['删除第 {n} 组', 'Remove group {n}'],
  linkN: ['第 {n} 个链接', 'Link {n}'],
  linkTitle: ['网站名称', 'Site name'],
  addLink: ['添加链接', 'Add a link'],
  removeLink: ['删除第 {n} 个链接', 'Remove link {n}'],
  noBlocks: ['首页暂无区块。', 'The home page has no blocks.'],
  preview: ['首页预览', 'Home page preview'],
  previewHint: [
    '修改后稍候自动刷新；预览不会保存任何内容。',
    'Refreshes shortly after each change; nothing is saved by the preview.',
  ],
  previewLoading: ['正在生成预览…', 'Making the preview…'],
  previewFrame: ['首页预览（使用本站真实内容）', 'Home page preview (the site’s real content)'],
  save: ['保存外观', 'Save the look'],
  saved: ['已保存站点外观（第 {version} 版）。', 'Saved the site look (version {version}).'],
  unchanged: ['外观没有变化，无需重新生成页面。', 'Nothing changed: no page needs rendering.'],
  reload: ['载入最新版本', 'Load the latest version'],
  progress: ['页面重新生成进度', 'Pages being rendered again'],
  progressText: ['正在重新生成页面：{done} / {total}', 'Rendering pages again: {done} of {total}'],
  progressWaiting: ['正在重新生成页面…', 'Rendering pages again…'],
  progressDone: ['受影响的页面已全部更新。', 'Every page the change reaches is updated.'],
} as const satisfies Record<string, readonly [string, string]>;

export type LookTextKey = keyof typeof TEXT;

/** A text of the screen in the chosen language, its `{slots}` filled. */
export function tr(key: LookTextKey, params: Record<string, string | number> = {}): string {
  const text = TEXT[key][getLang() === 'en' ? 1 : 0];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => String(params[name] ?? whole));
}

/** Each kind of block, as the screen names it. */
export const KIND_NAMES: Readonly<Record<HomeBlockKind, readonly [string, string]>> = {
  headline: ['头条', 'Headline'],
  pictures: ['图片新闻', 'Picture news'],
  tabs: ['栏目标签（要闻 / 通知公告…）', 'Column tabs'],
  disclosure: ['政务公开', 'Government information'],
  services: ['办事服务', 'Services'],
  interaction: ['互动交流', 'Interaction'],
  topics: ['专题专栏', 'Topics'],
  links: ['友情链接', 'Links'],
};

export const ICON_NAMES: Readonly<Record<ServiceIcon, readonly [string, string]>> = {
  guide: ['办事指南', 'Guide'],
  permit: ['审批许可', 'Permits'],
  enterprise: ['企业服务', 'Enterprises'],
  social: ['社会保障', 'Social security'],
  health: ['医疗卫生', 'Health'],
  education: ['教育', 'Education'],
  housing: ['住房', 'Housing'],
  tax: ['税务', 'Tax'],
  transport: ['交通', 'Transport'],
  employment: ['就业', 'Employment'],
  elderly: ['养老', 'Elderly care'],
  search: ['查询', 'Search'],
};

/** One of the bilingual name tables above, in the chosen language. */
export function named(pair: readonly [string, string]): string {
  return pair[getLang() === 'en' ? 1 : 0];
}
