import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerHandle } from '../../src/worker/run-worker.ts';
import { startInProcessWorker } from '../support/in-process-worker.ts';
import { testEngine } from '../support/test-database.ts';
import { type RunningCaldavServer, startCaldavServer } from './support/start-caldav-server.ts';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./python-caldav/invitation.py', import.meta.url));
const attendee = 4545;
const uid = 'planning-py';

interface Step {
  own_address: string;
  found?: boolean;
  partstats?: Record<string, string>;
}

// An invitation between two Debian python3-caldav users (issue 14 items 3 and 5): the organizer
// invites with the address the server advertises (calendar-user-address-set), the attendee's
// accept reaches the organizer's copy, their decline in their own copy too, and the organizer's
// delete takes the attendee's copy away.
describe(`Debian python3-caldav: an invitation between two users [${testEngine}]`, () => {
  let server: RunningCaldavServer;
  let worker: WorkerHandle;
  let attendeePassword: string;

  beforeAll(async () => {
    server = await startCaldavServer();
    worker = startInProcessWorker(server.services);
    await server.services.accounts.ensureUser({ telegramId: attendee, username: 'pyguest', timeZone: 'UTC' });
    attendeePassword = (await server.services.devices.createDevice(attendee, 'python')).password;
  });
  afterAll(async () => {
    await worker?.stop();
    await server?.close();
  });

  async function step(who: 'organizer' | 'attendee', action: string, argument?: string): Promise<Step> {
    const [user, password] =
      who === 'organizer' ? [server.user.id, server.user.password] : [attendee, attendeePassword];
    const { stdout } = await run(
      '/usr/bin/python3',
      [script, `${server.baseUrl}/`, String(user), password, action, uid, ...(argument ? [argument] : [])],
      { timeout: 60_000 },
    );
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Step;
  }
  const attendeeAddress = `mailto:${attendee}@telegram.invalid`;

  it("invites with the server's own address; an accept reaches the organizer's copy and the attendee's calendar", async () => {
    const invited = await step('organizer', 'invite', attendeeAddress);
    expect(invited.own_address).toBe('mailto:4242@telegram.invalid');
    await expect
      .poll(async () => (await server.services.invitations.invitationsFor(attendee)).length)
      .toBe(1);
    expect((await step('attendee', 'show')).found).toBe(false);

    const [invitation] = await server.services.invitations.invitationsFor(attendee);
    await server.services.invitations.answer(attendee, invitation?.id ?? '', 'ACCEPTED');
    expect((await step('organizer', 'show')).partstats?.[attendeeAddress]).toBe('ACCEPTED');
    const copy = await step('attendee', 'show');
    expect(copy.found).toBe(true);
    expect(copy.partstats?.[attendeeAddress]).toBe('ACCEPTED');
  });

  it("takes the attendee's decline in their own copy to the organizer", async () => {
    await step('attendee', 'answer', 'DECLINED');
    await expect
      .poll(async () => (await step('organizer', 'show')).partstats?.[attendeeAddress], { timeout: 20_000 })
      .toBe('DECLINED');
  });

  it("takes the attendee's copy away when the organizer deletes the event", async () => {
    await step('organizer', 'delete');
    await expect.poll(async () => (await step('attendee', 'show')).found, { timeout: 20_000 }).toBe(false);
  });
});
