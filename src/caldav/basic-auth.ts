import { setTimeout as sleep } from 'node:timers/promises';
import type { DeviceService } from '../app/device-service.ts';
import { basicChallenge, DavError } from './dav-error.ts';
import type { LoginThrottle } from './login-throttle.ts';

const userIdPattern = /^[1-9][0-9]{0,15}$/;
// Device passwords are short generated tokens; a longer "password" is never worth an Argon2 run.
const maxPasswordLength = 256;

function unauthorized(message: string): DavError {
  // Always a challenge: Apple clients send credentials only after one (FIELD-NOTES §2 #12).
  return new DavError(401, message, { headers: { 'www-authenticate': basicChallenge } });
}

/**
 * RFC 7617 Basic: user name = Telegram id, password = a device password. Nothing else is accepted
 * here, in particular no Telegram session or initData. Failed attempts are throttled per account
 * and IP; the DeviceService caches verified pairs, so a syncing client costs no Argon2 per request.
 */
export async function authenticateBasic(
  authorization: string | undefined,
  ip: string,
  deps: { devices: DeviceService; throttle: LoginThrottle },
): Promise<number> {
  const match = authorization ? /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization) : null;
  if (!match?.[1]) throw unauthorized('Sign in with your Telegram id and a device password.');
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon < 0 ? decoded : decoded.slice(0, colon);
  const password = colon < 0 ? '' : decoded.slice(colon + 1);
  const key = `${user.slice(0, 64)}\u0000${ip}`;

  const blockedMs = deps.throttle.blockedForMs(key);
  if (blockedMs > 0) {
    throw new DavError(429, 'Too many failed sign-ins; wait before trying again.', {
      headers: { 'retry-after': String(Math.ceil(blockedMs / 1000)) },
    });
  }
  const userId = userIdPattern.test(user) ? Number(user) : null;
  const checkable = userId !== null && password.length > 0 && password.length <= maxPasswordLength;
  const deviceId = checkable
    ? (deps.devices.verifyFromMemory(userId, password) ?? (await deps.devices.verify(userId, password)))
    : null;
  if (userId === null || deviceId === null) {
    const delayMs = deps.throttle.recordFailure(key);
    if (delayMs > 0) await sleep(delayMs);
    throw unauthorized('Wrong Telegram id or device password.');
  }
  deps.throttle.recordSuccess(key);
  return userId;
}
