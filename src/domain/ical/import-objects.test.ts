import { describe, expect, it } from 'vitest';
import { icalFixture } from '../../../test/fixtures/ical/index.ts';
import { expandOccurrences } from '../recurrence/expand-occurrences.ts';
import { IcsImport } from './import-objects.ts';
import { parseCalendarObject } from './parse-calendar.ts';

function importAll(text: string): IcsImport {
  const document = new IcsImport(text);
  for (const piece of document.pieces) document.read(piece);
  return document;
}

describe('IcsImport', () => {
  it('cuts a Google Calendar export into one object per UID, an override joined to its series', () => {
    const document = importAll(icalFixture('google-calendar-export'));
    expect(document.refusals).toEqual([]);
    const objects = [...document.objects()];
    expect(objects.map((o) => o.uid).sort()).toEqual([
      '1a2b3c4d5e6f7g8h9i0jklmnop@google.com',
      '5k0q3r7c2d9mbd8m4hcg6o1nsv@google.com',
    ]);
    const series = objects.find((o) => o.uid.startsWith('5k0q'))?.text ?? '';
    const holidays = objects.find((o) => o.uid.startsWith('1a2b'))?.text ?? '';
    // The override came two components before its master in the export; both are one resource now.
    expect(series.match(/BEGIN:VEVENT/g)).toHaveLength(2);
    expect(parseCalendarObject(series)).toMatchObject({
      summary: 'Team sync',
      rrule: 'FREQ=WEEKLY;BYDAY=MO',
    });
    // The export's METHOD and X-WR- properties describe the document, not an object (RFC 4791 §4.1).
    for (const text of [series, holidays]) {
      expect(text).not.toContain('METHOD:');
      expect(text).not.toContain('X-WR-');
      expect(text).toContain('PRODID:-//Google Inc//Google Calendar 70.9054//EN\r\n');
    }
    // Each object carries the VTIMEZONE it references, and only that.
    expect(series).toContain('TZID:Europe/Berlin\r\n');
    expect(holidays).not.toContain('VTIMEZONE');
    const week = { start: new Date('2026-12-07T00:00:00Z'), end: new Date('2026-12-14T00:00:00Z') };
    expect(
      expandOccurrences(series, week).occurrences.map((o) => [o.start.toISOString(), o.summary]),
    ).toEqual([['2026-12-08T09:00:00.000Z', 'Team sync (Tuesday this week)']]);
  });
});
