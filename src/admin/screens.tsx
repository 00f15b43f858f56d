// Which component shows which route. The editor (TipTap and ProseMirror) is loaded on demand
// so the login screen and the lists stay light.
import { AccountScreen } from './account';
import { ArticlesScreen } from './articles';
import { AuditScreen } from './audit';
import { ChannelsScreen } from './channels';
import { DashboardScreen } from './dashboard';
import { t } from './i18n';
import { lazy } from './lazy';
import { MediaScreen } from './media';
import { ReviewScreen } from './review';
import { RevisionsScreen } from './revisions';
import type { Route } from './router';
import { Link } from './router';
import { ScreenTitle } from './ui';
import { SiteSettingsScreen } from './site-settings';
import { LookScreen } from './look';
import { ThemeEditorScreen } from './theme-editor';
import { SitesScreen } from './sites';
import { SubmissionsScreen } from './submissions';
import { SubmissionStatsScreen } from './submission-stats';
import { PlacementsScreen } from './placements';
import { UsersScreen } from './users';
import { DisclosureReportScreen } from './disclosure-report';
import { HealthDashboardScreen } from './health-dashboard';
import { WordingDictionaryScreen } from './wording-dictionary';
import { LettersScreen } from './letters';
import { LetterScreen } from './letters-detail';
import { LetterDeskScreen } from './letters-desk';
import { LetterStatsScreen } from './letters-stats';
import { CalendarScreen } from './letters-calendar';
import { InfoRequestsScreen } from './info-requests';
import { InfoRequestScreen } from './info-request-detail';
import { SurveysScreen } from './surveys';
import { ConsultationsScreen } from './consultations';
import { ConsultationScreen } from './consultations-detail';
import { SurveyEditorScreen } from './surveys-editor';
import { SurveyResultsScreen } from './surveys-results';
import { ContentTypesScreen } from './content-types';
import { FrontsScreen } from './fronts';

const LazyEditor = lazy(() => import('./editor').then((module) => module.EditorScreen));

function Message({ title, text }: { title: string; text: string }) {
  return (
    <>
      <ScreenTitle title={title} />
      <p>{text}</p>
      <p>
        <Link to="/">{t('nav.backHome')}</Link>
      </p>
    </>
  );
}

export function Screen({ route }: { route: Route }) {
  switch (route.name) {
    case 'dashboard':
      return <DashboardScreen />;
    case 'articles':
      return <ArticlesScreen />;
    case 'editor':
      return <LazyEditor id={route.id} />;
    case 'revisions':
      return <RevisionsScreen id={route.id} />;
    case 'review':
      return <ReviewScreen />;
    case 'channels':
      return <ChannelsScreen />;
    case 'media':
      return <MediaScreen />;
    case 'users':
      return <UsersScreen />;
    case 'audit':
      return <AuditScreen />;
    case 'account':
      return <AccountScreen />;
    case 'siteSettings':
      return <SiteSettingsScreen />;
    case 'look':
      return <LookScreen />;
    case 'theme':
      return <ThemeEditorScreen />;
    case 'sites':
      return <SitesScreen />;
    case 'submissions':
      return <SubmissionsScreen />;
    case 'submissionStats':
      return <SubmissionStatsScreen />;
    case 'placements':
      return <PlacementsScreen />;
    case 'disclosureReport':
      return <DisclosureReportScreen />;
    case 'health':
      return <HealthDashboardScreen />;
    case 'wordingDictionary':
      return <WordingDictionaryScreen />;
    case 'letters':
      return <LettersScreen />;
    case 'letter':
      return <LetterScreen id={route.id} />;
    case 'letterDesk':
      return <LetterDeskScreen />;
    case 'letterStats':
      return <LetterStatsScreen />;
    case 'infoRequests':
      return <InfoRequestsScreen />;
    case 'infoRequest':
      return <InfoRequestScreen id={route.id} />;
    case 'surveys':
      return <SurveysScreen />;
    case 'survey':
      return <SurveyEditorScreen id={route.id} />;
    case 'surveyResults':
      return <SurveyResultsScreen id={route.id} />;
    case 'consultations':
      return <ConsultationsScreen />;
    case 'consultation':
      return <ConsultationScreen id={route.id} />;
    case 'calendar':
      return <CalendarScreen />;
    case 'contentTypes':
      return <ContentTypesScreen />;
    case 'fronts':
      return <FrontsScreen />;
    case 'forbidden':
      return <Message title={t('forbidden.title')} text={t('forbidden.text')} />;
    case 'notFound':
      return <Message title={t('notFound.title')} text={t('notFound.text')} />;
  }
}
