import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testEngine } from '../../support/test-database.ts';
import { type RestAndCaldav, startRestAndCaldav } from './rest-caldav-support.ts';
import { expectProblem, tma } from './rest-support.ts';

const ics = (...lines: string[]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Other//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
const vevent = (uid: string, summary: string, start = '20260501T100000Z') => [
  'BEGIN:VEVENT',
  `UID:${uid}`,
  'DTSTAMP:20260401T000000Z',
  `DTSTART:${start}`,
  'DURATION:PT1H',
  `SUMMARY:${summary}`,
  'END:VEVENT',
];

describe(`REST import and the API description [${testEngine}]`, () => {
  let database: TestDatabase;
  let server: RestAndCaldav;
  const user = { id: 3401 };

  beforeAll(async () => {
    database = await openTestDatabase();
    server = await startRestAndCaldav(database);
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  const importText = (text: string, contentType = 'text/calendar; charset=utf-8') =>
    server.app.inject({
      method: 'POST',
      url: '/api/import',
      headers: { ...tma(user), 'content-type': contentType },
      payload: text,
    });

  it('imports an .ics file and counts what was created, updated, skipped and refused', async () => {
    const first = ics(
      ...vevent('a@other', 'Alpha'),
      ...vevent('b@other', 'Beta'),
      'BEGIN:VEVENT',
      'DTSTART:20260502T100000Z',
      'SUMMARY:No UID',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:broken@other',
      'DTSTAMP:20260401T000000Z',
      'DTSTART:20260503T100000Z',
      'DTEND:20260503T090000Z',
      'SUMMARY:Ends before it starts',
      'END:VEVENT',
    );
    const response = await importText(first);
    expect(response.statusCode).toBe(200);
    const report = response.json();
    expect(report).toMatchObject({ created: 2, updated: 0, skipped: 0 });
    expect(report.errors).toEqual([
      { reason: 'no-uid', message: expect.any(String) },
      { uid: 'broken@other', reason: 'invalid-calendar-data', message: expect.stringMatching(/ends before/) },
    ]);

    const again = await importText(
      ics(...vevent('a@other', 'Alpha'), ...vevent('b@other', 'Beta moved', '20260501T120000Z')),
    );
    expect(again.json()).toEqual({ created: 0, updated: 1, skipped: 1, errors: [] });
    const listed = await server.rest(
      user,
      'GET',
      '/api/events?start=2026-05-01T00:00:00Z&end=2026-05-10T00:00:00Z',
    );
    expect(listed.json().occurrences.map((o: { summary: string }) => o.summary)).toEqual([
      'Alpha',
      'Beta moved',
    ]);
    // A calendar app sees the imported event too.
    expect((await server.caldavGet(user.id, 'a@other.ics')).body).toContain('SUMMARY:Alpha');
  });

  it('refuses what is not iCalendar with 400, and keeps text/calendar to the import route', async () => {
    expectProblem(await importText('hello'), 400, 'invalid-calendar-data');
    const wrongRoute = await server.app.inject({
      method: 'POST',
      url: '/api/events',
      headers: { ...tma(user), 'content-type': 'text/calendar' },
      payload: ics(...vevent('c@other', 'Gamma')),
    });
    expectProblem(wrongRoute, 415);
    expectProblem(
      await server.app.inject({
        method: 'POST',
        url: '/api/import',
        headers: { 'content-type': 'text/calendar' },
        payload: ics(),
      }),
      401,
    );
  });

  it('serves an OpenAPI 3.1 document that validates, with sign-in schemes and problem answers, and no CalDAV', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    const validation = await new Validator().validate(document);
    expect(validation.errors).toBeUndefined();
    expect(validation.valid).toBe(true);
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual(['session', 'tma']);
    expect(Object.keys(document.paths).filter((path) => !path.startsWith('/api/'))).toEqual(['/health']);
    const patch = document.paths['/api/events/{id}'].patch;
    for (const status of ['400', '401', '403', '404', '409', '412', '413', '429']) {
      expect(patch.responses[status]).toEqual({ $ref: `#/components/responses/Problem${status}` });
    }
    expect(document.components.responses.Problem412.content['application/problem+json']).toBeDefined();
    expect(patch.requestBody.content['application/json'].schema.properties).toHaveProperty('scope');
    expect(document.paths['/api/events/{id}'].delete.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['recurrenceId', 'scope']),
    );
    expect(document.paths['/api/import'].post.requestBody.content).toHaveProperty('text/calendar');
    expect(document.paths['/api/changes'].get).toBeDefined();
  });

  it('serves the API reference page at /api/docs from this server only', async () => {
    const page = await server.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const sources = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] ?? '');
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.filter((source) => /^(https?:)?\/\//.test(source))).toEqual([]);
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
    const bundle = await server.app.inject({ method: 'GET', url: '/api/docs/static/swagger-ui-bundle.js' });
    expect(bundle.statusCode).toBe(200);
  });
});
