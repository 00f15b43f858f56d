// 账户安全提醒: what changed in how this account signs in since its last sign-in (ASVS 2.2.3),
// shown once signed in, so that a change the owner did not make is seen and acted on.
import { useState } from 'preact/hooks';
import { useApp } from './context';
import { t, type MessageKey } from './i18n';
import { formatDateTime } from './time';
import type { SecurityNotice } from './types';

const TEXT: Record<SecurityNotice['kind'], MessageKey> = {
  'password-changed': 'notice.passwordChanged',
  'password-reset': 'notice.passwordReset',
  'second-factor-on': 'notice.secondFactorOn',
  'second-factor-reset': 'notice.secondFactorReset',
  'roles-changed': 'notice.rolesChanged',
  disabled: 'notice.disabled',
  locked: 'notice.locked',
  'sessions-ended': 'notice.sessionsEnded',
};

export function SecurityNotices() {
  const { session, site } = useApp();
  const [dismissed, setDismissed] = useState(false);
  if (dismissed || session.notices.length === 0) return null;
  return (
    <section class="panel security-notices" role="status" aria-labelledby="notices-title">
      <h2 id="notices-title">{t('notice.title')}</h2>
      <ul id="security-notices">
        {session.notices.map((notice, index) => (
          <li key={index}>
            {t(TEXT[notice.kind], {
              at: formatDateTime(notice.at, site.timeZone),
              by: notice.by,
              ip: notice.ip ?? t('account.sessionUnknown'),
            })}
          </li>
        ))}
      </ul>
      <p>{t('notice.advice')}</p>
      <button type="button" id="notices-dismiss" onClick={() => setDismissed(true)}>
        {t('notice.dismiss')}
      </button>
    </section>
  );
}
