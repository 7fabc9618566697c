import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotHarness, buttonsOf, startBotHarness } from './bot-harness.ts';

// Monday 4 March 2030, 07:30 UTC: 10:30 in Moscow, 08:30 in Berlin.
const now = new Date('2030-03-04T07:30:00Z');

async function storedText(h: BotHarness, userId: number, summary: string): Promise<string> {
  const row = await h.database.db
    .selectFrom('calendar_objects')
    .select('ical')
    .where('owner_id', '=', userId)
    .where('summary', '=', summary)
    .executeTakeFirstOrThrow();
  return row.ical.replace(/\r\n[ \t]/g, '');
}

describe('bot: repeating events from plain words', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness({ now: () => now });
  });
  afterAll(async () => {
    await h.close();
  });

  it('saves "Gym every monday at 7am" as Gym, weekly on Monday, spelled out, with the RRULE in the user zone', async () => {
    const user = { id: 7101, first_name: 'Gus' };
    await h.say(user, '/timezone Europe/Berlin');
    const preview = await h.say(user, 'Gym every monday at 7am');
    expect(preview.plain_text?.split('\n')[0]).toBe('Gym');
    expect(preview.plain_text).toContain('🔁 every Monday at 07:00');
    const saved = await h.press(user, preview, 'qa:save');
    expect(saved.plain_text).toContain('✅ Saved Gym');
    expect(saved.plain_text).toContain('Mon, 11 Mar 2030, 07:00–08:00');
    const ical = await storedText(h, user.id, 'Gym');
    expect(ical).toContain('DTSTART;TZID=Europe/Berlin:20300311T070000');
    expect(ical).toContain('RRULE:FREQ=WEEKLY;BYDAY=MO');
  });

  it('saves "Созвон каждые 2 недели по вторникам и четвергам до 31 марта" for a Russian speaker', async () => {
    const user = { id: 7102, first_name: 'Вера', language_code: 'ru' };
    await h.say(user, '/timezone Europe/Moscow');
    const preview = await h.say(user, 'Созвон каждые 2 недели по вторникам и четвергам до 31 марта в 10:00');
    expect(preview.plain_text?.split('\n')[0]).toBe('Созвон');
    expect(preview.plain_text).toMatch(/🔁 каждые 2 недели по вторникам и четвергам в 10:00 до .*31 мар/);
    const saved = await h.press(user, preview, 'qa:save');
    expect(saved.plain_text).toContain('✅ Сохранено: Созвон');
    const ical = await storedText(h, user.id, 'Созвон');
    expect(ical).toContain('DTSTART;TZID=Europe/Moscow:20300305T100000');
    // The last day ends at 23:59:59 in Moscow (UTC+3).
    expect(ical).toContain('RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;UNTIL=20300331T205959Z');
  });

  it('offers repeat and reminder buttons in /create and stores both', async () => {
    const user = { id: 7103, first_name: 'Rae' };
    await h.say(user, '/timezone UTC');
    await h.say(user, '/create');
    await h.say(user, 'Team lunch');
    await h.say(user, 'friday 12:00');
    const repeat = await h.say(user, '1h');
    const reminders = await h.press(user, repeat, 'cf:rep:monthly');
    const notes = await h.press(user, reminders, 'cf:rem:30');
    await h.press(user, notes, 'cf:skip');
    const saved = await h.say(user, '/skip');
    expect(saved.plain_text).toContain('🔁 every month at 12:00');
    expect(saved.plain_text).toContain('🔔 30 min before');
    const event = (
      await h.services.calendars.listOccurrences(user.id, {
        start: now,
        end: new Date('2030-05-01T00:00:00Z'),
      })
    ).occurrences;
    expect(event.map((o) => o.start.toISOString())).toEqual([
      '2030-03-08T12:00:00.000Z',
      '2030-04-08T12:00:00.000Z',
    ]);
    const ical = await storedText(h, user.id, 'Team lunch');
    expect(ical).toContain('RRULE:FREQ=MONTHLY');
    expect(ical).toContain('TRIGGER:-PT30M');
  });
});

describe('bot: finding things', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness({ now: () => now });
  });
  afterAll(async () => {
    await h.close();
  });

  it('/cancel pages through all 50 upcoming events and a daily series appears once', async () => {
    const user = { id: 7201, first_name: 'Pia' };
    await h.say(user, '/timezone UTC');
    for (let i = 0; i < 49; i += 1) {
      const start = new Date(now.getTime() + (i + 1) * 86_400_000 * 7);
      await h.services.calendars.createEvent(user.id, {
        summary: `Event ${String(i + 1).padStart(2, '0')}`,
        start,
        end: new Date(start.getTime() + 3_600_000),
      });
    }
    const dailyStart = new Date('2030-03-05T06:00:00Z');
    await h.services.calendars.createEvent(user.id, {
      summary: 'Daily pills',
      start: dailyStart,
      end: new Date(dailyStart.getTime() + 600_000),
      rrule: 'FREQ=DAILY',
    });
    let page = await h.say(user, '/cancel');
    const seen: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      expect(page.plain_text).toContain(`Page ${i + 1} of 7`);
      seen.push(
        ...buttonsOf(page)
          .filter((b) => b.data.startsWith('rm:') && b.data.length > 20)
          .map((b) => b.text),
      );
      const later = buttonsOf(page).find((b) => b.data === `rm:pg:${i + 1}`);
      if (!later) break;
      const next = await h.press(user, page, later.data);
      expect(next.message_id).toBe(page.message_id);
      page = next;
    }
    expect(seen).toHaveLength(50);
    expect(seen.filter((t) => t.includes('Daily pills'))).toHaveLength(1);
    expect(seen.at(-1)).toContain('Event 49');
    expect(buttonsOf(page).map((b) => b.data)).toContain('rm:pg:5');

    // A title narrows the list.
    const narrowed = await h.say(user, '/cancel event 4');
    expect(narrowed.plain_text).toContain('Which event with "event 4" should I delete?');
    expect(
      buttonsOf(narrowed)
        .filter((b) => b.data.startsWith('rm:') && b.data.length > 20)
        .map((b) => b.text),
    ).toHaveLength(8);
  });

  it('/search finds events past and future by title, place or notes, paged, with % and _ taken literally', async () => {
    const user = { id: 7202, first_name: 'Ned' };
    await h.say(user, '/timezone UTC');
    const at = (days: number) => new Date(now.getTime() + days * 86_400_000);
    await h.services.calendars.createEvent(user.id, { summary: 'Dentist', start: at(-30), end: at(-29.9) });
    await h.services.calendars.createEvent(user.id, {
      summary: 'Check-up',
      start: at(10),
      end: at(10.1),
      location: 'Dentist office',
    });
    await h.services.calendars.createEvent(user.id, {
      summary: 'Call',
      start: at(12),
      end: at(12.1),
      description: 'ask the dentist about 100% refund',
    });
    await h.services.calendars.createEvent(user.id, { summary: 'Unrelated', start: at(3), end: at(3.1) });
    for (let i = 0; i < 12; i += 1) {
      await h.services.calendars.createEvent(user.id, {
        summary: `Yoga ${i}`,
        start: at(i + 1),
        end: at(i + 1.05),
      });
    }
    const found = await h.say(user, '/search dentist');
    expect(found.plain_text).toContain('Events with "dentist"');
    expect(found.plain_text).toContain('Dentist');
    expect(found.plain_text).toContain('Check-up · 📍 Dentist office');
    expect(found.plain_text).toContain('Call');
    expect(found.plain_text).not.toContain('Unrelated');
    expect((await h.say(user, '/search 100%')).plain_text).toContain('Call');
    expect((await h.say(user, '/search 1_0')).plain_text).toContain('No event has "1_0"');

    const yoga = await h.say(user, '/search yoga');
    expect(yoga.plain_text).toContain('Page 1 of 2');
    const second = await h.press(user, yoga, 'sr:pg:1');
    expect(second.message_id).toBe(yoga.message_id);
    expect(second.plain_text).toContain('Yoga 11');
    expect(second.plain_text).not.toContain('Yoga 0');
  });
});
