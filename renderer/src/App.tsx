import { useEffect, useMemo, useState } from 'react';
import { Editor } from './editor/Editor.tsx';
import { I18nContext, pickLocale, setCurrentLocale, translate, type I18n, type Locale } from './i18n/i18n.ts';
import { PlanPanel } from './panels/PlanPanel.tsx';
import { SidePanel } from './panels/SidePanel.tsx';
import { TopBar } from './topbar/TopBar.tsx';
import { Notices } from './Notices.tsx';
import { followEngine, reopenLast } from './state/actions.ts';

const LOCALE_KEY = 'longhand.locale';

function storedLocale(): string | null {
  try {
    return localStorage.getItem(LOCALE_KEY);
  } catch {
    return null;
  }
}

export function App() {
  const [locale, setLocale] = useState<Locale>(() => pickLocale(storedLocale(), navigator.languages ?? [navigator.language]));
  setCurrentLocale(locale);
  const i18n = useMemo<I18n>(
    () => ({
      locale,
      t: (key, vars) => translate(locale, key, vars),
      setLocale: (l) => {
        setLocale(l);
        try {
          localStorage.setItem(LOCALE_KEY, l);
        } catch {
          /* private mode: the choice lasts this session */
        }
      },
    }),
    [locale],
  );
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  useEffect(() => {
    const off = followEngine();
    void reopenLast();
    return off;
  }, []);

  return (
    <I18nContext.Provider value={i18n}>
      <div className="app">
        <TopBar />
        <PlanPanel />
        <main className="document" aria-label={i18n.t('editor.area')}>
          <Editor />
        </main>
        <SidePanel />
        <Notices />
      </div>
    </I18nContext.Provider>
  );
}
