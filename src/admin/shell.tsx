// The frame around every screen: skip link, header (site, user, language, logout), nav, main.
import type { ComponentChildren } from 'preact';
import { getLang, setLang, t, type MessageKey } from './i18n';
import { Link, type Route } from './router';
import type { SessionView } from './types';
import { can } from './context';
import { SiteSwitcher } from './site-switcher';

function skipToMain(event: MouseEvent): void {
  // The router owns the URL, so move focus directly instead of adding #main to it.
  event.preventDefault();
  document.getElementById('main')?.focus();
}

export function LanguageToggle() {
  const english = getLang() === 'en';
  return (
    <button
      type="button"
      class="lang-toggle"
      lang={english ? 'zh-CN' : 'en'}
      onClick={() => setLang(english ? 'zh' : 'en')}
    >
      {english ? '中文' : 'English'}
    </button>
  );
}

interface NavItem {
  to: string;
  label: MessageKey;
  match: Route['name'][];
  needs?: string[];
}

const NAV: NavItem[] = [
  { to: '/', label: 'nav.dashboard', match: ['dashboard'] },
  { to: '/articles', label: 'nav.articles', match: ['articles', 'editor', 'revisions'], needs: ['article.read'] },
  { to: '/review', label: 'nav.review', match: ['review'], needs: ['article.approve', 'article.publish'] },
  { to: '/submissions', label: 'nav.submissions', match: ['submissions', 'submissionStats'], needs: ['article.read'] },
  { to: '/placements', label: 'nav.placements', match: ['placements'], needs: ['article.read'] },
  { to: '/letters', label: 'nav.letters', match: ['letters', 'letter'], needs: ['case.read'] },
  { to: '/letters/desk', label: 'nav.letterDesk', match: ['letterDesk'], needs: ['case.manage'] },
  { to: '/letters/stats', label: 'nav.letterStats', match: ['letterStats'], needs: ['case.read'] },
  { to: '/info-requests', label: 'nav.infoRequests', match: ['infoRequests', 'infoRequest'], needs: ['case.read'] },
  { to: '/surveys', label: 'nav.surveys', match: ['surveys', 'survey', 'surveyResults'], needs: ['survey.manage'] },
  {
    to: '/consultations',
    label: 'nav.consultations',
    match: ['consultations', 'consultation'],
    needs: ['consultation.manage'],
  },
  { to: '/calendar', label: 'nav.calendar', match: ['calendar'] },
  { to: '/channels', label: 'nav.channels', match: ['channels'], needs: ['channel.manage'] },
  { to: '/media', label: 'nav.media', match: ['media'], needs: ['media.read'] },
  { to: '/users', label: 'nav.users', match: ['users'], needs: ['user.manage'] },
  { to: '/audit', label: 'nav.audit', match: ['audit'], needs: ['audit.read'] },
  { to: '/site', label: 'nav.siteSettings', match: ['siteSettings'], needs: ['site.manage'] },
  { to: '/site/look', label: 'nav.look', match: ['look'], needs: ['site.manage'] },
  { to: '/site/theme', label: 'nav.theme', match: ['theme'], needs: ['theme.edit'] },
  { to: '/content-types', label: 'nav.contentTypes', match: ['contentTypes'], needs: ['site.manage'] },
  { to: '/sites', label: 'nav.sites', match: ['sites'], needs: ['platform.manage'] },
  // The fronts' state is the platform administrator's; a site's administrator sees its tamper events.
  { to: '/fronts', label: 'nav.fronts', match: ['fronts'], needs: ['platform.manage', 'site.manage'] },
  { to: '/disclosure', label: 'nav.disclosureReport', match: ['disclosureReport'], needs: ['article.read'] },
  { to: '/health', label: 'nav.health', match: ['health'], needs: ['health.read'] },
  { to: '/wording', label: 'nav.wording', match: ['wordingDictionary'], needs: ['wording.read'] },
  { to: '/account', label: 'nav.account', match: ['account'] },
];

/** The permissions a route needs (any one of them), or none. */
export function routeNeeds(route: Route): string[] {
  return NAV.find((item) => item.match.includes(route.name))?.needs ?? [];
}

function MainNav({ session, route }: { session: SessionView; route: Route }) {
  const items = NAV.filter((item) => !item.needs || can(session, ...item.needs));
  return (
    <nav class="main-nav" aria-label={t('nav.label')}>
      <ul>
        {items.map((item) => (
          <li key={item.to}>
            <Link to={item.to} aria-current={item.match.includes(route.name) ? 'page' : undefined}>
              {t(item.label)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

interface LayoutProps {
  siteName: string;
  session?: SessionView;
  route?: Route;
  onLogout?: () => void;
  children: ComponentChildren;
}

export function Layout({ siteName, session, route, onLogout, children }: LayoutProps) {
  return (
    <>
      <a class="skip-link" href="#main" onClick={skipToMain}>
        {t('app.skipToMain')}
      </a>
      <header class="app-header">
        <div class="brand">
          <span class="site-name">{siteName || t('app.title')}</span>
          {siteName ? <span class="app-name">{t('app.title')}</span> : null}
        </div>
        <div class="header-tools">
          {session ? <SiteSwitcher /> : null}
          {session ? <span class="user-name">{session.user.displayName || session.user.username}</span> : null}
          <LanguageToggle />
          {onLogout ? (
            <button type="button" id="logout" onClick={onLogout}>
              {t('app.logout')}
            </button>
          ) : null}
        </div>
      </header>
      <div class="app-body">
        {session && route ? <MainNav session={session} route={route} /> : null}
        <main id="main" tabIndex={-1}>
          {children}
        </main>
      </div>
    </>
  );
}
