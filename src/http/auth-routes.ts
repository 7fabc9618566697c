import { z } from 'zod';
import { verifyLoginWidget } from '../app/auth/telegram-login-widget.ts';
import { AppError, isAppError } from '../app/errors.ts';
import type { AppServices } from '../app/services.ts';
import type { Config } from '../config.ts';
import { noteIfOverSignInLimit, noteSignInFailure, noteThrottled } from '../observability/request-notes.ts';
import { sessionCookie, setSessionCookie } from './api/authenticate.ts';
import { loginWidgetInput, userOutput } from './api/contract.ts';
import { presentUser } from './api/present.ts';
import {
  accountKey,
  addressKey,
  checkSignedProof,
  retryAfterSeconds,
  SignInFailures,
} from './sign-in-failures.ts';
import type { TypedApp } from './typed-app.ts';

export const webAppPath = '/app/';

const signInOptionsOutput = z.object({
  telegramLogin: z.object({ botId: z.number().int() }).nullable(),
});

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A used or expired login link lands here: a page (not JSON) that says what happened and how to
 * get a new link, in the sign-in page's colours, with a way to the other sign-in options.
 */
function linkProblemPage(message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Televent: sign in again</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}
section{border:1px solid #8884;border-radius:12px;padding:1rem 1.25rem}a{font-weight:600}</style></head>
<body><main><h1>Televent</h1><section><h2>This login link cannot be used</h2><p>${escapeHtml(message)}</p>
<p>Login links work once and for 10 minutes. Send <strong>/web</strong> to the Televent bot for a new one,
or <a href="${webAppPath}">sign in another way</a>.</p></section></main></body></html>`;
}

function usesSecureCookies(config: Config): boolean {
  return config.PUBLIC_URL?.startsWith('https://') ?? false;
}

/**
 * Browser sign-in: one-time login links (`/auth/link/<token>` → HttpOnly session cookie →
 * the web app). An address with 10 links that did not work in 15 minutes gets 429 without its
 * token being looked up: each guess would cost a database write, and 32 random bytes are not
 * guessed anyway; someone sharing that address can still sign in with the widget or the Mini App.
 */
export async function registerLoginLinkRoute(
  app: TypedApp,
  services: AppServices,
  config: Config,
): Promise<void> {
  const secureCookies = usesSecureCookies(config);
  const failures = new SignInFailures();

  app.get('/auth/link/:token', async (request, reply) => {
    const { token } = request.params as { token: string };
    reply.header('cache-control', 'no-store');
    const keys = [addressKey(request.ip)];
    const blockedMs = failures.blockedForMs(keys);
    if (blockedMs > 0) {
      const seconds = retryAfterSeconds(blockedMs);
      const minutes = Math.ceil(seconds / 60);
      const wait = `Wait ${minutes} minute${minutes === 1 ? '' : 's'} before opening another link.`;
      noteThrottled(request, 'sign-in-failures');
      return reply
        .code(429)
        .header('retry-after', String(seconds))
        .type('text/html; charset=utf-8')
        .send(linkProblemPage(`${new AppError('too-many-failed-sign-ins').message} ${wait}`));
    }
    // Counted before the lookup and forgiven on success, so concurrent guesses cannot outrun the limit.
    const forgive = failures.count(keys);
    try {
      const session = await services.logins.redeemLoginLink(token);
      forgive();
      setSessionCookie(reply, session.sessionToken, session.expiresAt, secureCookies);
      return reply.redirect(webAppPath, 303);
    } catch (error) {
      if (!isAppError(error)) {
        forgive();
        throw error;
      }
      noteSignInFailure(request, 'login-link');
      return reply.code(401).type('text/html; charset=utf-8').send(linkProblemPage(error.message));
    }
  });
}

/**
 * `/api/auth/*`: the sign-in methods on offer, the Telegram Login Widget callback and sign-out
 * (inside the rate-limited /api scope). Widget payloads that fail verification are counted per
 * address and per the account they name; past 10 in 15 minutes a failing one gets 429 with
 * Retry-After instead of 401. A valid payload always signs in: its HMAC is checked in
 * microseconds and cannot be forged, so refusing it unchecked would only let a forger lock out
 * whoever shares an address with them, or the account they name (docs/caldav-client-quirks.md#sign-in-delay).
 */
export async function registerWidgetAuthRoutes(
  api: TypedApp,
  services: AppServices,
  config: Config,
): Promise<void> {
  const secureCookies = usesSecureCookies(config);
  const failures = new SignInFailures();
  api.post(
    '/auth/telegram-login',
    {
      // Login CSRF: another site must not sign this browser in to someone else's account.
      config: { sameOriginOnly: true },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with a Telegram Login Widget payload; sets the session cookie',
        body: loginWidgetInput,
        response: { 200: userOutput },
      },
    },
    async (request, reply) => {
      if (!config.TELEGRAM_BOT_TOKEN) throw new AppError('telegram-auth-unavailable');
      const token = config.TELEGRAM_BOT_TOKEN;
      const keys = [addressKey(request.ip), accountKey(request.body.id)];
      let verified: ReturnType<typeof verifyLoginWidget>;
      try {
        verified = checkSignedProof(failures, keys, () =>
          verifyLoginWidget(request.body, token, { maxAgeSeconds: config.INIT_DATA_MAX_AGE_SECONDS }),
        );
      } catch (error) {
        noteSignInFailure(request, 'telegram-login-widget');
        noteIfOverSignInLimit(request, error);
        throw error;
      }
      const { user } = await services.accounts.ensureUser({
        telegramId: verified.user.id,
        username: verified.user.username,
        firstName: verified.user.firstName,
        lastName: verified.user.lastName,
      });
      const session = await services.logins.startSession(user.telegramId);
      setSessionCookie(reply, session.sessionToken, session.expiresAt, secureCookies);
      return presentUser(user);
    },
  );

  api.get(
    '/auth/options',
    {
      schema: {
        tags: ['auth'],
        summary: 'Which browser sign-in methods this server offers (the sign-in page reads it)',
        response: { 200: signInOptionsOutput },
      },
    },
    async () => {
      // The bot's numeric id is the part of its token before the colon; the Login Widget's
      // redirect flow (oauth.telegram.org/auth?bot_id=…) needs it, and it is no secret.
      const botId = Number(config.TELEGRAM_BOT_TOKEN?.split(':')[0]);
      return { telegramLogin: Number.isSafeInteger(botId) && botId > 0 ? { botId } : null };
    },
  );

  api.post(
    '/auth/logout',
    { schema: { tags: ['auth'], summary: 'End the web session' } },
    async (request, reply) => {
      const token = request.cookies[sessionCookie];
      if (token) await services.logins.endSession(token);
      reply.clearCookie(sessionCookie, { path: '/' });
      return reply.code(204).send();
    },
  );
}
