import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../../src/app/services.ts';
import {
  findPlanningUser,
  findPlanningUserAndObject,
} from '../../../src/storage/repositories/worker-planning-repository.ts';
import { openTestDatabase, type TestDatabase, testEngine } from '../../support/test-database.ts';

// The reminder planner reads its user and the event in one statement: what it reads must be what
// the two separate reads gave, whichever of the two is missing.
describe(`the planner's user and event, read together [${testEngine}]`, () => {
  let database: TestDatabase;
  let objectId: string;

  beforeAll(async () => {
    database = await openTestDatabase();
    const services = createServices(database.db);
    await services.accounts.ensureUser({ telegramId: 4001, username: 'ana', timeZone: 'Europe/Lisbon' });
    await services.accounts.ensureUser({ telegramId: 4002, username: 'ben' });
    const calendar = await services.calendars.defaultCalendar(4001);
    const text = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Televent test//EN',
      'BEGIN:VEVENT',
      'UID:planning-read@televent.test',
      'DTSTAMP:20260101T000000Z',
      'DTSTART:20270105T090000Z',
      'DTEND:20270105T100000Z',
      'SUMMARY:Dentist',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    const put = await services.calendars.putObject(4001, calendar.id, 'dentist.ics', text);
    objectId = put.object.id;
  });
  afterAll(async () => {
    await database?.close();
  });

  it('gives the user as findPlanningUser does and the whole stored row of their event', async () => {
    const found = await findPlanningUserAndObject(database.db, 4001, objectId);
    expect(found?.user).toEqual(await findPlanningUser(database.db, 4001));
    const row = await database.db
      .selectFrom('calendar_objects')
      .selectAll()
      .where('id', '=', objectId)
      .executeTakeFirstOrThrow();
    expect(found?.object).toEqual(row);
    expect(found?.object?.summary).toBe('Dentist');
  });

  it("gives the user without an event when the event is gone or is someone else's, and nothing for no user", async () => {
    const missing = await findPlanningUserAndObject(
      database.db,
      4001,
      '00000000-0000-4000-8000-000000000000',
    );
    expect(missing).toEqual({ user: await findPlanningUser(database.db, 4001), object: undefined });
    const foreign = await findPlanningUserAndObject(database.db, 4002, objectId);
    expect(foreign?.user.userId).toBe(4002);
    expect(foreign?.object).toBeUndefined();
    expect(await findPlanningUserAndObject(database.db, 4999, objectId)).toBeUndefined();
  });
});
