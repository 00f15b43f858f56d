// Components whose code is fetched on first use: the rich-text editor (TipTap and ProseMirror) is
// large, so the login screen and the lists stay light without it.
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from './i18n';
import { AlertText, StatusText } from './ui';

/** A component that shows "loading" until `load` has given the real one, which is then kept for later uses. */
export function lazy<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  return function Lazy(props: P) {
    const [Component, setComponent] = useState(() => loaded);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (Component) return;
      load().then(
        (component) => {
          loaded = component;
          setComponent(() => component);
        },
        () => setFailed(true),
      );
    }, []);
    if (Component) return <Component {...props} />;
    return failed ? <AlertText text={t('error.loadFailed')} /> : <StatusText text={t('common.loading')} />;
  };
}
