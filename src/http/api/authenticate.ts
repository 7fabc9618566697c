import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { verifyInitData } from '../../app/auth/telegram-init-data.ts';
import { AppError, isAppError } from '../../app/errors.ts';
import type { AppServices } from '../../app/services.ts';
import type { Config } from '../../config.ts';
import { noteIfOverSignInLimit, noteSignInFailure } from '../../observability/request-notes.ts';
import { refuseAfterCounting } from '../plugins/rate-limit.ts';
import { accountKey, addressKey, checkSignedProof, SignInFailures } from '../sign-in-failures.ts';

export const sessionCookie = 'televent_session';

/**
 * Who is calling: a Telegram Mini App (`Authorization: tma <initData>`, signed by Telegram for
 * our bot) or a browser with a web-session cookie from a login link or the Login Widget.
 * Credentials that are present but wrong are refused with 401 once the rate limit has counted the
 * request (so guessing spends the caller's budget); absent ones leave the request anonymous and
 * `requireUser` answers 401 on routes that need a user. Forged initData is counted per address and
 * per the account it names; past 10 in 15 minutes it gets 429 instead of 401, while real initData
 * always signs in (see sign-in-failures.ts `checkSignedProof`).
 */
export function createAuthenticationHook(deps: { services: AppServices; config: Config }) {
  const initDataFailures = new SignInFailures();
  return async function authenticate(request: FastifyRequest): Promise<void> {
    try {
      await identify(request, deps, initDataFailures);
    } catch (error) {
      if (!isAppError(error)) throw error;
      // Mini App initData that is forged, expired or malformed; an ended web session is no failed sign-in.
      if (request.headers.authorization !== undefined) noteSignInFailure(request, 'telegram-init-data');
      noteIfOverSignInLimit(request, error);
      refuseAfterCounting(request, error);
    }
  };
}

async function identify(
  request: FastifyRequest,
  deps: { services: AppServices; config: Config },
  initDataFailures: SignInFailures,
): Promise<void> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = /^tma\s+(.+)$/i.exec(authorization.trim());
    if (!match?.[1]) {
      throw new AppError(
        'authentication-required',
        'Use "Authorization: tma <initData>" or sign in through a login link.',
      );
    }
    if (!deps.config.TELEGRAM_BOT_TOKEN) throw new AppError('telegram-auth-unavailable');
    const token = deps.config.TELEGRAM_BOT_TOKEN;
    const raw = match[1];
    const claimed = claimedUserId(raw);
    const keys = [addressKey(request.ip), ...(claimed === undefined ? [] : [accountKey(claimed)])];
    const initData = checkSignedProof(initDataFailures, keys, () =>
      verifyInitData(raw, token, { maxAgeSeconds: deps.config.INIT_DATA_MAX_AGE_SECONDS }),
    );
    // First contact through the Mini App creates the account, as /start in the bot does.
    const { user } = await deps.services.accounts.ensureUser({
      telegramId: initData.user.id,
      username: initData.user.username,
      firstName: initData.user.firstName,
      lastName: initData.user.lastName,
      locale: initData.user.languageCode,
    });
    request.userId = user.telegramId;
    return;
  }
  const session = request.cookies[sessionCookie];
  if (session) {
    const userId = await deps.services.logins.resolveSession(session);
    if (userId === undefined) {
      throw new AppError(
        'authentication-required',
        'Your session has ended; open a new login link with /web.',
      );
    }
    request.userId = userId;
  }
}

/** The user id initData names, before its signature is checked (only to count forgeries per account). */
function claimedUserId(initData: string): number | undefined {
  try {
    const user: unknown = JSON.parse(new URLSearchParams(initData).get('user') ?? 'null');
    const id = (user as { id?: unknown } | null)?.id;
    return Number.isSafeInteger(id) ? (id as number) : undefined;
  } catch {
    return undefined;
  }
}

export function requireUser(request: FastifyRequest): number {
  if (request.userId === undefined) throw new AppError('authentication-required');
  return request.userId;
}

export function setSessionCookie(reply: FastifyReply, token: string, expiresAt: Date, secure: boolean): void {
  reply.setCookie(sessionCookie, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    expires: expiresAt,
  });
}
