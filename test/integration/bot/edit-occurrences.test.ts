import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reminderMessage } from '../../../src/telegram/reminder-message.ts';
import type { SentMessage } from '../../support/telegram-emulator.ts';
import { testEngine } from '../../support/test-database.ts';
import { type BotHarness, buttonsOf, startBotHarness } from './bot-harness.ts';
import { type CaldavReader, startCaldavReader, Transcript } from './edit-support.ts';

// /edit on a repeating event: this one (a RECURRENCE-ID override), this and following (the series
// ends with UNTIL, a new series carries the change) and all (the master changes), the same
// semantics as PATCH /api/events with a scope, each read back over CalDAV.

// Monday 4 March 2030, 07:30 UTC: 08:30 in Berlin (CET, UTC+1; CEST from 31 March).
const now = new Date('2030-03-04T07:30:00Z');
const seconds = (iso: string) => new Date(iso).getTime() / 1000;

describe(`bot: /edit occurrences of a repeating event [${testEngine}]`, () => {
  let h: BotHarness;
  let caldav: CaldavReader;

  beforeAll(async () => {
    h = await startBotHarness({ now: () => now });
    caldav = await startCaldavReader(h);
  });
  afterAll(async () => {
    await caldav?.close();
    await h?.close();
  });

  async function userIn(id: number, first_name: string) {
    await h.services.accounts.ensureUser({ telegramId: id, timeZone: 'Europe/Berlin' });
    return { id, first_name };
  }

  async function starts(userId: number) {
    const { occurrences } = await h.services.calendars.listOccurrences(userId, {
      start: new Date('2030-02-01T00:00:00Z'),
      end: new Date('2030-05-01T00:00:00Z'),
    });
    return occurrences.map((o) => `${o.start.toISOString()} ${o.summary}`);
  }

  it('changes only one occurrence picked from the agenda: a RECURRENCE-ID override', async () => {
    const user = await userIn(7401, 'Ada');
    // Mondays 09:00 in Berlin, five times from 11 March.
    const standup = await h.services.calendars.createEvent(user.id, {
      summary: 'Standup',
      start: new Date('2030-03-11T08:00:00Z'),
      end: new Date('2030-03-11T08:30:00Z'),
      rrule: 'FREQ=WEEKLY;COUNT=5',
      reminders: [10],
    });
    const chat = new Transcript(h, user);

    const agenda = await chat.say('/list');
    expect(buttonsOf(agenda).map((b) => b.data)).toEqual(['ed:ag:list:0']);
    const picker = await chat.press(agenda, 'ed:ag:list:0');
    expect(picker.edited).toBeFalsy();
    expect(picker.plain_text).toBe('Which one should I change?');
    const second = `ed:${standup.id}:${seconds('2030-03-18T08:00:00Z')}`;
    expect(buttonsOf(picker).find((b) => b.data === second)?.text).toBe(
      'Mon, 18 Mar 2030 09:00 · Standup 🔁',
    );

    const menu = await chat.press(picker, second);
    expect(menu.plain_text).toContain('🕒 Mon, 18 Mar 2030, 09:00–09:30');
    expect(menu.plain_text).toContain('It repeats; this is the one on Mon, 18 Mar 2030.');
    const askWhen = await chat.press(menu, 'ed:f:when');
    // A time alone stays on the occurrence's day.
    const scope = await chat.say('11:00');
    expect(scope.plain_text).toBe(
      'Standup repeats. Change only the one on Mon, 18 Mar 2030, this one and the ones after it, or all of them?',
    );
    expect(buttonsOf(scope).map((b) => b.data)).toEqual([
      'ed:sc:this',
      'ed:sc:following',
      'ed:sc:all',
      'ed:f:menu',
    ]);
    const saved = await chat.press(scope, 'ed:sc:this');
    expect(saved.edited).toBe(true);
    expect(saved.plain_text).toContain('🕒 Mon, 18 Mar 2030, 11:00–11:30');
    expect(saved.plain_text).toContain(
      'Only the one on Mon, 18 Mar 2030 changed; the rest of the series stays.',
    );
    expect(askWhen.plain_text).toContain('Now: Mon, 18 Mar 2030, 09:00–09:30');

    expect(await starts(user.id)).toEqual([
      '2030-03-11T08:00:00.000Z Standup',
      '2030-03-18T10:00:00.000Z Standup',
      '2030-03-25T08:00:00.000Z Standup',
      '2030-04-01T07:00:00.000Z Standup',
      '2030-04-08T07:00:00.000Z Standup',
    ]);
    const ical = await caldav.get(user.id, standup.href);
    expect(ical).toContain('RRULE:FREQ=WEEKLY;COUNT=5\r\n');
    expect(ical).toContain('DTSTART;TZID=Europe/Berlin:20300311T090000\r\n');
    expect(ical).toContain('RECURRENCE-ID;TZID=Europe/Berlin:20300318T090000\r\n');
    expect(ical).toContain('DTSTART;TZID=Europe/Berlin:20300318T110000\r\n');
    expect(ical).toContain('DTEND;TZID=Europe/Berlin:20300318T113000\r\n');

    // [Change more] goes on with the same occurrence: a new title lands on the same override.
    const more = await chat.press(saved, 'ed:f:menu');
    expect(more.plain_text).toContain('🕒 Mon, 18 Mar 2030, 11:00–11:30');
    await chat.press(more, 'ed:f:title');
    const scopeAgain = await chat.say('Standup (moved)');
    const savedAgain = await chat.press(scopeAgain, 'ed:sc:this');
    expect(savedAgain.plain_text).toContain('Standup (moved)');
    await chat.press(savedAgain, 'ed:done');
    expect((await starts(user.id))[1]).toBe('2030-03-18T10:00:00.000Z Standup (moved)');
    const override = (await caldav.get(user.id, standup.href))
      .split('BEGIN:VEVENT')
      .find((component) => component.includes('RECURRENCE-ID'));
    expect(override).toContain('RECURRENCE-ID;TZID=Europe/Berlin:20300318T090000\r\n');
    expect(override).toContain('SUMMARY:Standup (moved)\r\n');

    chat.writeIfAsked(
      'edit-one-occurrence.md',
      [
        '# Editing one occurrence in the chat',
        '',
        'Recorded through the Bot API emulator by `test/integration/bot/edit-occurrences.test.ts`',
        '(`WRITE_TRANSCRIPTS=1`): a user in Berlin with a weekly standup (Mondays 09:00, five times from',
        '11 March 2030) moves only the one on 18 March to 11:00 and renames it. Stored as a',
        '`RECURRENCE-ID;TZID=Europe/Berlin:20300318T090000` override, which CalDAV clients read back.',
      ].join('\n'),
    );
  });

  it('changes this and following: the series ends with UNTIL and a new series carries the change', async () => {
    const user = await userIn(7402, 'Ben');
    // Mondays 09:00 in Berlin, six times from 25 February; the next one is today's at 09:00.
    const planning = await h.services.calendars.createEvent(user.id, {
      summary: 'Planning',
      start: new Date('2030-02-25T08:00:00Z'),
      end: new Date('2030-02-25T09:00:00Z'),
      rrule: 'FREQ=WEEKLY;COUNT=6',
    });
    const list = await h.say(user, '/edit');
    const pick = `ed:${planning.id}:${seconds('2030-03-04T08:00:00Z')}`;
    expect(buttonsOf(list).find((b) => b.data === pick)?.text).toBe('Mon, 4 Mar 2030 09:00 · Planning 🔁');
    const menu = await h.press(user, list, pick);
    await h.press(user, menu, 'ed:f:title');
    const scope = await h.say(user, 'Planning v2');
    const saved = await h.press(user, scope, 'ed:sc:following');
    expect(saved.plain_text).toContain('Planning v2');
    expect(saved.plain_text).toContain(
      'Changed from Mon, 4 Mar 2030 on; the earlier ones stay as they were.',
    );

    expect(await starts(user.id)).toEqual([
      '2030-02-25T08:00:00.000Z Planning',
      '2030-03-04T08:00:00.000Z Planning v2',
      '2030-03-11T08:00:00.000Z Planning v2',
      '2030-03-18T08:00:00.000Z Planning v2',
      '2030-03-25T08:00:00.000Z Planning v2',
      '2030-04-01T07:00:00.000Z Planning v2',
    ]);
    const head = await caldav.get(user.id, planning.href);
    expect(head).toContain('SUMMARY:Planning\r\n');
    expect(head).toMatch(/RRULE:FREQ=WEEKLY;UNTIL=2030030[34]T\d{6}Z\r\n/);
    const { occurrences } = await h.services.calendars.listOccurrences(user.id, {
      start: now,
      end: new Date('2030-03-05T00:00:00Z'),
    });
    const tailId = occurrences[0]?.eventId ?? '';
    expect(tailId).not.toBe(planning.id);
    const tail = await caldav.get(user.id, (await h.services.calendars.getEvent(user.id, tailId)).href);
    expect(tail).toContain('SUMMARY:Planning v2\r\n');
    expect(tail).toContain('DTSTART;TZID=Europe/Berlin:20300304T090000\r\n');
    expect(tail).toContain('RRULE:FREQ=WEEKLY;COUNT=5\r\n');
    expect(tail).not.toContain(planning.uid);
  });

  it('opens [Edit] on a reminder at its occurrence and changes the whole series', async () => {
    const user = await userIn(7403, 'Cy');
    // Tuesdays 07:00 in Berlin, four times from 5 March.
    const gym = await h.services.calendars.createEvent(user.id, {
      summary: 'Gym',
      start: new Date('2030-03-05T06:00:00Z'),
      end: new Date('2030-03-05T07:00:00Z'),
      rrule: 'FREQ=WEEKLY;COUNT=4',
      reminders: [15],
    });
    // The reminder the worker sends for the second one (see worker/jobs/send-reminder.ts).
    const occurrenceStart = new Date('2030-03-12T06:00:00Z');
    const sent = reminderMessage({
      eventId: gym.id,
      summary: 'Gym',
      start: occurrenceStart,
      allDay: false,
      now,
      timeZone: 'Europe/Berlin',
      lateMs: 0,
    });
    const reminder: SentMessage = {
      message_id: 999,
      chat_id: user.id,
      text: sent.text,
      reply_markup: sent.replyMarkup,
    };
    const menu = await h.press(user, reminder, `edo:${gym.id}:${seconds('2030-03-12T06:00:00Z')}`);
    expect(menu.edited).toBeFalsy();
    expect(menu.plain_text).toContain('🕒 Tue, 12 Mar 2030, 07:00–08:00');
    expect(menu.plain_text).toContain('this is the one on Tue, 12 Mar 2030');

    await h.press(user, menu, 'ed:f:when');
    const scope = await h.say(user, '07:30');
    const saved = await h.press(user, scope, 'ed:sc:all');
    expect(saved.plain_text).toContain('🕒 Tue, 12 Mar 2030, 07:30–08:30');
    expect(saved.plain_text).toContain('Changed for the whole series.');

    expect(await starts(user.id)).toEqual([
      '2030-03-05T06:30:00.000Z Gym',
      '2030-03-12T06:30:00.000Z Gym',
      '2030-03-19T06:30:00.000Z Gym',
      '2030-03-26T06:30:00.000Z Gym',
    ]);
    const ical = await caldav.get(user.id, gym.href);
    expect(ical).toContain('DTSTART;TZID=Europe/Berlin:20300305T073000\r\n');
    expect(ical).toContain('DTEND;TZID=Europe/Berlin:20300305T083000\r\n');
    expect(ical).toContain('RRULE:FREQ=WEEKLY;COUNT=4\r\n');
    expect(ical).not.toContain('RECURRENCE-ID');
    expect(ical).toContain('TRIGGER:-PT15M\r\n');

    // A new repeat rule cannot belong to one occurrence: only "following" and "all" are offered.
    const askRepeat = await h.press(user, await h.press(user, saved, 'ed:f:menu'), 'ed:f:repeat');
    const repeatScope = await h.press(user, askRepeat, 'ed:rep:daily');
    expect(buttonsOf(repeatScope).map((b) => b.data)).toEqual(['ed:sc:following', 'ed:sc:all', 'ed:f:menu']);

    // The reminder's [Open] card has [Edit] too; it names no occurrence, so the next one is meant.
    const card = await h.press(user, reminder, `open:${gym.id}`);
    expect(buttonsOf(card)).toEqual([{ text: 'Edit', data: `edo:${gym.id}:0` }]);
    const fromCard = await h.press(user, card, `edo:${gym.id}:0`);
    expect(fromCard.plain_text).toContain('this is the one on Tue, 5 Mar 2030');
    expect(fromCard.plain_text).toContain('🕒 Tue, 5 Mar 2030, 07:30–08:30');
  });
});
