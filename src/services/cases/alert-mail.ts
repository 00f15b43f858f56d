import type { Clock } from '../../clock.js';
import { LETTER_ALERT_LABELS, mostUrgentAlerts, type LetterAlert } from '../../domain/index.js';
import { exclusively, letters, sites, type Store } from '../../store/index.js';
import { knownAlert } from './alerts.js';
import { MailFailure, type Mailer, type OutgoingMail } from './mailer.js';

type Alert = letters.AlertDetail & { readonly alert: LetterAlert };

/** What one run of the alert mail did. */
export interface AlertMailReport {
  /** Mails the server took. */
  readonly sent: number;
  /** Alerts marked mailed (sent, or with nobody to send them to, or no longer standing). */
  readonly marked: number;
  /** Mails that did not go: `unavailable` ones leave their alerts unmailed, for the next run. */
  readonly failed: readonly { readonly userId: number; readonly kind: MailFailure['kind']; readonly error: string }[];
}

export const ALERT_MAIL_SUBJECT = '【互动交流】来信办理提醒';

/** One recipient's mail: every letter of theirs with new alerts, each with the latest of each kind. */
export function alertMail(
  to: letters.Mailbox,
  alerts: readonly Alert[],
  linkOf: (alert: Alert) => string,
): OutgoingMail {
  const byLetter = new Map<number, Alert[]>();
  for (const alert of mostUrgentAlerts(alerts))
    byLetter.set(alert.letterId, [...(byLetter.get(alert.letterId) ?? []), alert]);
  const blocks = [...byLetter.values()].map((group, i) => {
    const first = group[0] as Alert;
    return [
      `${i + 1}. ${first.title}`,
      `   查询码：${first.queryCode}`,
      `   提醒：${group.map((a) => LETTER_ALERT_LABELS[a.alert].zh).join('；')}`,
      `   承办单位：${first.unitName ?? '尚未转办'}`,
      `   办理期限：${first.dueDay ?? '尚未确定'}`,
      `   办理：${linkOf(first)}`,
    ].join('\n');
  });
  return {
    to: { name: to.name, address: to.email },
    subject: `${ALERT_MAIL_SUBJECT}（${byLetter.size}件）`,
    text: [
      `${to.name}，您好：`,
      '',
      `以下 ${byLetter.size} 件来信需要关注，请及时办理：`,
      '',
      blocks.join('\n\n'),
      '',
      '这些提醒也显示在后台的工作台上。本邮件由系统自动发送，请勿回复。',
      '',
    ].join('\n'),
  };
}

/**
 * Mails the alerts raised since the last run: one mail per recipient, summarising their alerts.
 * An alert goes to the members of its letter's unit (the handlers) and to the office (互动受理)
 * of the letter's site, each who has an e-mail address and is not disabled. An alert is marked
 * mailed once every mail carrying it went (or was refused for good by the server for that
 * recipient); a server that cannot be reached stops the run and leaves the rest unmailed, to be
 * sent at the next run (a recipient whose mail went may then get those alerts again). Alerts of
 * letters answered meanwhile, and alerts nobody can be mailed, are marked without a mail.
 * One instance at a time: the others wait, then find the alerts marked.
 */
export async function mailLetterAlerts(
  ctx: { readonly store: Store; readonly clock: Clock },
  mailer: Mailer,
  options: { readonly adminUrl: string | null },
): Promise<AlertMailReport> {
  return exclusively(ctx.store, 'gazette.letter-alert-mail', async (db) => {
    const unmailed = await letters.unmailedAlerts(db);
    if (unmailed.length === 0) return { sent: 0, marked: 0, failed: [] };
    const standing = unmailed.flatMap((row) => (row.standing ? (knownAlert(row) ?? []) : []));
    const units = await letters.unitMailboxes(db, [
      ...new Set(standing.flatMap((a) => (a.unitId === null ? [] : [a.unitId]))),
    ]);
    const offices = await letters.officeMailboxes(db, [...new Set(standing.map((a) => a.siteId))]);
    const recipients = new Map<number, { mailbox: letters.Mailbox; alerts: Alert[] }>();
    for (const alert of standing) {
      const mailboxes = [
        ...(alert.unitId === null ? [] : (units.get(alert.unitId) ?? [])),
        ...(offices.get(alert.siteId) ?? []),
      ];
      for (const mailbox of mailboxes) {
        const entry = recipients.get(mailbox.userId) ?? { mailbox, alerts: [] };
        if (!entry.alerts.includes(alert)) entry.alerts.push(alert);
        recipients.set(mailbox.userId, entry);
      }
    }
    const domains = new Map((await sites.listSiteClocks(db)).map((s) => [s.id, s.domain]));
    const linkOf = (alert: Alert) =>
      options.adminUrl !== null
        ? `${options.adminUrl}letters/${alert.letterId}`
        : `https://${domains.get(alert.siteId) ?? 'localhost'}/admin/letters/${alert.letterId}`;

    let sent = 0;
    const failed: { userId: number; kind: MailFailure['kind']; error: string }[] = [];
    const unsent = new Set<number>();
    let reachable = true;
    for (const [userId, { mailbox, alerts }] of [...recipients].sort(([a], [b]) => a - b)) {
      if (!reachable) {
        for (const alert of alerts) unsent.add(alert.id);
        continue;
      }
      try {
        await mailer.send(alertMail(mailbox, alerts, linkOf));
        sent++;
      } catch (error: unknown) {
        const failure =
          error instanceof MailFailure ? error : new MailFailure('unavailable', String(error), { cause: error });
        failed.push({ userId, kind: failure.kind, error: failure.message });
        if (failure.kind === 'unavailable') {
          reachable = false;
          for (const alert of alerts) unsent.add(alert.id);
        }
      }
    }
    const done = unmailed.filter((row) => !unsent.has(row.id)).map((row) => row.id);
    await letters.markMailed(db, done, ctx.clock.now());
    return { sent, marked: done.length, failed };
  });
}
