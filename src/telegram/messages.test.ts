import { describe, expect, it } from 'vitest';
import { occurrence } from '../../test/fixtures/occurrence.ts';
import { decodeCallback } from './callback-data.ts';
import { digestMessage } from './digest-message.ts';
import { reminderMessage } from './reminder-message.ts';

const eventId = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('reminderMessage', () => {
  const start = new Date('2026-03-02T08:00:00Z');

  it('names the title escaped, the day and time in the user zone, and how far ahead', () => {
    const message = reminderMessage({
      eventId,
      summary: 'Tea <& biscuits>',
      start,
      allDay: false,
      now: new Date('2026-03-02T07:45:00Z'),
      timeZone: 'Europe/Berlin',
      lateMs: 0,
    });
    expect(message.text).toBe('⏰ <b>Tea &lt;&amp; biscuits&gt;</b>\nMon, 2 Mar 2026, 09:00 (in 15 min)');
    expect(message.parseMode).toBe('HTML');
  });

  it('says when it is late and when an all-day event is', () => {
    const late = reminderMessage({
      eventId,
      summary: null,
      start,
      allDay: false,
      now: new Date('2026-03-02T08:05:00Z'),
      timeZone: 'UTC',
      lateMs: 5 * 60_000,
    });
    expect(late.text).toBe(
      '⏰ <b>(no title)</b>\nMon, 2 Mar 2026, 08:00 (started 5 min ago)\n(late by 5 min)',
    );
    const allDay = reminderMessage({
      eventId,
      summary: 'Holiday',
      start: new Date('2026-03-02T00:00:00Z'),
      allDay: true,
      now: start,
      timeZone: 'UTC',
      lateMs: 0,
    });
    expect(allDay.text).toBe('⏰ <b>Holiday</b>\nMon, 2 Mar 2026, all day');
  });

  it('carries Snooze, Open and Edit buttons the bot decodes', () => {
    const [row] = reminderMessage({
      eventId,
      summary: 'x',
      start,
      allDay: false,
      now: start,
      timeZone: 'UTC',
      lateMs: 0,
    }).replyMarkup.inline_keyboard;
    const data = (row ?? []).map((b) => ('callback_data' in b ? decodeCallback(b.callback_data) : null));
    expect(data).toEqual([
      { kind: 'snooze', eventId, occurrenceStart: start },
      { kind: 'open', eventId },
      { kind: 'edit-open', eventId, occurrenceStart: start },
    ]);
  });

  it('makes [Open] a Web App button on this occurrence when the Mini App has an https address', () => {
    const [row] = reminderMessage({
      eventId,
      summary: 'x',
      start,
      allDay: false,
      now: start,
      timeZone: 'UTC',
      lateMs: 0,
      miniAppUrl: 'https://cal.example.org/app/',
    }).replyMarkup.inline_keyboard;
    const at = encodeURIComponent(start.toISOString());
    expect(row?.[1]).toEqual({
      text: 'Open',
      web_app: { url: `https://cal.example.org/app/?event=${eventId}&at=${at}` },
    });
  });
});

const digestOccurrence = (start: string, summary: string) =>
  occurrence(start, summary, { eventId, calendarId: eventId });

describe('digestMessage', () => {
  const day = { start: new Date('2026-03-01T23:00:00Z') };

  it('heads the agenda lines with the local day, or says the day is free', () => {
    expect(
      digestMessage(day, [digestOccurrence('2026-03-02T08:00:00Z', 'A & B')], 'Europe/Berlin').text,
    ).toBe('☀️ <b>Mon, 2 Mar 2026</b>\n\n09:00–10:00  A &amp; B');
    expect(digestMessage(day, [], 'Europe/Berlin').text).toBe(
      '☀️ <b>Mon, 2 Mar 2026</b>\n\nNothing on your calendar today.',
    );
  });

  it("names each line's calendar when the user has several", () => {
    const work = { ...digestOccurrence('2026-03-02T08:00:00Z', 'Stand-up'), calendarId: 'work-id' };
    const home = { ...digestOccurrence('2026-03-02T17:00:00Z', 'Yoga'), calendarId: 'home-id' };
    const names = new Map([
      ['work-id', 'Work'],
      ['home-id', 'Home'],
    ]);
    expect(digestMessage(day, [work, home], 'Europe/Berlin', 'en', names).text).toBe(
      '☀️ <b>Mon, 2 Mar 2026</b>\n\n09:00–10:00  Stand-up · 📅 Work\n18:00–19:00  Yoga · 📅 Home',
    );
  });

  it('stays within one Telegram message on a crowded day and says how many are left out', () => {
    const many = Array.from({ length: 200 }, (_, i) =>
      digestOccurrence(new Date(Date.UTC(2026, 2, 2, 8, i)).toISOString(), '&'.repeat(200)),
    );
    const { text } = digestMessage(day, many, 'Europe/Berlin');
    expect(text.length).toBeLessThan(4096);
    expect(text).toMatch(/<i>… and \d+ more<\/i>$/);
  });
});
