import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError, type ErrorKind, type ErrorReason, errorCatalogue, errorKinds } from '../../app/errors.ts';
import { problemFor, statusForKind } from './problem-details.ts';

const expectedStatus: Record<ErrorKind, number> = {
  'invalid-input': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'precondition-failed': 412,
  'too-large': 413,
  'rate-limited': 429,
};

function fastifyError(code: string, statusCode: number, message: string): Error {
  return Object.assign(new Error(message), { code, statusCode });
}

describe('problemFor', () => {
  it.each(Object.keys(errorCatalogue) as ErrorReason[])(
    'gives catalogue reason %s a REST problem',
    (reason) => {
      const problem = problemFor(new AppError(reason));
      expect(problem).toEqual({
        type: `/problems/${reason}`,
        title: statusForKind(errorCatalogue[reason].kind).title,
        status: expectedStatus[errorCatalogue[reason].kind],
        detail: errorCatalogue[reason].message,
      });
    },
  );

  it('maps every error kind to its own client-error status', () => {
    const statuses = errorKinds.map((kind) => statusForKind(kind).status);
    expect(new Set(statuses).size).toBe(errorKinds.length);
    for (const status of statuses) expect(status).toBeGreaterThanOrEqual(400);
    for (const status of statuses) expect(status).toBeLessThan(500);
  });

  it('keeps the detail given when the error was raised and adds its details as extension members', () => {
    const error = new AppError('invalid-field', 'Ends before it starts.', { details: { field: 'end' } });
    expect(problemFor(error)).toMatchObject({ detail: 'Ends before it starts.', field: 'end', status: 400 });
  });

  it('never lets details overwrite the standard members', () => {
    const error = new AppError('event-not-found', undefined, {
      details: { status: 200, type: 'x', title: 'ok' },
    });
    expect(problemFor(error)).toMatchObject({
      status: 404,
      type: '/problems/event-not-found',
      title: 'Not found',
    });
  });

  it('hides the message of an unexpected error behind a fixed 500 sentence', () => {
    const problem = problemFor(new Error('connect ECONNREFUSED 10.0.0.3:5432'));
    expect(problem.status).toBe(500);
    expect(problem.type).toBe('/problems/internal-error');
    expect(JSON.stringify(problem)).not.toContain('10.0.0.3');
  });

  it('treats thrown non-errors as internal errors', () => {
    expect(problemFor('a string').status).toBe(500);
    expect(problemFor(undefined).status).toBe(500);
  });

  it('turns a zod error from parsing request input into a 400 naming the field', () => {
    const result = z
      .object({ when: z.object({ start: z.iso.datetime() }) })
      .safeParse({ when: { start: 'soon' } });
    if (result.success) throw new Error('expected a zod error');
    const problem = problemFor(result.error);
    expect(problem).toMatchObject({ status: 400, type: '/problems/invalid-request' });
    expect(problem.detail).toContain('when.start');
  });

  it('maps Fastify body errors to 400, 413 and 415 problems with stable types', () => {
    expect(
      problemFor(fastifyError('FST_ERR_CTP_INVALID_JSON_BODY', 400, 'Body is not valid JSON')),
    ).toMatchObject({
      status: 400,
      type: '/problems/invalid-json',
    });
    expect(problemFor(fastifyError('FST_ERR_CTP_BODY_TOO_LARGE', 413, 'too large'))).toMatchObject({
      status: 413,
      type: '/problems/payload-too-large',
    });
    expect(problemFor(fastifyError('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, 'nope'))).toMatchObject({
      status: 415,
      type: '/problems/unsupported-media-type',
    });
  });

  it('passes other client errors through as about:blank with their HTTP title', () => {
    expect(problemFor(fastifyError('FST_ERR_BAD_URL', 400, "'/%zz' is not a valid url component"))).toEqual({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: "'/%zz' is not a valid url component",
    });
  });

  it('does not trust a 5xx status code on an error to carry a safe message', () => {
    expect(problemFor(fastifyError('FST_ERR_SOMETHING', 503, 'pool exhausted at db-3'))).toMatchObject({
      status: 500,
      type: '/problems/internal-error',
    });
  });
});
