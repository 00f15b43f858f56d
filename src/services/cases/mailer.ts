import nodemailer from 'nodemailer';
import { GazetteError, isMailboxAddress } from '../../domain/index.js';

/**
 * Mail for the letter desk's alerts: the SMTP server of GAZETTE_SMTP_URL, the sender of
 * GAZETTE_MAIL_FROM, and where the links in the mail point (GAZETTE_ADMIN_URL). The password is
 * kept behind a function, so that neither JSON nor util.inspect of the settings ever shows it.
 */
export interface MailSettings {
  /** The server's URL with the password replaced by `***` (what logs and messages may show). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** smtps:// (TLS from the first byte); smtp:// upgrades with STARTTLS when the server offers it. */
  readonly secure: boolean;
  readonly user: string | null;
  readonly password: () => string | null;
  /** The sender: `address` or `Name <address>`. */
  readonly from: string;
  /** The back office's address as its users reach it (ends with /); null: https://{the letter's site}/admin/. */
  readonly adminUrl: string | null;
}

export const SMTP_URL_VARIABLE = 'GAZETTE_SMTP_URL';
export const MAIL_FROM_VARIABLE = 'GAZETTE_MAIL_FROM';
export const ADMIN_URL_VARIABLE = 'GAZETTE_ADMIN_URL';

type Env = Readonly<Record<string, string | undefined>>;

function invalid(name: string, reason: string): GazetteError {
  return new GazetteError('CONFIG_INVALID', { name, reason });
}

/** `smtp://user:***@host:port`: the URL as it may be shown (no password, path or options). */
function redacted(url: URL): string {
  const shown = new URL(url.href);
  if (shown.password !== '') shown.password = '***';
  shown.pathname = '';
  shown.search = '';
  shown.hash = '';
  return shown.href.replace(/\/$/, '');
}

/** `Name <address>` or `address`, with an address the mailer cannot misread. */
function readFrom(raw: string): string {
  const match = /^(?:([^<>"\r\n]*?)\s*<([^<>\s]+)>|([^<>\s]+))$/.exec(raw.trim());
  const address = match?.[2] ?? match?.[3] ?? '';
  if (!isMailboxAddress(address))
    throw invalid(
      MAIL_FROM_VARIABLE,
      `"${raw}" is not an address or "Name <address>" (e.g. 领导信箱 <xinxiang@example.gov.cn>)`,
    );
  return raw.trim();
}

function readAdminUrl(env: Env): string | null {
  const raw = env[ADMIN_URL_VARIABLE];
  if (raw === undefined || raw === '') return null;
  if (!URL.canParse(raw) || !/^https?:\/\//.test(raw))
    throw invalid(ADMIN_URL_VARIABLE, `"${raw}" is not an http(s) URL (e.g. https://oa.example.gov.cn/admin/)`);
  return raw.endsWith('/') ? raw : `${raw}/`;
}

/**
 * The mail settings from the environment, or null when GAZETTE_SMTP_URL is unset (alerts then
 * show on the dashboard only). A bad value stops the start with CONFIG_INVALID naming the
 * variable; the message never carries the password.
 */
export function loadMailSettings(env: Env): MailSettings | null {
  const raw = env[SMTP_URL_VARIABLE];
  if (raw === undefined || raw === '') return null;
  const url = URL.canParse(raw) ? new URL(raw) : null;
  if (!url || (url.protocol !== 'smtp:' && url.protocol !== 'smtps:'))
    throw invalid(
      SMTP_URL_VARIABLE,
      'not an smtp:// or smtps:// URL (e.g. smtp://user:password@mail.example.gov.cn:587)',
    );
  const shown = redacted(url);
  if (url.hostname === '') throw invalid(SMTP_URL_VARIABLE, `${shown} names no server`);
  if ((url.pathname !== '' && url.pathname !== '/') || url.search !== '' || url.hash !== '')
    throw invalid(SMTP_URL_VARIABLE, `${shown}…: give only the user, password, server and port (no path or options)`);
  const secure = url.protocol === 'smtps:';
  const port = url.port === '' ? (secure ? 465 : 587) : Number(url.port);
  const user = url.username === '' ? null : decodeURIComponent(url.username);
  const password = url.password === '' ? null : decodeURIComponent(url.password);
  const fromRaw = env[MAIL_FROM_VARIABLE];
  let from: string;
  if (fromRaw !== undefined && fromRaw !== '') from = readFrom(fromRaw);
  else if (user !== null && isMailboxAddress(user)) from = user;
  else
    throw invalid(
      MAIL_FROM_VARIABLE,
      `the sender of the alert mail is needed with ${SMTP_URL_VARIABLE} (e.g. 领导信箱 <xinxiang@example.gov.cn>)`,
    );
  return Object.freeze({
    url: shown,
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    secure,
    user,
    password: () => password,
    from,
    adminUrl: readAdminUrl(env),
  });
}

export interface OutgoingMail {
  readonly to: { readonly name: string; readonly address: string };
  readonly subject: string;
  readonly text: string;
}

/**
 * Why a mail did not go: the server refused this recipient for good (5xx on RCPT: sending it
 * again would not help), or the server could not be reached or used (try again later).
 */
export class MailFailure extends Error {
  constructor(
    readonly kind: 'recipient-refused' | 'unavailable',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MailFailure';
  }
}

export interface Mailer {
  /** Sends one mail; throws MailFailure when it did not go. */
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** A mailer on the configured SMTP server (nodemailer, one connection per mail). */
export function smtpMailer(settings: MailSettings): Mailer {
  const user = settings.user;
  const pass = settings.password();
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    ...(user !== null && { auth: { user, pass: pass ?? '' } }),
    // A server that does not answer must not hold the scheduler (and the store's lock) for minutes.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    // The text is ours; never let a message read files or URLs.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    async send(mail) {
      try {
        await transport.sendMail({
          from: settings.from,
          to: { name: mail.to.name, address: mail.to.address },
          subject: mail.subject,
          text: mail.text,
        });
      } catch (error: unknown) {
        const { code, responseCode } = (error ?? {}) as { code?: unknown; responseCode?: unknown };
        const refused = code === 'EENVELOPE' && typeof responseCode === 'number' && responseCode >= 500;
        const reason = error instanceof Error ? error.message : String(error);
        throw new MailFailure(refused ? 'recipient-refused' : 'unavailable', `${settings.url}: ${reason}`, {
          cause: error,
        });
      }
    },
    close() {
      transport.close();
    },
  };
}
