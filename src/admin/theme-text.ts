// The words of 模板编辑 [中文, English], kept with the screen so the shared message files stay untouched.
import { getLang } from './i18n';

const TEXT = {
  title: ['模板编辑', 'Templates'],
  intro: [
    '为本站修改默认主题的模板和片段。保存前自动检查语法、过滤器和引用的模板，并用本站真实页面试渲染；保存后重新生成使用该模板的页面。每次修改都有修订记录，可以比较和恢复。',
    'Change the default theme’s templates and partials for this site. Before saving, each is checked (syntax, filters, the templates it brings in) and tried on the site’s real pages; saving re-renders the pages that use it. Every change is a revision you can compare and restore.',
  ],
  list: ['模板与片段', 'Templates and partials'],
  page: ['页面模板', 'page'],
  partial: ['片段', 'partial'],
  overridden: ['（已修改）', ' (changed)'],
  stateOverridden: [
    '本站已修改此模板，最近由 {user} 于 {at} 保存。',
    'This site has its own version, saved by {user} at {at}.',
  ],
  stateDefault: ['当前使用默认主题的版本。', 'The default theme’s version is in use.'],
  usedBy: ['使用此模板的页面：{pages}', 'Pages that use it: {pages}'],
  usedByNone: ['没有已发布页面直接使用此模板。', 'No published page uses it directly.'],
  source: ['模板源代码（{name}）', 'Template source ({name})'],
  sourceHint: [
    'Liquid 模板，输出默认转义。Tab 键插入两个空格；先按 Esc 再按 Tab 可离开编辑框。',
    'A Liquid template; output is escaped by default. Tab inserts two spaces; press Esc, then Tab, to leave the editor.',
  ],
  lineNumbers: ['行号', 'Line numbers'],
  checking: ['正在检查……', 'Checking…'],
  valid: ['检查通过：没有发现问题。', 'Checked: no problems found.'],
  checkFailed: ['暂时无法检查，稍后自动重试。', 'The check could not be made; trying again shortly.'],
  problems: ['发现 {count} 个问题，修正后才能保存：', '{count} problem(s) to fix before saving:'],
  problemAt: ['第 {line} 行第 {column} 列', 'line {line}, column {column}'],
  goToLine: ['跳到第 {line} 行', 'Go to line {line}'],
  preview: ['预览', 'Preview'],
  previewHint: [
    '选择本站的一个真实页面，用编辑中的模板生成预览；不会保存或发布。',
    'Pick a real page of the site to render with the template as edited; nothing is saved or published.',
  ],
  previewPath: ['预览页面', 'Page to preview'],
  previewHome: ['首页 /', 'Home page /'],
  previewColumn: ['栏目：{name} {path}', 'Column: {name} {path}'],
  previewArticle: ['文章：{title}', 'Article: {title}'],
  previewRun: ['生成预览', 'Preview'],
  previewLoading: ['正在生成预览……', 'Rendering the preview…'],
  previewFrame: ['模板预览', 'Template preview'],
  save: ['保存并发布', 'Save and publish'],
  saved: ['已保存 {name}，正在重新生成使用它的页面。', 'Saved {name}; the pages that use it are being rendered again.'],
  reset: ['恢复默认模板', 'Back to the default'],
  resetConfirm: [
    '确定放弃本站对 {name} 的修改、恢复默认主题的版本吗？（修订记录会保留）',
    'Drop this site’s version of {name} and use the default theme’s? (The revisions stay.)',
  ],
  resetYes: ['确定恢复默认', 'Yes, use the default'],
  resetDone: ['{name} 已恢复为默认主题的版本。', '{name} is the default theme’s again.'],
  revisions: ['修订记录', 'Revisions'],
  revisionsNone: ['此模板还没有修订记录。', 'This template has no revisions yet.'],
  revisionAt: ['时间', 'When'],
  revisionBy: ['操作人', 'By'],
  revisionAction: ['操作', 'Action'],
  revisionActions: ['查看与恢复', 'Compare and restore'],
  system: ['系统', 'Gazette'],
  actionSave: ['保存', 'saved'],
  actionRestore: ['恢复', 'restored'],
  actionReset: ['恢复默认', 'reset'],
  actionImport: ['导入', 'imported'],
  diff: ['查看差异', 'Diff'],
  diffOf: ['查看差异（修订 #{id}）', 'Diff (revision #{id})'],
  diffTitle: ['修订 #{id} 与{against}的差异', 'Revision #{id} against {against}'],
  diffAgainstDefault: ['默认主题的版本', 'the default theme’s'],
  diffAgainst: ['修订 #{id}', 'revision #{id}'],
  restore: ['恢复此版本', 'Restore'],
  restoreOf: ['恢复此版本（修订 #{id}）', 'Restore (revision #{id})'],
  restored: [
    '已恢复修订 #{id}，正在重新生成使用它的页面。',
    'Restored revision #{id}; its pages are being rendered again.',
  ],
  chooseTemplate: ['请从左侧选择一个模板。', 'Choose a template from the list.'],
} as const;

export type ThemeText = keyof typeof TEXT;

export function tr(key: ThemeText, params: Record<string, string | number> = {}): string {
  const text: string = TEXT[key][getLang() === 'en' ? 1 : 0];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
