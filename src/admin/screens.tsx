// Which component shows which route. The editor (TipTap and ProseMirror) is loaded on demand
// so the login screen and the lists stay light.
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { AccountScreen } from './account';
import { ArticlesScreen } from './articles';
import { AuditScreen } from './audit';
import { ChannelsScreen } from './channels';
import { DashboardScreen } from './dashboard';
import { t } from './i18n';
import { MediaScreen } from './media';
import { ReviewScreen } from './review';
import { RevisionsScreen } from './revisions';
import type { Route } from './router';
import { Link } from './router';
import { AlertText, ScreenTitle, StatusText } from './ui';
import { UsersScreen } from './users';

type EditorProps = { id: number | null };
let editorModule: ComponentType<EditorProps> | null = null;

function LazyEditor({ id }: EditorProps) {
  const [Editor, setEditor] = useState(() => editorModule);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (Editor) return;
    import('./editor').then(
      (module) => { editorModule = module.EditorScreen; setEditor(() => module.EditorScreen); },
      () => setFailed(true),
    );
  }, []);
  if (Editor) return <Editor id={id} />;
  return failed ? <AlertText text={t('error.loadFailed')} /> : <StatusText text={t('common.loading')} />;
}

function Message({ title, text }: { title: string; text: string }) {
  return (
    <>
      <ScreenTitle title={title} />
      <p>{text}</p>
      <p><Link to="/">{t('nav.backHome')}</Link></p>
    </>
  );
}

export function Screen({ route }: { route: Route }) {
  switch (route.name) {
    case 'dashboard': return <DashboardScreen />;
    case 'articles': return <ArticlesScreen />;
    case 'editor': return <LazyEditor id={route.id} />;
    case 'revisions': return <RevisionsScreen id={route.id} />;
    case 'review': return <ReviewScreen />;
    case 'channels': return <ChannelsScreen />;
    case 'media': return <MediaScreen />;
    case 'users': return <UsersScreen />;
    case 'audit': return <AuditScreen />;
    case 'account': return <AccountScreen />;
    case 'forbidden': return <Message title={t('forbidden.title')} text={t('forbidden.text')} />;
    case 'notFound': return <Message title={t('notFound.title')} text={t('notFound.text')} />;
  }
}
