import { GrammyError } from 'grammy';
import { describe, expect, it } from 'vitest';
import { AppError, type ErrorReason, errorCatalogue } from '../app/errors.ts';
import { replyToError } from './reply-to-error.ts';

describe('replyToError', () => {
  it('gives every reason in the error catalogue a sentence for the chat', () => {
    for (const reason of Object.keys(errorCatalogue) as ErrorReason[]) {
      const sentence = replyToError(new AppError(reason));
      expect(sentence.length, reason).toBeGreaterThan(10);
      expect(sentence, reason).not.toMatch(/Error|stack|undefined/);
    }
  });

  it('escapes the detail of an AppError for HTML parse mode', () => {
    expect(replyToError(new AppError('invalid-field', 'Bad <b>&</b> value'))).toBe(
      'Bad &lt;b&gt;&amp;&lt;/b&gt; value',
    );
  });

  it('points a pending deletion at /undelete', () => {
    expect(replyToError(new AppError('account-deletion-pending'))).toContain('/undelete');
  });

  it('apologises without details for anything that is not an AppError', () => {
    expect(replyToError(new Error('connection refused at 10.0.0.1'))).toBe(
      'Sorry, something went wrong on my side. It has been logged; please try again.',
    );
    const telegram = new GrammyError(
      'x',
      { ok: false, error_code: 400, description: 'Bad Request' },
      'sendMessage',
      {},
    );
    expect(replyToError(telegram)).toContain('Telegram did not accept');
  });
});
