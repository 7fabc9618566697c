import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, serializeError } from './logger.ts';

const calendarText = `BEGIN:VCALENDAR\r\nSUMMARY:${'secret meeting '.repeat(7_000)}\r\nEND:VCALENDAR`;

/** Shaped as PGlite 0.5 throws it: pg-protocol's fields plus the query, its parameters and options. */
function pgliteStyleError(): Error {
  const error = Object.assign(
    new Error('insert or update on table "calendar_objects" violates foreign key'),
    {
      name: 'error',
      severity: 'ERROR',
      code: '23503',
      detail: `Key (calendar_id)=(${calendarText.slice(0, 50)}) is not present in table "calendars".`,
      where: `SQL statement with ${calendarText.slice(0, 50)}`,
      table: 'calendar_objects',
      constraint: 'calendar_objects_calendar_id_fkey',
      routine: 'ri_ReportViolation',
      query: 'insert into "calendar_objects" ("ical") values ($1)',
      params: [calendarText],
      queryOptions: { parsers: {} },
    },
  );
  return error;
}

function captureLines(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

describe('logged errors', () => {
  it('keep message, code and stack of a PGlite error but none of its 100 KB parameter', () => {
    expect(calendarText.length).toBeGreaterThan(100_000);
    const serialized = serializeError(pgliteStyleError());
    const text = JSON.stringify(serialized);
    expect(serialized).toMatchObject({
      type: 'error',
      message: 'insert or update on table "calendar_objects" violates foreign key',
      code: '23503',
      severity: 'ERROR',
      table: 'calendar_objects',
      constraint: 'calendar_objects_calendar_id_fkey',
    });
    expect(serialized.stack).toMatch(/^error: insert or update .*\n\s+at /);
    expect(text).not.toContain('secret meeting');
    expect(text).not.toContain('BEGIN:VCALENDAR');
    expect(text.length).toBeLessThan(5_000);
    for (const field of ['query', 'params', 'queryOptions', 'detail', 'where', 'parameters']) {
      expect(serialized).not.toHaveProperty(field);
    }
  });

  it('cap a long message, in the stack header too', () => {
    const serialized = serializeError(new Error(`could not parse ${calendarText}`));
    expect(serialized.message.length).toBeLessThan(600);
    expect(serialized.message).toMatch(/more characters\)$/);
    expect(serialized.stack?.startsWith(`Error: ${serialized.message}\n    at `)).toBe(true);
    expect(JSON.stringify(serialized).length).toBeLessThan(5_000);
  });

  it('follow the cause of a wrapped driver error without its parameters', () => {
    const wrapped = new Error('could not store the event', { cause: pgliteStyleError() });
    const serialized = serializeError(wrapped);
    expect(serialized.cause).toMatchObject({ code: '23503', table: 'calendar_objects' });
    expect(JSON.stringify(serialized)).not.toContain('secret meeting');
  });

  it('stop following causes after a few levels, even in a cycle', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    Object.assign(a, { cause: b });
    const text = JSON.stringify(serializeError(a));
    expect(text.match(/"message"/g)).toHaveLength(4);
  });

  it('turn a thrown string or plain object into a short message', () => {
    expect(serializeError(calendarText).message.length).toBeLessThan(600);
    const plain = serializeError({ message: 'boom', params: [calendarText] });
    expect(plain).toEqual({ type: 'Object', message: 'boom' });
  });

  it('go through the process logger: a log line with err holds no parameter text', () => {
    const { lines, stream } = captureLines();
    const logger = createLogger('info', stream).child({ door: 'worker' });
    logger.error({ err: pgliteStyleError() }, 'job failed');
    logger.error(pgliteStyleError());
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).not.toContain('secret meeting');
      expect(line.length).toBeLessThan(5_000);
      expect(JSON.parse(line).err).toMatchObject({ code: '23503' });
    }
  });
});
