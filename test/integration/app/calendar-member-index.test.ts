import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CalendarMemberIndex } from '../../../src/app/calendar-member-index.ts';
import { type AppServices, createServices } from '../../../src/app/services.ts';
import { openTestDatabase, type TestDatabase, testEngine } from '../../support/test-database.ts';
import { event } from '../caldav/caldav-harness.ts';

describe(`the member index stays within its bytes [${testEngine}]`, () => {
  let database: TestDatabase;
  let services: AppServices;
  const calendars: Array<{ id: string; syncRevision: number }> = [];
  const names = Array.from({ length: 20 }, (_, i) => `e${i}.ics`);

  beforeAll(async () => {
    database = await openTestDatabase();
    services = createServices(database.db);
    // Six calendars of 20 events and one of 200.
    for (let user = 0; user < 7; user++) {
      const userId = 4001 + user;
      await services.accounts.ensureUser({ telegramId: userId, timeZone: 'Europe/Berlin' });
      const calendar = await services.calendars.defaultCalendar(userId);
      for (let i = 0; i < (user === 6 ? 200 : 20); i++) {
        await services.calendars.putObject(userId, calendar.id, `e${i}.ics`, event(`${userId}-${i}`));
      }
      const row = await database.db
        .selectFrom('calendars')
        .select(['id', 'sync_revision'])
        .where('id', '=', calendar.id)
        .executeTakeFirstOrThrow();
      calendars.push({ id: row.id, syncRevision: Number(row.sync_revision) });
    }
  });
  afterAll(async () => {
    await database?.close();
  });

  it('keeps recently used calendars within its bytes, evicting the one used longest ago', async () => {
    // A calendar of 20 summaries is about 11 KB here: five fit in 60 KB, six do not.
    const index = new CalendarMemberIndex({ db: database.db, maxBytes: 60_000 });
    const at = (i: number) => calendars[i] as { id: string; syncRevision: number };
    for (let i = 0; i < 5; i++) expect(await index.summaries(at(i), 'href_name')).toHaveLength(20);
    expect(index.stats()).toMatchObject({ entries: 5, hits: 0, misses: 5, evictions: 0 });
    await index.summaries(at(0), 'href_name');
    expect(index.stats()).toMatchObject({ hits: 1 });

    await index.summaries(at(5), 'href_name');
    expect(index.stats()).toMatchObject({ entries: 5, evictions: 1 });
    expect(index.stats().bytes).toBeLessThanOrEqual(60_000);
    // The first was used again, so the second went.
    await index.summaries(at(0), 'href_name');
    expect(index.stats()).toMatchObject({ hits: 2, misses: 6 });
    expect((await index.summaries(at(1), 'href_name'))?.map((m) => m.hrefName)).toEqual([...names].sort());
    expect(index.stats()).toMatchObject({ misses: 7 });

    // Too large for a quarter of the budget: answered, not kept.
    expect(await index.summaries(at(6), 'href_name')).toHaveLength(200);
    expect(index.stats().bytes).toBeLessThanOrEqual(60_000);

    // Texts a multiget reads are kept only within the calendar's quarter; all are answered.
    const objects = await index.objects(at(5), names);
    expect(objects?.map((o) => o.hrefName)).toEqual(names);
    expect(objects?.[3]?.ical).toBe(event('4006-3'));
    expect(index.stats().bytes).toBeLessThanOrEqual(60_000);
  });
});
