import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngine } from '../support/test-database.ts';
import { type RunningCaldavServer, startCaldavServer } from './support/start-caldav-server.ts';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./python-caldav/sharee.py', import.meta.url));
const sharee = 4444;

interface ShareeView {
  calendar_names: string[];
  shared_url: string | null;
  summaries?: string[];
  write?: string;
}

// A calendar shared with a python3-caldav user (issue 14 items 1 and 5): found in their own home,
// read-only until the owner allows changes, then their event lands in the owner's calendar.
describe(`Debian python3-caldav as a sharee [${testEngine}]`, () => {
  let server: RunningCaldavServer;
  let password: string;
  let calendarId: string;
  let shareId: string;

  beforeAll(async () => {
    server = await startCaldavServer();
    await server.services.accounts.ensureUser({ telegramId: sharee, username: 'pysharee', timeZone: 'UTC' });
    password = (await server.services.devices.createDevice(sharee, 'python')).password;
    const family = await server.services.calendarCollections.createCalendar(server.user.id, {
      slug: 'family',
      name: 'Family',
    });
    calendarId = family.id;
    await server.services.calendars.createEvent(
      server.user.id,
      {
        summary: 'Grandma visits',
        start: new Date('2026-03-10T10:00:00Z'),
        end: new Date('2026-03-10T12:00:00Z'),
      },
      family.id,
    );
    shareId = (await server.services.sharing.share(server.user.id, family.id, { telegramId: sharee }, 'read'))
      .id;
    await server.services.sharing.accept(sharee, shareId);
  });
  afterAll(async () => {
    await server.close();
  });

  async function asSharee(uid: string): Promise<ShareeView> {
    const { stdout } = await run(
      '/usr/bin/python3',
      [script, `${server.baseUrl}/`, String(sharee), password, 'Family (@interop)', uid],
      {
        timeout: 60_000,
      },
    );
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as ShareeView;
  }

  it('finds the shared calendar in its own home, reads it, and is refused a write', async () => {
    const view = await asSharee('py-read-only');
    expect(view.shared_url).toBe(`${server.baseUrl}/calendars/${sharee}/shared-${shareId}/`);
    expect(view.summaries).toEqual(['Grandma visits']);
    expect(view.write).toMatch(/^refused/);
  });

  it("stores the sharee's event in the owner's calendar once changes are allowed", async () => {
    await server.services.sharing.changeAccess(server.user.id, calendarId, shareId, 'write');
    const view = await asSharee('py-allowed');
    expect(view.write).toBe('stored');
    const { occurrences } = await server.services.calendars.listOccurrences(
      server.user.id,
      { start: new Date('2026-03-01T00:00:00Z'), end: new Date('2026-04-01T00:00:00Z') },
      { calendarId },
    );
    expect(occurrences.map((o) => o.summary).sort()).toEqual(['Added by the sharee', 'Grandma visits']);
  });
});
