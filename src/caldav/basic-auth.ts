import { setTimeout as sleep } from 'node:timers/promises';
import rateLimit from '@fastify/rate-limit';
import type { DeviceService } from '../app/device-service.ts';
import { basicChallenge, DavError } from './dav-error.ts';
import type { LoginThrottle } from './login-throttle.ts';

const userIdPattern = /^[1-9][0-9]{0,15}$/;
// Device passwords are short generated tokens; a longer "password" is never worth an Argon2 run.
const maxPasswordLength = 256;
/** An IPv6 client usually holds a whole /64; counting per address would let it rotate freely. */
const ipv6Subnet = 64;

function unauthorized(message: string): DavError {
  // Always a challenge: Apple clients send credentials only after one
  // (docs/caldav-client-quirks.md#apple-anonymous-probe).
  return new DavError(401, message, { headers: { 'www-authenticate': basicChallenge } });
}

function tooManyFailures(retryAfterMs: number): DavError {
  return new DavError(429, 'Too many failed sign-ins; wait before trying again.', {
    headers: { 'retry-after': String(Math.ceil(retryAfterMs / 1000)) },
  });
}

/**
 * RFC 7617 Basic: user name = Telegram id, password = a device password. Nothing else is accepted
 * here, in particular no Telegram session or initData. The throttle decides, before anything is
 * awaited, whether this attempt may be checked (login-throttle.ts); the DeviceService caches
 * verified pairs, so a syncing client costs no Argon2 per request.
 */
export async function authenticateBasic(
  authorization: string | undefined,
  ip: string,
  deps: {
    devices: Pick<DeviceService, 'verify' | 'verifyFromMemory' | 'checkUnderWay'>;
    throttle: LoginThrottle;
  },
): Promise<number> {
  const match = authorization ? /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization) : null;
  if (!match?.[1]) throw unauthorized('Sign in with your Telegram id and a device password.');
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon < 0 ? decoded : decoded.slice(0, colon);
  const password = colon < 0 ? '' : decoded.slice(colon + 1);

  const userId = userIdPattern.test(user) ? Number(user) : null;
  const checkable = userId !== null && password.length > 0 && password.length <= maxPasswordLength;
  // A client opening several connections at once sends its new password on each: the ones that
  // find the same check under way wait for it instead of taking sign-in slots of their own (which
  // ran out and answered 429 to a correct password). A check that fails counts below as usual.
  const underWay = checkable ? deps.devices.checkUnderWay(userId, password) : undefined;
  if (underWay && (await underWay.catch(() => null)) !== null) return userId as number;
  const attempt = deps.throttle.begin(user.slice(0, 64), rateLimit.normalizeIP(ip, ipv6Subnet));
  if (attempt.mode === 'refused') throw tooManyFailures(attempt.retryAfterMs);
  // A pair this process already verified costs no Argon2, so it is accepted even while the
  // account or the address is over its limit: a guesser cannot lock out the owner's synced devices.
  if (checkable && deps.devices.verifyFromMemory(userId, password) !== undefined) {
    attempt.succeeded();
    return userId;
  }
  if (attempt.mode === 'memory-only') {
    attempt.failed();
    throw tooManyFailures(attempt.retryAfterMs);
  }
  let deviceId: string | null = null;
  if (checkable) {
    try {
      deviceId = await deps.devices.verify(userId, password);
    } catch (error) {
      attempt.release();
      throw error;
    }
  }
  if (userId === null || deviceId === null) {
    const delayMs = attempt.failed();
    if (delayMs > 0) await sleep(delayMs);
    throw unauthorized('Wrong Telegram id or device password.');
  }
  attempt.succeeded();
  return userId;
}
