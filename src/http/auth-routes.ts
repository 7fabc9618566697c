import { verifyLoginWidget } from '../app/auth/telegram-login-widget.ts';
import { AppError, isAppError } from '../app/errors.ts';
import type { AppServices } from '../app/services.ts';
import type { Config } from '../config.ts';
import { sessionCookie, setSessionCookie } from './api/authenticate.ts';
import { loginWidgetInput, userOutput } from './api/contract.ts';
import { presentUser } from './api/present.ts';
import type { TypedApp } from './typed-app.ts';

export const webAppPath = '/app/';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function linkProblemPage(message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Televent</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><h1>Televent</h1><p>${escapeHtml(message)}</p></body></html>`;
}

function usesSecureCookies(config: Config): boolean {
  return config.PUBLIC_URL?.startsWith('https://') ?? false;
}

/**
 * Browser sign-in: one-time login links (`/auth/link/<token>` → HttpOnly session cookie →
 * the web app) and the Telegram Login Widget callback.
 */
export async function registerLoginLinkRoute(
  app: TypedApp,
  services: AppServices,
  config: Config,
): Promise<void> {
  const secureCookies = usesSecureCookies(config);

  app.get('/auth/link/:token', async (request, reply) => {
    const { token } = request.params as { token: string };
    try {
      const session = await services.logins.redeemLoginLink(token);
      setSessionCookie(reply, session.sessionToken, session.expiresAt, secureCookies);
      return reply.header('cache-control', 'no-store').redirect(webAppPath, 303);
    } catch (error) {
      if (!isAppError(error)) throw error;
      return reply
        .code(401)
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(linkProblemPage(error.message));
    }
  });
}

/** `/api/auth/*`: the Telegram Login Widget callback and sign-out (inside the rate-limited /api scope). */
export async function registerWidgetAuthRoutes(
  api: TypedApp,
  services: AppServices,
  config: Config,
): Promise<void> {
  const secureCookies = usesSecureCookies(config);
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
      const verified = verifyLoginWidget(request.body, config.TELEGRAM_BOT_TOKEN, {
        maxAgeSeconds: config.INIT_DATA_MAX_AGE_SECONDS,
      });
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
