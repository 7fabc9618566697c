import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { buildServer } from '../../../src/http/server.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { createMetrics } from '../../../src/observability/metrics.ts';
import { pingDatabase } from '../../../src/storage/database.ts';
import { openTestDatabase, type TestDatabase, testEngine } from '../../support/test-database.ts';

// 100 KB of calendar text as a query parameter, as a hostile VALARM-laden object once was.
const calendarText = `BEGIN:VCALENDAR\r\nSUMMARY:${'private agenda '.repeat(7_000)}\r\nEND:VCALENDAR`;
const marker = 'private agenda';

function captureLog() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, logger: createLogger('info', stream) };
}

describe(`driver errors in the log [${testEngine}]`, () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase();
    await sql`insert into users (telegram_id, username) values (${7001}, ${'taken'})`.execute(database.db);
  });
  afterAll(async () => {
    await database.close();
  });

  /** A unique violation whose statement carries the calendar text as a bound parameter. */
  async function failingInsert(): Promise<unknown> {
    try {
      await sql`insert into users (telegram_id, username) values (${7001}, ${calendarText})`.execute(
        database.db,
      );
    } catch (error) {
      return error;
    }
    throw new Error('the insert was expected to fail');
  }

  it('drops the parameters from the driver error itself', async () => {
    const error = await failingInsert();
    expect(error).toMatchObject({ code: '23505' });
    expect(JSON.stringify(error)).not.toContain(marker);
    expect(error).not.toHaveProperty('params');
  });

  it('logs the code and message of a failed statement but not its parameters', async () => {
    const errors = [await failingInsert()];
    if (database.pglite) {
      // PGlite's own error, not passed through the dialect, holds the whole statement and parameters.
      const raw = await database.pglite
        .query('insert into users (telegram_id, username) values ($1, $2)', [7001, calendarText])
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect(JSON.stringify((raw as { params?: unknown }).params)).toContain(marker);
      errors.push(raw);
    }
    const { lines, logger } = captureLog();
    const log = logger.child({ door: 'worker', job: 'plan-event-reminders' });
    for (const error of errors) log.warn({ err: error }, 'job failed; will retry');
    expect(lines).toHaveLength(errors.length);
    for (const line of lines) {
      expect(line).not.toContain(marker);
      expect(line).not.toContain('BEGIN:VCALENDAR');
      expect(line.length).toBeLessThan(5_000);
      expect(JSON.parse(line).err).toMatchObject({
        code: '23505',
        message: expect.stringContaining('unique'),
      });
    }
  });

  it('keeps the parameters out of the HTTP door’s “request failed” line for a 500', async () => {
    const { lines, logger } = captureLog();
    const app = await buildServer({
      config: loadConfig({}),
      logger,
      metrics: createMetrics(),
      checkDatabase: () => pingDatabase(database.db),
      registerRoutes: async (api) => {
        api.post('/store', async () => {
          throw await failingInsert();
        });
      },
    });
    try {
      const response = await app.inject({ method: 'POST', url: '/api/store' });
      expect(response.statusCode).toBe(500);
      expect(response.body).not.toContain(marker);
    } finally {
      await app.close();
    }
    const failed = lines.filter((line) => line.includes('request failed'));
    expect(failed).toHaveLength(1);
    expect(JSON.parse(failed[0] ?? '{}').err).toMatchObject({ code: '23505' });
    expect(lines.filter((line) => line.includes(marker))).toEqual([]);
  });
});
