import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SentMessage } from '../../support/telegram-emulator.ts';
import { testEngine } from '../../support/test-database.ts';
import { type BotHarness, startBotHarness } from './bot-harness.ts';

// The worker's reminder carries [Snooze 10 min] (snooze:<event>:<start>) and [Open] (open:<event>).
describe(`bot: reminder buttons [${testEngine}]`, () => {
  let h: BotHarness;
  const owner = { id: 4501, first_name: 'Ivy' };
  const stranger = { id: 4502, first_name: 'Jon' };
  let eventId: string;
  // The bot and the services read this clock, so a snooze lands on a known minute.
  const now = new Date('2030-03-04T07:30:00Z');
  const start = new Date(now.getTime() + 3_600_000);

  beforeAll(async () => {
    h = await startBotHarness({ now: () => now });
    await h.services.accounts.ensureUser({ telegramId: owner.id, timeZone: 'Europe/Berlin' });
    await h.services.accounts.ensureUser({ telegramId: stranger.id, timeZone: 'Europe/Berlin' });
    const event = await h.services.calendars.createEvent(owner.id, {
      summary: 'Dentist <b>&',
      start,
      end: new Date(start.getTime() + 3_600_000),
      location: 'Main St 1',
    });
    eventId = event.id;
  });
  afterAll(async () => {
    await h.close();
  });

  function reminderMessage(chatId: number): SentMessage {
    return { message_id: 999, chat_id: chatId, text: '⏰ Dentist' };
  }

  it('snoozes: one more reminder job ten minutes ahead, and says when', async () => {
    h.emulator.sendCallback(
      owner,
      `snooze:${eventId}:${Math.floor(start.getTime() / 1000)}`,
      reminderMessage(owner.id),
    );
    const reply = await h.next(owner);
    // 07:40 UTC is 08:40 in Berlin (CET).
    expect(reply.plain_text).toContain('Snoozed: I will remind you again at 08:40');
    const jobs = await h.database.db
      .selectFrom('outbox_messages')
      .selectAll()
      .where('kind', '=', 'reminder.send')
      .where('user_id', '=', owner.id)
      .execute();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.run_at.toISOString()).toBe('2030-03-04T07:40:00.000Z');
    expect(jobs[0]?.payload).toMatchObject({
      objectId: eventId,
      occurrenceStart: new Date(Math.floor(start.getTime() / 1000) * 1000).toISOString(),
    });
  });

  it('opens the event with its title escaped, time and place', async () => {
    h.emulator.sendCallback(owner, `open:${eventId}`, reminderMessage(owner.id));
    const reply = await h.next(owner);
    expect(reply.plain_text).toContain('Dentist <b>&');
    expect(reply.plain_text).toContain('📍 Main St 1');
  });

  it('does not let another user snooze or open the event', async () => {
    h.emulator.sendCallback(stranger, `open:${eventId}`, reminderMessage(stranger.id));
    const reply = await h.next(stranger);
    expect(reply.plain_text).not.toContain('Dentist');
    expect(reply.plain_text).toMatch(/No such event|could not find/);
    h.emulator.sendCallback(
      stranger,
      `snooze:${eventId}:${Math.floor(start.getTime() / 1000)}`,
      reminderMessage(stranger.id),
    );
    await h.next(stranger);
    const jobs = await h.database.db
      .selectFrom('outbox_messages')
      .selectAll()
      .where('user_id', '=', stranger.id)
      .execute();
    expect(jobs.filter((j) => j.kind === 'reminder.send')).toEqual([]);
  });
});
