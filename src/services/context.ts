import type { Clock } from '../clock.js';
import type { Store } from '../store/index.js';
import type { ContentEvent } from '../domain/index.js';
import type { ServerKeys } from './accounts/server-key.js';
import type { VirusScanner } from './content/virus-scan.js';
import type { DataKeyring } from './cases/personal-data.js';

/** What every operation runs with: the store, the one clock, where media go, who hears of changes. */
export interface ServiceContext {
  readonly store: Store;
  readonly clock: Clock;
  /** Folder of uploaded media (served at /media/). */
  readonly mediaDir: string;
  /** Checks every upload after the built-in check (clamd, GAZETTE_CLAMD); absent, the built-in one alone. */
  readonly virusScanner?: VirusScanner | undefined;
  /** Told of every committed change, after the commit (the publisher listens here). */
  readonly events?: ContentEventSink | undefined;
  /**
   * The site the operation works on: the request's site (by its Host header, or the back
   * office's site switcher), or the command's `--site`. Absent, the platform's only site; with
   * several sites that is an error naming them, never a silent pick.
   */
  readonly siteId?: number | undefined;
  /**
   * The installation's secret key, as the keys derived from it (password pepper, seed sealing).
   * Only account operations need it, and they refuse to run without it (`keysOf`): a password
   * is never hashed without the pepper because a caller forgot to pass it.
   */
  readonly keys?: ServerKeys | undefined;
  /**
   * Whether accounts with an administrative role must use a second factor (ASVS 4.3.1). Absent
   * means required: only an operator's explicit GAZETTE_ADMIN_MFA=optional (or a test) relaxes it.
   */
  readonly adminMfa?: 'required' | 'optional' | undefined;
  /**
   * The key that seals the personal data of letters and requests from the public
   * (GAZETTE_DATA_KEY, and GAZETTE_DATA_KEY_PREVIOUS while rotating). Absent, the public forms
   * refuse with DATA_KEY_MISSING: personal data is never stored in the clear.
   */
  readonly dataKeys?: DataKeyring | null | undefined;
}

export interface ContentEventSink {
  /**
   * True when a publisher listens: each event is then written as a publish task in the writer's
   * transaction (the outbox, `recordEvents`) and `emit` is told its task, so none is lost to a
   * crash between the commit and the publish. A sink that only watches (a test's) writes none.
   */
  readonly durable?: boolean;
  /** Told of an event after its commit, with the publish task that carries it when durable. */
  emit(event: ContentEvent, taskId?: number): void;
}
