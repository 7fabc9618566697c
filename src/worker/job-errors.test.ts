import { describe, expect, it } from 'vitest';
import { errorText, loggableError, PermanentJobError } from './job-errors.ts';

/** A driver error as PGlite makes one: the statement's parameters hang on it. */
function driverError() {
  const ical = `BEGIN:VCALENDAR\r\n${'SUMMARY:secret\r\n'.repeat(5_000)}END:VCALENDAR`;
  return Object.assign(new Error(`insert failed: ${'x'.repeat(2_000)}`), {
    code: '54000',
    params: [ical],
    query: 'insert into outbox_messages …',
  });
}

describe('worker error text', () => {
  it('logs a copy with the name, a short message, the code and the cause, never the parameters', () => {
    const error = new PermanentJobError('event e1 cannot be read for reminders', { cause: driverError() });
    const logged = loggableError(error);
    expect(logged.name).toBe('PermanentJobError');
    expect(Object.keys(logged)).not.toContain('params');
    const cause = logged.cause as Error & { code?: string };
    expect(cause.code).toBe('54000');
    expect(cause.message.length).toBe(500);
    expect(Object.keys(cause)).not.toContain('params');
    expect(JSON.stringify({ ...cause, stack: cause.stack })).not.toContain('SUMMARY:secret');
  });

  it('stores at most 500 characters, the cause included', () => {
    const text = errorText(new PermanentJobError('event e1 cannot be read', { cause: driverError() }));
    expect(text.startsWith('PermanentJobError: event e1 cannot be read (cause: Error: insert failed')).toBe(
      true,
    );
    expect(text).toHaveLength(500);
  });
});
