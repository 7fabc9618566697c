import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngine } from '../../support/test-database.ts';
import { type BotHarness, buttonsOf, startBotHarness } from './bot-harness.ts';
import { type CaldavReader, startCaldavReader } from './edit-support.ts';

// /edit on a single event: each field changed through the chat, each change confirmed in place,
// and what a calendar app then reads over CalDAV.

// Monday 4 March 2030, 07:30 UTC: 08:30 in Berlin (CET, UTC+1).
const now = new Date('2030-03-04T07:30:00Z');

describe(`bot: /edit a single event [${testEngine}]`, () => {
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

  it('changes title, time, length, place and reminders, confirming each, and CalDAV reads the result', async () => {
    const user = { id: 7301, first_name: 'Dana' };
    await h.services.accounts.ensureUser({ telegramId: user.id, timeZone: 'Europe/Berlin' });
    const event = await h.services.calendars.createEvent(user.id, {
      summary: 'Dentist',
      start: new Date('2030-03-06T09:00:00Z'),
      end: new Date('2030-03-06T09:30:00Z'),
      reminders: [10],
    });

    const list = await h.say(user, '/edit');
    expect(list.plain_text).toContain('Which event should I change?');
    const pick = buttonsOf(list).find((b) => b.data === `ed:${event.id}:0`);
    expect(pick?.text).toBe('Wed, 6 Mar 2030 10:00 · Dentist');

    const menu = await h.press(user, list, `ed:${event.id}:0`);
    expect(menu.edited).toBe(true);
    expect(menu.plain_text).toContain('What should I change?');
    expect(menu.plain_text).toContain('🕒 Wed, 6 Mar 2030, 10:00–10:30');
    expect(menu.plain_text).toContain('🔔 10 min before');

    const askTitle = await h.press(user, menu, 'ed:f:title');
    expect(askTitle.plain_text).toBe('Send the new title. Now: Dentist');
    // A single event has no scope question: the answer is the confirmation.
    let saved = await h.say(user, 'Dentist (Dr. Weiss)');
    expect(saved.plain_text?.split('\n')).toEqual([
      '✅ Changed',
      '',
      'Dentist (Dr. Weiss)',
      '🕒 Wed, 6 Mar 2030, 10:00–10:30',
      '🔔 10 min before',
    ]);
    expect(buttonsOf(saved).map((b) => b.data)).toEqual(['ed:f:menu', 'ed:done']);

    const askWhen = await h.press(user, await h.press(user, saved, 'ed:f:menu'), 'ed:f:when');
    expect(askWhen.plain_text).toContain('Now: Wed, 6 Mar 2030, 10:00–10:30');
    saved = await h.say(user, 'thursday 15:00');
    expect(saved.plain_text).toContain('🕒 Thu, 7 Mar 2030, 15:00–15:30');

    const askLength = await h.press(user, await h.press(user, saved, 'ed:f:menu'), 'ed:f:duration');
    saved = await h.press(user, askLength, 'ed:dur:60');
    expect(saved.edited).toBe(true);
    expect(saved.plain_text).toContain('🕒 Thu, 7 Mar 2030, 15:00–16:00');

    const askPlace = await h.press(user, await h.press(user, saved, 'ed:f:menu'), 'ed:f:location');
    saved = await h.say(user, 'Praxis Weiss, Hauptstr. 5');
    expect(saved.plain_text).toContain('📍 Praxis Weiss, Hauptstr. 5');
    expect(askPlace.plain_text).toBe('Send the new place.');

    const askNotes = await h.press(user, await h.press(user, saved, 'ed:f:menu'), 'ed:f:description');
    saved = await h.say(user, 'Bring the X-rays');
    expect(saved.plain_text).toContain('📝 Bring the X-rays');
    expect(buttonsOf(askNotes).map((b) => b.data)).toEqual(['ed:f:menu']);

    const askReminders = await h.press(user, await h.press(user, saved, 'ed:f:menu'), 'ed:f:reminders');
    saved = await h.press(user, askReminders, 'ed:rem:60');
    expect(saved.plain_text).toContain('🔔 1 h before');

    const done = await h.press(user, saved, 'ed:done');
    expect(done.plain_text).toBe('Done: Dentist (Dr. Weiss) is up to date.');

    const ical = await caldav.get(user.id, event.href);
    expect(ical).toContain('SUMMARY:Dentist (Dr. Weiss)\r\n');
    expect(ical).toContain('DTSTART;TZID=Europe/Berlin:20300307T150000\r\n');
    expect(ical).toContain('DTEND;TZID=Europe/Berlin:20300307T160000\r\n');
    expect(ical).toContain('LOCATION:Praxis Weiss\\, Hauptstr. 5\r\n');
    expect(ical).toContain('DESCRIPTION:Bring the X-rays\r\n');
    expect(ical).toContain('TRIGGER:-PT1H\r\n');
    expect(ical).not.toContain('TRIGGER:-PT10M');
    const vevent = ical.slice(ical.indexOf('BEGIN:VEVENT'));
    expect(vevent).not.toContain('RRULE');
    expect(vevent).not.toContain('RECURRENCE-ID');
  });

  it('finds the event by title words, makes it repeat from plain words, and removes its place', async () => {
    const user = { id: 7302, first_name: 'Yuki' };
    await h.services.accounts.ensureUser({ telegramId: user.id, timeZone: 'Europe/Berlin' });
    await h.services.calendars.createEvent(user.id, {
      summary: 'Dinner',
      start: new Date('2030-03-05T18:00:00Z'),
      end: new Date('2030-03-05T20:00:00Z'),
    });
    // Friday 8 March, 18:00–19:00 in Berlin.
    const yoga = await h.services.calendars.createEvent(user.id, {
      summary: 'Yoga',
      start: new Date('2030-03-08T17:00:00Z'),
      end: new Date('2030-03-08T18:00:00Z'),
      location: 'Studio 3',
    });

    const list = await h.say(user, '/edit yoga');
    expect(list.plain_text).toContain('Which event with "yoga" should I change?');
    expect(buttonsOf(list).map((b) => b.data)).toEqual([`ed:${yoga.id}:0`]);
    const menu = await h.press(user, list, `ed:${yoga.id}:0`);

    const askRepeat = await h.press(user, menu, 'ed:f:repeat');
    expect(buttonsOf(askRepeat).map((b) => b.data)).toEqual([
      'ed:rep:none',
      'ed:rep:daily',
      'ed:rep:weekly',
      'ed:rep:monthly',
      'ed:rep:yearly',
      'ed:f:menu',
    ]);
    const unreadable = await h.say(user, 'whenever I feel like it');
    expect(unreadable.plain_text).toContain("I couldn't read that as a repeat.");
    // The rule names other days than Friday: the series starts on the first day it names.
    let saved = await h.say(user, 'every monday and wednesday');
    expect(saved.plain_text).toContain('🕒 Mon, 11 Mar 2030, 18:00–19:00');
    expect(saved.plain_text).toContain('🔁 every Monday and Wednesday at 18:00');

    // Now a series: the place goes for all of it.
    const askPlace = await h.press(user, await h.press(user, saved, 'ed:f:menu'), 'ed:f:location');
    expect(askPlace.plain_text).toContain('Now: Studio 3');
    const scope = await h.press(user, askPlace, 'ed:clear');
    expect(buttonsOf(scope).map((b) => b.data)).toEqual([
      'ed:sc:this',
      'ed:sc:following',
      'ed:sc:all',
      'ed:f:menu',
    ]);
    saved = await h.press(user, scope, 'ed:sc:all');
    expect(saved.plain_text).not.toContain('📍');
    expect(saved.plain_text).toContain('Changed for the whole series.');

    const ical = await caldav.get(user.id, yoga.href);
    expect(ical).toContain('DTSTART;TZID=Europe/Berlin:20300311T180000\r\n');
    expect(ical).toContain('RRULE:FREQ=WEEKLY;BYDAY=MO,WE\r\n');
    expect(ical).not.toContain('\nLOCATION');
    const { occurrences } = await h.services.calendars.listOccurrences(user.id, {
      start: now,
      end: new Date('2030-03-16T00:00:00Z'),
    });
    expect(occurrences.filter((o) => o.summary === 'Yoga').map((o) => o.start.toISOString())).toEqual([
      '2030-03-11T17:00:00.000Z',
      '2030-03-13T17:00:00.000Z',
    ]);
  });

  it('pages through all upcoming events, eight at a time', async () => {
    const user = { id: 7304, first_name: 'Pia' };
    await h.services.accounts.ensureUser({ telegramId: user.id, timeZone: 'Europe/Berlin' });
    for (let day = 0; day < 10; day += 1) {
      const start = new Date(Date.UTC(2030, 2, 5 + day, 9));
      await h.services.calendars.createEvent(user.id, {
        summary: `Task ${day + 1}`,
        start,
        end: new Date(start.getTime() + 1_800_000),
      });
    }
    const first = await h.say(user, '/edit');
    expect(first.plain_text).toContain('Page 1 of 2');
    const picks = (m: typeof first) => buttonsOf(m).filter((b) => /^ed:[0-9a-f-]{36}:/.test(b.data));
    expect(picks(first).map((b) => b.text.split(' · ')[1])).toEqual([
      'Task 1',
      'Task 2',
      'Task 3',
      'Task 4',
      'Task 5',
      'Task 6',
      'Task 7',
      'Task 8',
    ]);
    expect(buttonsOf(first).at(-1)?.data).toBe('ed:pg:1');
    const second = await h.press(user, first, 'ed:pg:1');
    expect(second.edited).toBe(true);
    expect(second.plain_text).toContain('Page 2 of 2');
    expect(picks(second).map((b) => b.text.split(' · ')[1])).toEqual(['Task 9', 'Task 10']);
    const menu = await h.press(user, second, picks(second)[1]?.data ?? '');
    expect(menu.plain_text).toContain('Task 10');
  });

  it('answers an edit button whose question has passed as expired, and /cancel stops a question', async () => {
    const user = { id: 7303, first_name: 'Ola' };
    await h.services.accounts.ensureUser({ telegramId: user.id, timeZone: 'Europe/Berlin' });
    const event = await h.services.calendars.createEvent(user.id, {
      summary: 'Call mum',
      start: new Date('2030-03-05T17:00:00Z'),
      end: new Date('2030-03-05T17:30:00Z'),
    });
    const menu = await h.press(user, await h.say(user, '/edit'), `ed:${event.id}:0`);
    const askLength = await h.press(user, menu, 'ed:f:duration');
    expect((await h.say(user, '/cancel')).plain_text).toBe('Stopped changing the event.');
    const update = h.emulator.sendCallback(user, 'ed:dur:30', askLength);
    await expect.poll(() => h.emulator.callbackAnswer(update)?.params.text).toBe('This button has expired.');
    expect((await h.services.calendars.getEvent(user.id, event.id)).end).toEqual(
      new Date('2030-03-05T17:30:00Z'),
    );
  });
});
