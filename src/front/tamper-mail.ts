import type { Mailer, OutgoingMail } from '../services/cases/mailer.js';
import { fronts, sites, type FrontEventRow, type Store } from '../store/index.js';
import { TAMPER_KIND_LABELS } from '../services/fronts/views.js';
import type { TamperKind } from './protocol.js';

export const TAMPER_MAIL_SUBJECT = '【网页防篡改】前端服务器发现篡改';

/** One mail to one recipient about a site's new events. */
export function tamperMail(
  to: { readonly name: string; readonly email: string },
  siteName: string,
  events: readonly FrontEventRow[],
  adminUrl: string | null,
): OutgoingMail {
  const lines = events.map((event, i) =>
    [
      `${i + 1}. ${event.at}  ${event.frontName}  ${event.path}`,
      `   ${TAMPER_KIND_LABELS[event.kind as TamperKind] ?? event.kind}：${event.file}`,
      `   ${event.restored ? '已从发布的版本恢复' : '已移除'}${event.quarantine ? `，原文件隔离在 ${event.quarantine}` : ''}`,
    ].join('\n'),
  );
  return {
    to: { name: to.name, address: to.email },
    subject: `${TAMPER_MAIL_SUBJECT}（${siteName}，${events.length}起）`,
    text: [
      `${to.name}，您好：`,
      '',
      `前端服务器上 ${siteName} 的页面发现以下 ${events.length} 起篡改，已自动处置：`,
      '',
      lines.join('\n\n'),
      '',
      `请核查原因并在后台“前端服务器”中标记为已处理${adminUrl ? `：${adminUrl}fronts` : ''}。未处理的事件使网站健康检查的“网页防篡改”项不合格。`,
      '本邮件由系统自动发送，请勿回复。',
      '',
    ].join('\n'),
  };
}

/**
 * Mails the platform administrators and each site's administrators (those with an address) about
 * newly collected events, one mail per site and recipient. A mail that does not go is reported to
 * `onError` and not tried again: the events stay listed in the back office and in the health report.
 */
export async function mailTamperEvents(
  store: Store,
  mailer: Mailer,
  adminUrl: string | null,
  events: readonly FrontEventRow[],
  onError: (error: unknown) => void,
): Promise<number> {
  const bySite = new Map<number, FrontEventRow[]>();
  for (const event of events) bySite.set(event.siteId, [...(bySite.get(event.siteId) ?? []), event]);
  let sent = 0;
  for (const [siteId, list] of bySite) {
    const site = await sites.findPlatformSite(store.db, siteId);
    const name = site ? site.name : `站点 ${siteId}`;
    for (const to of await fronts.alertMailboxes(store.db, siteId)) {
      try {
        await mailer.send(tamperMail(to, name, list, adminUrl));
        sent++;
      } catch (error) {
        onError(error);
      }
    }
  }
  return sent;
}
