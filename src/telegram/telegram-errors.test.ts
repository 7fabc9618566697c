import { GrammyError, HttpError } from 'grammy';
import { describe, expect, it } from 'vitest';
import { classifyTelegramError } from './telegram-errors.ts';

function apiError(code: number, description: string, retryAfter?: number): GrammyError {
  return new GrammyError(
    `Call to 'sendMessage' failed! (${code}: ${description})`,
    {
      ok: false,
      error_code: code,
      description,
      ...(retryAfter === undefined ? {} : { parameters: { retry_after: retryAfter } }),
    },
    'sendMessage',
    {},
  );
}

describe('classifyTelegramError', () => {
  it('tells a blocked user from a missing chat from a request Telegram refused', () => {
    expect(classifyTelegramError(apiError(403, 'Forbidden: bot was blocked by the user'))).toEqual({
      kind: 'blocked',
      message: 'Telegram 403: Forbidden: bot was blocked by the user',
    });
    expect(classifyTelegramError(apiError(400, 'Bad Request: chat not found'))?.kind).toBe('chat-not-found');
    expect(
      classifyTelegramError(apiError(400, 'Bad Request: message is not modified: specified new message'))
        ?.kind,
    ).toBe('not-modified');
    expect(classifyTelegramError(apiError(400, "Bad Request: can't parse entities"))?.kind).toBe(
      'bad-request',
    );
  });

  it('reads a flood wait in milliseconds, one second when Telegram names none', () => {
    expect(classifyTelegramError(apiError(429, 'Too Many Requests: retry after 7', 7))).toMatchObject({
      kind: 'flood-wait',
      retryAfterMs: 7000,
    });
    expect(classifyTelegramError(apiError(429, 'Too Many Requests'))).toMatchObject({ retryAfterMs: 1000 });
  });

  it('calls other answers other, a failed connection unreachable, and anything else not Telegram’s', () => {
    expect(classifyTelegramError(apiError(502, 'Bad Gateway'))?.kind).toBe('other');
    expect(classifyTelegramError(new HttpError('Network request failed', new Error('ECONNREFUSED')))).toEqual(
      {
        kind: 'unreachable',
        message: 'Telegram unreachable: Network request failed',
      },
    );
    expect(classifyTelegramError(new Error('boom'))).toBeNull();
    expect(classifyTelegramError('boom')).toBeNull();
  });
});
