import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, api, type LoginWidgetPayload, type Me, sendTelegramInitData } from './api.ts';
import { CalendarScreen } from './CalendarScreen.tsx';
import { DevicesPage } from './DevicesPage.tsx';
import { pickLanguage, translator } from './i18n.ts';
import { SettingsPage } from './SettingsPage.tsx';
import { SignIn, takeTelegramAuthResult } from './SignIn.tsx';
import { announceReady, applyTheme, installTelegramBridge, readLaunchParams } from './telegram.ts';

type State = { kind: 'loading' } | { kind: 'signed-out'; notice?: string } | { kind: 'signed-in'; me: Me };
type Page = 'calendar' | 'devices' | 'settings';
const pages: readonly Page[] = ['calendar', 'devices', 'settings'];

const launch = readLaunchParams();
if (launch) {
  installTelegramBridge();
  sendTelegramInitData(launch.initData);
  applyTheme(launch.themeParams);
}

export function App() {
  const language = pickLanguage([launch?.languageCode, ...navigator.languages, navigator.language]);
  const t = useMemo(() => translator(language), [language]);
  // Dates and times follow the browser's regional format (24 h or 12 h), in the user's zone.
  const locale = launch?.languageCode ?? navigator.language ?? 'en';
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [page, setPage] = useState<Page>('calendar');

  const loadMe = useCallback(
    async (notice?: string) => {
      try {
        setState({ kind: 'signed-in', me: await api.me() });
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          setState({ kind: 'signed-out', notice: notice ?? (launch ? error.message : undefined) });
        } else {
          setState({ kind: 'signed-out', notice: t('errorLoad', { reason: (error as Error).message }) });
        }
      }
    },
    [t],
  );

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = t('appName');
    if (launch) announceReady(launch.themeParams);
    const widget = takeTelegramAuthResult();
    if (widget) {
      api.signInWithTelegramWidget(widget as LoginWidgetPayload).then(
        () => loadMe(),
        (error: Error) =>
          setState({ kind: 'signed-out', notice: t('signInFailed', { reason: error.message }) }),
      );
      return;
    }
    void loadMe();
  }, [language, loadMe, t]);

  async function signOut() {
    try {
      await api.signOut();
    } finally {
      setState({ kind: 'signed-out' });
    }
  }

  if (state.kind === 'loading') {
    return (
      <main className="loading" aria-busy="true">
        <p>{t('loading')}</p>
      </main>
    );
  }
  if (state.kind === 'signed-out') return <SignIn t={t} notice={state.notice} />;
  const { me } = state;
  const name = me.username
    ? `@${me.username}`
    : [me.firstName, me.lastName].filter(Boolean).join(' ') || String(me.telegramId);
  const back = () => setPage('calendar');
  return (
    <div className="app">
      <header className="top">
        <h1>{t('appName')}</h1>
        <nav aria-label={t('pages')} className="pages">
          {pages.map((p) => (
            <button
              key={p}
              type="button"
              className="quiet"
              aria-current={page === p ? 'page' : undefined}
              onClick={() => setPage(p)}
            >
              {t(p)}
            </button>
          ))}
        </nav>
        <p className="who">{t('signedInAs', { name })}</p>
        {!launch && (
          <button type="button" className="quiet" onClick={signOut}>
            {t('signOut')}
          </button>
        )}
      </header>
      {page === 'calendar' && (
        <CalendarScreen t={t} language={language} locale={locale} me={me} compact={launch !== undefined} />
      )}
      {page === 'devices' && <DevicesPage t={t} locale={locale} me={me} onBack={back} />}
      {page === 'settings' && (
        <SettingsPage
          t={t}
          locale={locale}
          me={me}
          inTelegram={launch !== undefined}
          onMeChanged={(next) => setState({ kind: 'signed-in', me: next })}
          onSignOut={signOut}
          onBack={back}
        />
      )}
    </div>
  );
}
