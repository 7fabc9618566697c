import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('reminder settings in the environment', () => {
  it('defaults to a 10-minute late grace and a 2-day planning horizon when unset or empty', () => {
    expect(loadConfig({})).toMatchObject({ REMINDER_GRACE_MINUTES: 10, REMINDER_HORIZON_DAYS: 2 });
    expect(loadConfig({ REMINDER_GRACE_MINUTES: ' ', REMINDER_HORIZON_DAYS: '' })).toMatchObject({
      REMINDER_GRACE_MINUTES: 10,
      REMINDER_HORIZON_DAYS: 2,
    });
  });

  it('takes whole numbers, including a grace of 0 (never send late reminders)', () => {
    expect(loadConfig({ REMINDER_GRACE_MINUTES: '0', REMINDER_HORIZON_DAYS: '7' })).toMatchObject({
      REMINDER_GRACE_MINUTES: 0,
      REMINDER_HORIZON_DAYS: 7,
    });
  });

  it.each([
    ['REMINDER_GRACE_MINUTES', 'ten', 'a whole number of minutes'],
    ['REMINDER_GRACE_MINUTES', '2.5', 'a whole number of minutes'],
    ['REMINDER_GRACE_MINUTES', '-1', 'at least 0 minutes'],
    ['REMINDER_GRACE_MINUTES', '1441', 'at most 1440 minutes'],
    ['REMINDER_HORIZON_DAYS', '0', 'at least 1 days'],
    ['REMINDER_HORIZON_DAYS', '29', 'at most 28 days'],
    ['REMINDER_HORIZON_DAYS', '2d', 'a whole number of days'],
  ])('refuses %s=%s, naming the variable', (variable, value, reason) => {
    const error = errorOf({ [variable]: value });
    expect(error.variable).toBe(variable);
    expect(error.message).toBe(`Invalid configuration: ${variable} must be ${reason}`);
  });
});

describe('TRUST_PROXY', () => {
  it('trusts no proxy when unset or empty', () => {
    expect(loadConfig({}).TRUST_PROXY).toBeUndefined();
    expect(loadConfig({ TRUST_PROXY: ' ' }).TRUST_PROXY).toBeUndefined();
  });

  it('takes a hop count or a list of proxy addresses, CIDRs and named ranges', () => {
    expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1,fd00::/8,loopback' }).TRUST_PROXY).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
  });

  it.each([
    ['true', '"true" is neither'],
    ['0', 'a hop count is 1 to 16'],
    ['17', 'a hop count is 1 to 16'],
    ['10.0.0.0/33', '"10.0.0.0/33" is neither'],
    ['127.0.0.1,proxy.example.org', '"proxy.example.org" is neither'],
    ['127.0.0.1,', '"" is neither'],
    ['1.5', '"1.5" is neither'],
  ])('refuses TRUST_PROXY=%s, naming the variable', (value, reason) => {
    const error = errorOf({ TRUST_PROXY: value });
    expect(error.variable).toBe('TRUST_PROXY');
    expect(error.message).toMatch(/^Invalid configuration: TRUST_PROXY must be a hop count/);
    expect(error.message).toContain(reason);
  });
});

describe('METRICS_TOKEN and METRICS_PORT', () => {
  it('are off when unset or empty', () => {
    const config = loadConfig({ METRICS_TOKEN: '', METRICS_PORT: '' });
    expect(config.METRICS_TOKEN).toBeUndefined();
    expect(config.METRICS_PORT).toBeUndefined();
  });

  it('take a token and a port of its own', () => {
    const config = loadConfig({ METRICS_TOKEN: 'a-long-enough-token', METRICS_PORT: '9464' });
    expect(config.METRICS_TOKEN).toBe('a-long-enough-token');
    expect(config.METRICS_PORT).toBe(9464);
  });

  it('refuse a short token, a bad port and the API port, naming the variable', () => {
    expect(errorOf({ METRICS_TOKEN: 'short' }).message).toContain('METRICS_TOKEN must be 16 to 256');
    expect(errorOf({ METRICS_TOKEN: 'has a space in it, sadly' }).variable).toBe('METRICS_TOKEN');
    expect(errorOf({ METRICS_PORT: 'nine' }).message).toContain('METRICS_PORT must be a port number');
    expect(errorOf({ METRICS_PORT: '70000' }).variable).toBe('METRICS_PORT');
    expect(errorOf({ API_PORT: '8080', METRICS_PORT: '8080' }).message).toContain(
      'METRICS_PORT must differ from API_PORT',
    );
  });
});

describe('secrets from files (<NAME>_FILE)', () => {
  const withFile = (content: string, use: (path: string) => void) => {
    const dir = mkdtempSync(join(tmpdir(), 'televent-secret-'));
    try {
      const path = join(dir, 'secret');
      writeFileSync(path, content);
      use(path);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('reads a bot token and a database URL from their files, without the trailing newline', () => {
    withFile('123456:ABC-def\n', (token) =>
      withFile('postgres://app:pw@db/televent\n', (url) => {
        const config = loadConfig({ TELEGRAM_BOT_TOKEN_FILE: token, DATABASE_URL_FILE: url });
        expect(config.TELEGRAM_BOT_TOKEN).toBe('123456:ABC-def');
        expect(config.DATABASE_URL).toBe('postgres://app:pw@db/televent');
      }),
    );
  });

  it('names the _FILE variable when its file is missing or both forms are given', () => {
    expect(() => loadConfig({ SMTP_URL_FILE: '/nonexistent/smtp' })).toThrow(
      'SMTP_URL_FILE names a file that cannot be read (ENOENT)',
    );
    withFile('123456:ABC', (token) => {
      const both = () => loadConfig({ TELEGRAM_BOT_TOKEN: '1:a', TELEGRAM_BOT_TOKEN_FILE: token });
      expect(both).toThrow(ConfigError);
      expect(both).toThrow('TELEGRAM_BOT_TOKEN_FILE and TELEGRAM_BOT_TOKEN are both set');
    });
  });

  it('checks a value read from a file like any other', () => {
    withFile('not a token', (token) =>
      expect(() => loadConfig({ TELEGRAM_BOT_TOKEN_FILE: token })).toThrow(
        'TELEGRAM_BOT_TOKEN must look like',
      ),
    );
  });
});
