import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngine } from '../../support/test-database.ts';
import { type CaldavHarness, DAV_NS, parseMultistatus, startCaldavHarness } from './caldav-harness.ts';
import { davx5Tasks, pythonCaldavOpenTasks, thunderbirdOpenTasksInRange } from './client-task-queries.ts';

// RFC 4791 §9.9 VTODO table and §7.8.9 (open tasks) as task clients query them.
const calendarUrl = '/calendars/1001/default/';

function todo(uid: string, lines: string[]): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Test//Test//EN',
    'BEGIN:VTODO',
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    `SUMMARY:${uid}`,
    ...lines,
    'END:VTODO',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

const tasks = {
  'pay-rent': todo('pay-rent', ['DUE:20260312T120000Z', 'STATUS:NEEDS-ACTION']),
  'file-taxes': todo('file-taxes', [
    'DUE:20260306T120000Z',
    'STATUS:COMPLETED',
    'COMPLETED:20260305T100000Z',
    'PERCENT-COMPLETE:100',
  ]),
  'old-idea': todo('old-idea', ['DUE:20260320T120000Z', 'STATUS:CANCELLED']),
  someday: todo('someday', []),
  'due-at-week-end': todo('due-at-week-end', ['DUE:20260316T000000Z', 'STATUS:IN-PROCESS']),
  'done-undated': todo('done-undated', ['COMPLETED:20260310T080000Z']),
  'water-plants': todo('water-plants', [
    'DTSTART:20260302T090000Z',
    'DUE:20260302T100000Z',
    'RRULE:FREQ=WEEKLY;COUNT=10',
    'STATUS:NEEDS-ACTION',
  ]),
  'next-month': todo('next-month', ['CREATED:20260401T000000Z']),
} as const;

const weekStart = '20260309T000000Z';
const weekEnd = '20260316T000000Z';

describe(`CalDAV task queries [${testEngine}]`, () => {
  let dav: CaldavHarness;

  beforeAll(async () => {
    dav = await startCaldavHarness();
    for (const [name, body] of Object.entries(tasks)) {
      const response = await dav.request('PUT', `${calendarUrl}${name}.ics`, { body });
      expect(response.statusCode, response.body).toBe(201);
    }
  });
  afterAll(async () => {
    await dav.close();
  });

  async function report(body: string) {
    const response = await dav.request('REPORT', calendarUrl, { body, headers: { depth: '1' } });
    expect(response.statusCode, response.body).toBe(207);
    return parseMultistatus(response.body);
  }

  async function namesOf(body: string) {
    return (await report(body)).responses
      .map((r) =>
        r.href
          .split('/')
          .pop()
          ?.replace(/\.ics$/, ''),
      )
      .sort();
  }

  it('lists every task for DAVx5, and the tasks of a week by the §9.9 VTODO table', async () => {
    expect(await namesOf(davx5Tasks())).toEqual(Object.keys(tasks).sort());
    expect(await namesOf(davx5Tasks({ start: weekStart, end: weekEnd }))).toEqual([
      'done-undated', // COMPLETED within the week
      'due-at-week-end', // DUE exactly at the range's end: (start < DUE) AND (end >= DUE)
      'pay-rent',
      'someday', // no date at all matches every range
      'water-plants', // the instance of 9 March
    ]);
  });

  it('finds tasks due from a day on (open range) and not those created later', async () => {
    expect(await namesOf(davx5Tasks({ start: '20260317T000000Z' }))).toEqual([
      'next-month',
      'old-idea',
      'someday',
      'water-plants',
    ]);
  });

  it("answers Thunderbird's open tasks in a range: completed ones left out", async () => {
    expect(await namesOf(thunderbirdOpenTasksInRange(weekStart, weekEnd))).toEqual([
      'due-at-week-end',
      'pay-rent',
      'someday',
      'water-plants',
    ]);
  });

  it("answers python-caldav's open tasks: STATUS neither COMPLETED nor CANCELLED", async () => {
    expect(await namesOf(pythonCaldavOpenTasks)).toEqual(['due-at-week-end', 'pay-rent', 'water-plants']);
  });

  it('moves a task completed over PUT out of the open tasks, and sync-collection reports it', async () => {
    const syncBody = (token: string) =>
      `<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:"><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`;
    const initial = await report(syncBody(''));
    const token = initial.root.children.find((c) => c.name === `{${DAV_NS}}sync-token`)?.text ?? '';
    const before = await dav.request('GET', `${calendarUrl}pay-rent.ics`);

    const done = todo('pay-rent', [
      'DUE:20260312T120000Z',
      'STATUS:COMPLETED',
      'COMPLETED:20260311T090000Z',
      'PERCENT-COMPLETE:100',
    ]);
    const put = await dav.request('PUT', `${calendarUrl}pay-rent.ics`, {
      body: done,
      headers: { 'if-match': String(before.headers.etag) },
    });
    expect(put.statusCode, put.body).toBe(204);

    expect(await namesOf(thunderbirdOpenTasksInRange(weekStart, weekEnd))).not.toContain('pay-rent');
    expect(await namesOf(pythonCaldavOpenTasks)).toEqual(['due-at-week-end', 'water-plants']);
    const changes = await report(syncBody(token));
    expect(changes.responses.map((r) => r.href)).toEqual([`${calendarUrl}pay-rent.ics`]);
    expect(changes.responses[0]?.props.get(`{${DAV_NS}}getetag`)?.element.text).toBe(put.headers.etag);
  });
});
