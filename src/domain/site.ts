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
