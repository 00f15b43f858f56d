/** A portal: its identity and what a government site footer must show. */
export interface Site {
  readonly id: number;
  readonly name: string;
  /** Host name readers use, e.g. `www.example.gov.cn` (SiteDomain meta, absolute URLs). */
  readonly domain: string;
  /** 主办单位 */
  readonly hostOrganization: string;
  /** 网站标识码 (10 characters, issued by the national registry). */
  readonly siteCode: string;
  /** ICP备案号 */
  readonly icpRecord: string;
  /** 公安备案号 */
  readonly policeRecord: string;
  readonly address: string;
  /** Phone or e-mail for readers, as printed in the footer. */
  readonly contact: string;
  readonly timeZone: string;
  readonly description: string;
  readonly keywords: string;
}

export type NewSite = Omit<Site, 'id'>;

export function siteUrl(site: Site, path: string): string {
  return `https://${site.domain}${path}`;
}

/** A site is served (active) or kept with everything in it and served no more (archived). */
export type SiteStatus = 'active' | 'archived';
export const SITE_STATUSES: readonly SiteStatus[] = ['active', 'archived'];

/** A site of the platform as the platform administrator sees it. */
export interface PlatformSite extends Site {
  readonly status: SiteStatus;
  /** The site this one belongs under (a department's or town's site under the district portal). */
  readonly parentId: number | null;
  /** Every host name that reaches the site; `domain` is among them (the one absolute URLs use). */
  readonly hosts: readonly string[];
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * A host name as sites are looked up by: lower-case, without a trailing dot or a port, checked
 * against RFC 1123 (labels of letters, digits and inner hyphens, 63 characters each, 253 in
 * all). `localhost` and dotted names are taken; IP addresses too, for a site reached by address.
 * Returns the normal form, or the reason the name is refused.
 */
export function normalizeHost(raw: string): { host: string } | { reason: Readonly<Record<'zh' | 'en', string>> } {
  const host = raw.trim().toLowerCase().replace(/\.$/, '');
  if (host === '') return { reason: { zh: '为空', en: 'it is empty' } };
  if (/[:/\s?#@]/.test(host))
    return {
      reason: { zh: '只能是域名，不能带协议、端口或路径', en: 'give the name alone, without a scheme, port or path' },
    };
  if (host.length > 253) return { reason: { zh: '超过 253 个字符', en: 'it is longer than 253 characters' } };
  // Chinese domain names are registered in their punycode form (xn--…).
  // eslint-disable-next-line no-control-regex -- the range is all of ASCII, controls included
  if (/[^\x00-\x7f]/.test(host))
    return { reason: { zh: '请使用 punycode 形式（xn--…）', en: 'use its punycode form (xn--…)' } };
  const label = host.split('.').find((part) => !LABEL.test(part));
  if (label !== undefined) {
    return {
      reason: {
        zh: `“${label}”不是有效的域名段（字母、数字和中间的连字符，1–63 个字符）`,
        en: `"${label}" is not a valid label (letters, digits and inner hyphens, 1–63 characters)`,
      },
    };
  }
  return { host };
}

/** The host of a Host header: its name without the port, lower-case (`WWW.Example.gov.cn:8080` → `www.example.gov.cn`). */
export function hostOfHeader(header: string | undefined): string {
  if (!header) return '';
  const name = header.startsWith('[') ? header.slice(0, header.indexOf(']') + 1) : (header.split(':')[0] ?? '');
  return name.trim().toLowerCase().replace(/\.$/, '');
}
