import { describe, expect, it } from 'vitest';
import { reasonOf } from '../../../test/support/reason-of.ts';
import { signLoginWidget, verifyLoginWidget } from './telegram-login-widget.ts';

const botToken = '123456:TEST-token_for-unit-tests';
const authSeconds = 1_767_225_600; // 2026-01-01T00:00:00Z
const options = { maxAgeSeconds: 86_400, now: new Date((authSeconds + 10) * 1000) };
const callback = {
  id: 42,
  first_name: 'Ada',
  last_name: 'Lovelace',
  username: 'ada',
  photo_url: 'https://t.me/i/userpic/320/ada.jpg',
  auth_date: authSeconds,
};

describe('verifyLoginWidget', () => {
  it('returns the user and auth date of a correctly signed callback', () => {
    expect(verifyLoginWidget(signLoginWidget(callback, botToken), botToken, options)).toEqual({
      user: {
        id: 42,
        firstName: 'Ada',
        lastName: 'Lovelace',
        username: 'ada',
        photoUrl: 'https://t.me/i/userpic/320/ada.jpg',
      },
      authDate: new Date(authSeconds * 1000),
    });
  });

  it('accepts the same callback when it arrives as query-string text rather than numbers', () => {
    const signed = signLoginWidget(callback, botToken);
    const asText = Object.fromEntries(Object.entries(signed).map(([key, value]) => [key, String(value)]));
    expect(verifyLoginWidget(asText, botToken, options).user.id).toBe(42);
  });

  it('accepts a callback that omits the optional name fields', () => {
    const signed = signLoginWidget({ id: 7, first_name: 'Bo', auth_date: authSeconds }, botToken);
    expect(verifyLoginWidget(signed, botToken, options).user).toEqual({ id: 7, firstName: 'Bo' });
  });

  it('refuses a callback whose fields were changed after signing', () => {
    const signed = signLoginWidget(callback, botToken);
    expect(reasonOf(() => verifyLoginWidget({ ...signed, id: 43 }, botToken, options))).toBe(
      'invalid-init-data',
    );
  });

  it('refuses a callback with an added field', () => {
    const signed = signLoginWidget(callback, botToken);
    expect(reasonOf(() => verifyLoginWidget({ ...signed, admin: 'true' }, botToken, options))).toBe(
      'invalid-init-data',
    );
  });

  it('refuses a callback signed with another bot token', () => {
    const signed = signLoginWidget(callback, '999:another-bot');
    expect(reasonOf(() => verifyLoginWidget(signed, botToken, options))).toBe('invalid-init-data');
  });

  it('refuses a callback that uses the Mini App key derivation instead of SHA-256 of the token', () => {
    // The two Telegram schemes differ only in how the secret key is made; mixing them up must fail.
    const { hash: _hash, ...unsigned } = signLoginWidget(callback, botToken);
    expect(reasonOf(() => verifyLoginWidget({ ...unsigned, hash: '0'.repeat(64) }, botToken, options))).toBe(
      'invalid-init-data',
    );
  });

  it('refuses a callback without a hash', () => {
    expect(reasonOf(() => verifyLoginWidget(callback, botToken, options))).toBe('invalid-init-data');
  });

  it('calls a callback older than the maximum age expired', () => {
    const signed = signLoginWidget({ ...callback, auth_date: authSeconds - 86_400 - 11 }, botToken);
    expect(reasonOf(() => verifyLoginWidget(signed, botToken, options))).toBe('expired-init-data');
  });

  it('refuses a correctly signed callback whose id is not a number', () => {
    const signed = signLoginWidget({ ...callback, id: 'ada' }, botToken);
    expect(reasonOf(() => verifyLoginWidget(signed, botToken, options))).toBe('invalid-init-data');
  });

  it('refuses a correctly signed callback without an id', () => {
    const { id: _id, ...withoutId } = callback;
    const signed = signLoginWidget(withoutId, botToken);
    expect(reasonOf(() => verifyLoginWidget(signed, botToken, options))).toBe('invalid-init-data');
  });
});
