import { describe, expect, it } from 'vitest';
import { reasonOf } from '../../../test/support/reason-of.ts';
import { signInitData, verifyInitData } from './telegram-init-data.ts';

const botToken = '123456:TEST-token_for-unit-tests';
const authSeconds = 1_767_225_600; // 2026-01-01T00:00:00Z
const now = new Date((authSeconds + 30) * 1000);
const options = { maxAgeSeconds: 3600, now };
const user = { id: 42, first_name: 'Ada', last_name: 'Lovelace', username: 'ada', language_code: 'en' };

describe('verifyInitData', () => {
  it('accepts initData signed by Telegram (the published tma.js/init-data-golang example)', () => {
    const telegramSigned =
      'query_id=AAHdF6IQAAAAAN0XohDhrOrc&user=%7B%22id%22%3A279058397%2C%22first_name%22%3A%22Vladislav%22%2C%22last_name%22%3A%22Kibenko%22%2C%22username%22%3A%22vdkfrost%22%2C%22language_code%22%3A%22ru%22%2C%22is_premium%22%3Atrue%7D&auth_date=1662771648&hash=c501b71e775f74ce10e377dea85a7ea24ecd640b223ea86dfe453e0eaed2e2b2';
    const result = verifyInitData(telegramSigned, '5768337691:AAH5YkoiEuPk8-FZa32hStHTqXiLPtAEhx8', {
      maxAgeSeconds: 60,
      now: new Date(1_662_771_648_000 + 5_000),
    });
    expect(result).toEqual({
      user: {
        id: 279058397,
        firstName: 'Vladislav',
        lastName: 'Kibenko',
        username: 'vdkfrost',
        languageCode: 'ru',
      },
      authDate: new Date(1_662_771_648_000),
      queryId: 'AAHdF6IQAAAAAN0XohDhrOrc',
    });
  });

  it('returns the user, auth date, query id and start parameter of data it signed itself', () => {
    const initData = signInitData(
      { auth_date: authSeconds, query_id: 'Q1', start_param: 'invite-7', user },
      botToken,
    );
    expect(verifyInitData(initData, botToken, options)).toEqual({
      user: { id: 42, firstName: 'Ada', lastName: 'Lovelace', username: 'ada', languageCode: 'en' },
      authDate: new Date(authSeconds * 1000),
      queryId: 'Q1',
      startParam: 'invite-7',
    });
  });

  it('includes the signature field in the checked data, so it cannot be altered', () => {
    const initData = signInitData({ auth_date: authSeconds, user, signature: 'abc' }, botToken);
    expect(verifyInitData(initData, botToken, options).user.id).toBe(42);
    const altered = initData.replace('signature=abc', 'signature=abd');
    expect(reasonOf(() => verifyInitData(altered, botToken, options))).toBe('invalid-init-data');
  });

  it('keeps user names with spaces, plus signs and non-Latin letters intact', () => {
    const initData = signInitData(
      { auth_date: authSeconds, user: { id: 7, first_name: 'Анна + Мария' } },
      botToken,
    );
    expect(verifyInitData(initData, botToken, options).user.firstName).toBe('Анна + Мария');
  });

  it('refuses data whose user was changed after signing', () => {
    const initData = signInitData({ auth_date: authSeconds, user }, botToken);
    const params = new URLSearchParams(initData);
    params.set('user', JSON.stringify({ ...user, id: 43 }));
    expect(reasonOf(() => verifyInitData(params.toString(), botToken, options))).toBe('invalid-init-data');
  });

  it('refuses data signed with another bot token', () => {
    const initData = signInitData({ auth_date: authSeconds, user }, '999:another-bot');
    expect(reasonOf(() => verifyInitData(initData, botToken, options))).toBe('invalid-init-data');
  });

  it('refuses data without a hash, or with a hash that is not hex', () => {
    const params = new URLSearchParams(signInitData({ auth_date: authSeconds, user }, botToken));
    params.delete('hash');
    expect(reasonOf(() => verifyInitData(params.toString(), botToken, options))).toBe('invalid-init-data');
    params.set('hash', 'zz');
    expect(reasonOf(() => verifyInitData(params.toString(), botToken, options))).toBe('invalid-init-data');
  });

  it('refuses data that repeats a field', () => {
    const initData = signInitData({ auth_date: authSeconds, user }, botToken);
    expect(reasonOf(() => verifyInitData(`${initData}&auth_date=${authSeconds}`, botToken, options))).toBe(
      'invalid-init-data',
    );
  });

  it('calls data older than the maximum age expired', () => {
    const initData = signInitData({ auth_date: authSeconds - 3600 - 31, user }, botToken);
    expect(reasonOf(() => verifyInitData(initData, botToken, options))).toBe('expired-init-data');
  });

  it('accepts data exactly at the maximum age', () => {
    const initData = signInitData({ auth_date: authSeconds - 3600 + 30, user }, botToken);
    expect(verifyInitData(initData, botToken, options).user.id).toBe(42);
  });

  it('refuses data dated more than a minute in the future but tolerates small clock skew', () => {
    const nowSeconds = authSeconds + 30;
    const skewed = signInitData({ auth_date: nowSeconds + 50, user }, botToken);
    expect(verifyInitData(skewed, botToken, options).user.id).toBe(42);
    const future = signInitData({ auth_date: nowSeconds + 120, user }, botToken);
    expect(reasonOf(() => verifyInitData(future, botToken, options))).toBe('invalid-init-data');
  });

  it('refuses data without a numeric auth_date', () => {
    const initData = signInitData({ auth_date: 'yesterday', user }, botToken);
    expect(reasonOf(() => verifyInitData(initData, botToken, options))).toBe('invalid-init-data');
  });

  it('refuses signed data whose user field is not JSON', () => {
    const initData = signInitData({ auth_date: authSeconds, user: '{"id":42' }, botToken);
    expect(reasonOf(() => verifyInitData(initData, botToken, options))).toBe('invalid-init-data');
  });

  it('refuses signed data whose user has no numeric id', () => {
    const initData = signInitData({ auth_date: authSeconds, user: { id: 'forty-two' } }, botToken);
    expect(reasonOf(() => verifyInitData(initData, botToken, options))).toBe('invalid-init-data');
  });

  it('refuses signed data that names no user', () => {
    const initData = signInitData({ auth_date: authSeconds, query_id: 'Q1' }, botToken);
    expect(reasonOf(() => verifyInitData(initData, botToken, options))).toBe('invalid-init-data');
  });

  it('refuses an empty string', () => {
    expect(reasonOf(() => verifyInitData('', botToken, options))).toBe('invalid-init-data');
  });
});
