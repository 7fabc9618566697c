import { describe, expect, it } from 'vitest';
import { AppError, type ErrorReason, errorCatalogue } from '../app/errors.ts';
import { davErrorBody, fromAppError } from './dav-error.ts';

describe('fromAppError', () => {
  it.each(Object.keys(errorCatalogue) as ErrorReason[])('maps %s to a 4xx CalDAV answer', (reason) => {
    const error = fromAppError(new AppError(reason));
    expect(error.status).toBeGreaterThanOrEqual(400);
    expect(error.status).toBeLessThan(500);
  });

  it('names the RFC 4791 preconditions for calendar data and UID conflicts', () => {
    expect(fromAppError(new AppError('invalid-calendar-data')).precondition).toBe(
      '{urn:ietf:params:xml:ns:caldav}valid-calendar-data',
    );
    expect(fromAppError(new AppError('unsupported-component')).precondition).toBe(
      '{urn:ietf:params:xml:ns:caldav}supported-calendar-component',
    );
    const conflict = fromAppError(
      new AppError('uid-conflict', undefined, { details: { href: 'a b.ics' } }),
      (name) => `/c/${encodeURIComponent(name)}`,
    );
    expect(conflict.status).toBe(403);
    expect(davErrorBody(conflict)).toContain(
      '<cal:no-uid-conflict><d:href>/c/a%20b.ics</d:href></cal:no-uid-conflict>',
    );
  });

  it('challenges with Basic on 401', () => {
    expect(fromAppError(new AppError('invalid-credentials')).headers['www-authenticate']).toMatch(
      /^Basic realm="Televent"/,
    );
  });
});
