import { describe, expect, it } from 'vitest';
import { testEngine } from '../../support/test-database.ts';
import { restAndCaldavPerFile } from './rest-caldav-support.ts';
import { expectProblem } from './rest-support.ts';

const nina = { id: 4701, username: 'nina' };
const otto = { id: 4702, username: 'otto' };

interface Calendar {
  id: string;
  name: string;
  readOnly: boolean;
  subscription: null | {
    url: string;
    lastFetchedAt: string | null;
    lastSuccessAt: string | null;
    nextFetchAt: string;
    error: null | { reason: string; message: string };
  };
}

describe(`REST: calendars that follow an ICS feed [${testEngine}]`, () => {
  const suite = restAndCaldavPerFile();

  const call = (user: { id: number }, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    suite.server.rest(user, method, url, payload ? { payload } : {});
  const calendars = async (user: { id: number }) =>
    (await call(user, 'GET', '/api/calendars')).json() as Calendar[];
  const meeting = { summary: 'Choir', start: '2026-05-04T18:00:00Z', end: '2026-05-04T19:00:00Z' };

  it('follows a webcal:// feed as https, read-only, with its first fetch queued', async () => {
    const created = await call(nina, 'POST', '/api/calendars', {
      subscriptionUrl: 'webcal://example.com/team/holidays.ics',
    });
    expect(created.statusCode).toBe(201);
    const calendar = created.json() as Calendar;
    expect(calendar).toMatchObject({
      name: 'example.com',
      readOnly: true,
      subscription: { url: 'https://example.com/team/holidays.ics', lastSuccessAt: null, error: null },
    });
    const listed = await calendars(nina);
    expect(listed.map((c) => [c.readOnly, c.subscription?.url ?? null])).toEqual([
      [false, null],
      [true, 'https://example.com/team/holidays.ics'],
    ]);
    const jobs = await suite.database.db
      .selectFrom('outbox_messages')
      .select(['kind', 'payload'])
      .where('kind', '=', 'calendar.fetch-subscription')
      .execute();
    expect(jobs.map((j) => j.payload)).toContainEqual({ calendarId: calendar.id });

    const named = await call(nina, 'POST', '/api/calendars', {
      name: 'Holidays',
      subscriptionUrl: 'https://example.org/h.ics',
    });
    expect(named.json()).toMatchObject({ name: 'Holidays', readOnly: true });
  });

  it('refuses a malformed, non-http or credentialed URL with 400 and stores nothing', async () => {
    const before = (await calendars(otto)).length;
    for (const subscriptionUrl of [
      'not a url',
      'ftp://example.com/feed.ics',
      'file:///etc/passwd',
      'https://user:secret@example.com/feed.ics',
    ]) {
      expectProblem(await call(otto, 'POST', '/api/calendars', { subscriptionUrl }), 400, 'feed-url-refused');
    }
    expect((await calendars(otto)).length).toBe(before);
  });

  it('refuses private and loopback addresses at creation', async () => {
    const before = (await calendars(otto)).length;
    for (const subscriptionUrl of [
      'http://127.0.0.1/feed.ics',
      'http://localhost:8080/feed.ics',
      'http://[::1]/feed.ics',
      'http://10.0.0.1/feed.ics',
      'http://169.254.169.254/latest/meta-data',
      'http://[::ffff:192.168.0.1]/feed.ics',
    ]) {
      const response = await call(otto, 'POST', '/api/calendars', { subscriptionUrl });
      expectProblem(response, 400, 'feed-url-refused');
      expect(response.json().detail).toMatch(/private network|this server/);
    }
    expect((await calendars(otto)).length).toBe(before);
  });

  it('answers 403 calendar-read-only to an event written into it', async () => {
    const calendar = (
      await call(otto, 'POST', '/api/calendars', { subscriptionUrl: 'https://example.com/otto.ics' })
    ).json() as Calendar;
    expectProblem(
      await call(otto, 'POST', '/api/events', { ...meeting, calendarId: calendar.id }),
      403,
      'calendar-read-only',
    );
    const event = (await call(otto, 'POST', '/api/events', meeting)).json() as { id: string };
    const moved = await suite.server.rest(otto, 'PATCH', `/api/events/${event.id}`, {
      payload: { calendarId: calendar.id },
    });
    expectProblem(moved, 403, 'calendar-read-only');
  });

  it('queues a refresh with 202, then 429 with Retry-After within the minute', async () => {
    const calendar = (
      await call(otto, 'POST', '/api/calendars', { subscriptionUrl: 'https://example.com/refresh.ics' })
    ).json() as Calendar;
    expect((await call(otto, 'POST', `/api/calendars/${calendar.id}/refresh`)).statusCode).toBe(202);
    const again = await call(otto, 'POST', `/api/calendars/${calendar.id}/refresh`);
    expectProblem(again, 429, 'rate-limited');
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);

    const [home] = await calendars(otto);
    expectProblem(await call(otto, 'POST', `/api/calendars/${home?.id}/refresh`), 400, 'invalid-field');
    expectProblem(
      await call(nina, 'POST', `/api/calendars/${calendar.id}/refresh`),
      404,
      'calendar-not-found',
    );
  });

  it('deletes a followed calendar like any other', async () => {
    const calendar = (
      await call(otto, 'POST', '/api/calendars', { subscriptionUrl: 'https://example.com/gone.ics' })
    ).json() as Calendar;
    expect((await call(otto, 'DELETE', `/api/calendars/${calendar.id}`)).statusCode).toBe(204);
    expect((await calendars(otto)).map((c) => c.id)).not.toContain(calendar.id);
  });

  it('still needs a name for a plain calendar', async () => {
    expectProblem(await call(otto, 'POST', '/api/calendars', {}), 400, 'invalid-field');
  });
});
