/**
 * The one catalogue of errors Gazette raises on purpose. Each has a stable code (clients and
 * tests match on it), an HTTP status, and a message in Chinese and English with {named} slots.
 */
const catalogue = {
  CONFIG_INVALID: { status: 500, zh: '配置项 {name} 无效：{reason}', en: 'Invalid setting {name}: {reason}' },
  STORE_UNAVAILABLE: { status: 503, zh: '数据存储不可用', en: 'The store is unavailable' },
  STORE_MIGRATION_FAILED: { status: 500, zh: '数据库迁移失败：{reason}', en: 'Database migration failed: {reason}' },
  BAD_REQUEST: { status: 400, zh: '请求无效：{reason}', en: 'Bad request: {reason}' },
  USAGE: { status: 400, zh: '用法错误：{reason}', en: 'Usage: {reason}' },
  SEARCH_QUERY_EMPTY: { status: 400, zh: '请输入要搜索的内容', en: 'Enter something to search for' },
  SEARCH_QUERY_TOO_LONG: { status: 400, zh: '搜索内容过长（最多 {max} 个字）', en: 'The search is too long (at most {max} characters)' },
  SEARCH_BAD_FILTER: { status: 400, zh: '筛选条件 {name} 无效：{reason}', en: 'Invalid filter {name}: {reason}' },
  ARTICLE_NOT_FOUND: { status: 404, zh: '文章 {id} 不存在', en: 'Article {id} does not exist' },
  ARTICLE_NOT_PUBLISHED: { status: 409, zh: '文章 {id} 未发布（当前状态：{status}）', en: 'Article {id} is not published (it is {status})' },
  NOT_FOUND: { status: 404, zh: '页面不存在', en: 'Page not found' },
  INTERNAL: { status: 500, zh: '服务器内部错误', en: 'Internal server error' },
  SITE_MISSING: { status: 500, zh: '尚未创建站点', en: 'No site has been created yet' },
  CHANNEL_SLUG_TAKEN: { status: 409, zh: '栏目标识 {slug} 已被占用', en: 'Channel slug {slug} is already taken' },
  IMPORT_FILE_MISSING: { status: 400, zh: '文件不存在或不可读', en: 'file does not exist or cannot be read' },
  IMPORT_EMPTY: { status: 400, zh: '文件为空', en: 'file is empty' },
  IMPORT_BINARY: { status: 400, zh: '二进制文件（含 NUL 字节），不是文本页面', en: 'binary file (NUL byte), not a text page' },
  IMPORT_ENCODING: { status: 400, zh: '不是有效的 UTF-8 文本（第 {column} 字节处编码错误）', en: 'not valid UTF-8 (bad byte at column {column})' },
  IMPORT_NO_BREADCRUMB: {
    status: 400,
    zh: '缺少位置导航行（应为“首页 > 栏目 > 正文”）',
    en: 'no breadcrumb line (expected "首页 > column > 正文")',
  },
  IMPORT_BREADCRUMB_NO_COLUMN: { status: 400, zh: '位置导航中没有栏目', en: 'the breadcrumb names no column' },
  IMPORT_NO_TITLE: { status: 400, zh: '缺少标题', en: 'no title' },
  IMPORT_NO_PUBLISH_TIME: {
    status: 400,
    zh: '缺少发布时间行（应为“来源: 本站 发布时间: 2021-05-20 22:19”）',
    en: 'no publish time line (expected "来源: 本站 发布时间: 2021-05-20 22:19")',
  },
  IMPORT_BAD_DATE: {
    status: 400,
    zh: '无法识别的发布时间“{value}”（应为 YYYY-MM-DD HH:mm）',
    en: 'unreadable publish time "{value}" (expected YYYY-MM-DD HH:mm)',
  },
  IMPORT_COLUMN_NOT_LIST: {
    status: 400,
    zh: '栏目“{name}”不是列表栏目（类型：{type}），不能放文章',
    en: 'column "{name}" is not a list column (it is a {type} column) and cannot hold articles',
  },
  IMPORT_NO_BODY: { status: 400, zh: '缺少正文', en: 'no body text' },
  IMPORT_HTML_NO_CONTENT: { status: 400, zh: 'HTML 页面中找不到正文区域', en: 'no main content found in the HTML page' },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type ErrorCode = keyof typeof catalogue;
export type Lang = 'zh' | 'en';
export type ErrorParams = Readonly<Record<string, string | number>>;

function fill(template: string, params: ErrorParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

export class GazetteError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly params: ErrorParams;
  /** Where in an input the problem is, for `file:line: reason` reports. */
  readonly location: { readonly file?: string; readonly line?: number } | undefined;

  constructor(
    code: ErrorCode,
    params: ErrorParams = {},
    location?: { file?: string; line?: number },
    cause?: unknown,
  ) {
    super(fill(catalogue[code].en, params), cause === undefined ? undefined : { cause });
    this.name = 'GazetteError';
    this.code = code;
    this.status = catalogue[code].status;
    this.params = params;
    this.location = location;
  }

  messageIn(lang: Lang): string {
    return fill(catalogue[this.code][lang], this.params);
  }

  /** The same error, placed in a file (keeps the line if one is known). */
  at(file: string, line?: number): GazetteError {
    return new GazetteError(this.code, this.params, { file, line: line ?? this.location?.line });
  }

  /** `file:line: reason`, the form compilers and linters use, so editors can jump to it. */
  report(lang: Lang): string {
    const where = [this.location?.file, this.location?.line].filter((part) => part !== undefined).join(':');
    return where ? `${where}: ${this.messageIn(lang)}` : this.messageIn(lang);
  }
}

export function isGazetteError(value: unknown): value is GazetteError {
  return value instanceof GazetteError;
}
