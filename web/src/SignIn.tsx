import { useEffect, useState } from 'react';
import { api, type SignInOptions } from './api.ts';
import type { Translate } from './i18n.ts';

/**
 * The Telegram Login Widget's redirect flow: a plain link to oauth.telegram.org that comes back to
 * this page with `#tgAuthResult=<base64 JSON>`, which POST /api/auth/telegram-login verifies. No
 * script from telegram.org runs in our page (https://core.telegram.org/widgets/login).
 */
function telegramLoginUrl(botId: number): string {
  const here = new URL('/app/', window.location.origin);
  const query = new URLSearchParams({
    bot_id: String(botId),
    origin: window.location.origin,
    return_to: here.toString(),
    request_access: 'write',
  });
  return `https://oauth.telegram.org/auth?${query.toString()}`;
}

export function SignIn(props: { t: Translate; notice?: string | undefined }) {
  const { t } = props;
  const [options, setOptions] = useState<SignInOptions | undefined>();
  // The command is code, not prose: the sentence is split around its placeholder.
  const botOff = t('signInBotOff').split('{command}');
  useEffect(() => {
    api.signInOptions().then(setOptions, () => setOptions({ telegramLogin: null }));
  }, []);

  return (
    <main className="sign-in">
      <h1>{t('appName')}</h1>
      <p className="tagline">{t('tagline')}</p>
      {props.notice && (
        <p className="problem" role="alert">
          {props.notice}
        </p>
      )}
      <section aria-labelledby="sign-in-title">
        <h2 id="sign-in-title">{t('signInTitle')}</h2>
        {options === undefined ? (
          <p aria-busy="true">{t('loading')}</p>
        ) : options.telegramLogin ? (
          <>
            <p>
              <a className="button primary" href={telegramLoginUrl(options.telegramLogin.botId)}>
                {t('signInWithTelegram')}
              </a>
            </p>
            <p className="hint">{t('signInWithTelegramHint')}</p>
            <p>{t('signInWithLink')}</p>
          </>
        ) : (
          <p>
            {botOff[0]}
            <code>npx televent login-link --telegram-id N</code>
            {botOff[1]}
          </p>
        )}
      </section>
      <p className="hint">{t('landingCaldav')}</p>
    </main>
  );
}

/** Reads `#tgAuthResult=` (the widget's redirect back to us), if present, and clears it from the URL. */
export function takeTelegramAuthResult(): unknown {
  const match = /[#&]tgAuthResult=([^&]+)/.exec(window.location.hash);
  if (!match?.[1]) return undefined;
  history.replaceState(null, '', window.location.pathname + window.location.search);
  try {
    const base64 = match[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}
