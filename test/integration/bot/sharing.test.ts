import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerHandle } from '../../../src/worker/run-worker.ts';
import { startInProcessWorker } from '../../support/in-process-worker.ts';
import { testEngine } from '../../support/test-database.ts';
import { type BotHarness, buttonsOf, startBotHarness } from './bot-harness.ts';

// Two and three people sharing a calendar in the chat (issue 14 item 1): by contact, by invite
// link, accept, decline, change of access and revocation, with the worker delivering the notices.

const olga = { id: 5601, first_name: 'Olga', username: 'olga_shares' };
const pavel = { id: 5602, first_name: 'Pavel', username: 'pavel_reads' };
const rita = { id: 5603, first_name: 'Rita', username: 'rita_links' };

describe(`bot: sharing a calendar [${testEngine}]`, () => {
  let h: BotHarness;
  let worker: WorkerHandle;

  beforeAll(async () => {
    h = await startBotHarness();
    worker = startInProcessWorker(h.services, { config: h.config });
    for (const user of [olga, pavel, rita]) await h.say(user, '/help');
    await h.services.calendars.createEvent(olga.id, {
      summary: 'Grandma visits',
      start: new Date(Date.now() + 26 * 3600_000),
      end: new Date(Date.now() + 27 * 3600_000),
    });
  });
  afterAll(async () => {
    await worker?.stop();
    await h?.close();
  });

  const button = (message: { reply_markup?: unknown }, label: string) => {
    const found = buttonsOf(message as never).find((b) => b.text.includes(label));
    if (!found) throw new Error(`no button "${label}" in ${JSON.stringify(buttonsOf(message as never))}`);
    return found.data;
  };

  it('shares by contact; the invitee accepts from the message and sees the events, read-only', async () => {
    const screen = await h.say(olga, '/share');
    expect(screen.plain_text).toContain('send me a contact or the @username');
    h.emulator.sendContact(olga, { phone_number: '+4915100000', first_name: 'Pavel', user_id: pavel.id });
    const offered = await h.next(olga);
    expect(offered.plain_text).toContain("I've invited Pavel");
    expect(offered.plain_text).toContain('read only');

    const invitation = await h.next(pavel); // sent by the worker
    expect(invitation.plain_text).toContain('Olga shared the calendar');
    const accepted = await h.press(pavel, invitation, button(invitation, 'Accept'));
    expect(accepted.plain_text).toContain('is in your calendars now');
    expect((await h.next(olga)).plain_text).toContain('Pavel accepted');

    const today = await h.say(pavel, '/week');
    expect(today.plain_text).toContain('Grandma visits');
    expect(today.plain_text).toMatch(/Grandma visits.*📅 .+ \(Olga\)/); // whose calendar it is
    const calendars = await h.services.calendars.listCalendars(pavel.id);
    expect(calendars.map((c) => [c.access, c.readOnly])).toEqual([
      ['owner', false],
      ['read', true],
    ]);
    // Only writable calendars are offered for new events: a read-only share is never a choice.
    const preview = await h.say(pavel, 'Dentist tomorrow at 10am');
    expect(buttonsOf(preview).some((b) => b.text.startsWith('📅'))).toBe(false);
  });

  it('lets the owner allow changes, then stop sharing; the sharee is told and loses the calendar', async () => {
    const screen = await h.say(olga, '/share');
    expect(screen.plain_text).toContain('Pavel — read only');
    const changed = await h.press(olga, screen, button(screen, 'allow changes'));
    expect(changed.plain_text).toContain('Pavel — can change events');
    expect((await h.services.calendars.listCalendars(pavel.id))[1]).toMatchObject({
      access: 'write',
      readOnly: false,
    });

    const stopped = await h.press(olga, changed, button(changed, 'Stop sharing'));
    expect(stopped.plain_text).toContain('Stopped sharing');
    expect((await h.next(pavel)).plain_text).toContain('Olga stopped sharing');
    expect(await h.services.calendars.listCalendars(pavel.id)).toHaveLength(1);
    expect((await h.say(pavel, '/week')).plain_text).not.toContain('Grandma visits');
  });

  it('makes an invite link that the first person to open it can decline', async () => {
    const screen = await h.say(olga, '/share');
    const link = await h.press(olga, screen, button(screen, 'read & change'));
    const startParameter = /start=(share_[A-Za-z0-9_-]+)/.exec(link.plain_text ?? '')?.[1];
    expect(startParameter).toBeDefined();
    const invitation = await h.say(rita, `/start ${startParameter}`);
    expect(invitation.plain_text).toContain('Olga shared the calendar');
    expect(invitation.plain_text).toContain('can change events');
    const declined = await h.press(rita, invitation, button(invitation, 'Decline'));
    expect(declined.plain_text).toContain('Declined');
    expect((await h.next(olga)).plain_text).toContain('Rita declined');
    expect(await h.services.sharing.sharesWithMe(rita.id)).toEqual([]);

    const used = await h.say(pavel, `/start ${startParameter}`);
    expect(used.plain_text).toContain('No such share or invitation');
  });

  it('refuses a contact who is not on Telegram and an @username nobody has', async () => {
    await h.say(olga, '/share');
    h.emulator.sendContact(olga, { phone_number: '+4915100001', first_name: 'Grandpa' });
    expect((await h.next(olga)).plain_text).toContain('not on Telegram');
    const unknown = await h.say(olga, '@nobody_here_123');
    expect(unknown.plain_text).toContain('has not started the bot');
    expect(await h.services.sharing.sharesWithMe(pavel.id)).toEqual([]);
  });
});
