import { describe, expect, it } from 'vitest';
import { icalFixture } from '../../../test/fixtures/ical/index.ts';
import { InvalidCalendarData, type InvalidCalendarReason } from '../errors.ts';
import { planAlarms } from '../recurrence/alarm-triggers.ts';
import { expandOccurrences } from '../recurrence/expand-occurrences.ts';
import { calendarLimits } from './calendar-limits.ts';
import { parseCalendarObject } from './parse-calendar.ts';

const lines = (...parts: Array<string | string[]>) => parts.flat();
const calendar = (...parts: Array<string | string[]>) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...lines(...parts), 'END:VCALENDAR', ''].join(
    '\r\n',
  );
const component = (name: string, ...parts: Array<string | string[]>) => [
  `BEGIN:${name}`,
  ...lines(...parts),
  `END:${name}`,
];
const vevent = (...parts: Array<string | string[]>) =>
  component('VEVENT', 'UID:limits-1', 'DTSTAMP:20260101T000000Z', 'SUMMARY:Limits', ...parts);
const alarm = (trigger = '-PT15M') =>
  component('VALARM', 'ACTION:DISPLAY', 'DESCRIPTION:x', `TRIGGER:${trigger}`);

/** A custom zone whose STANDARD observance recurs with `rule` from `dtstart`. */
function zone(tzid: string, rule: string, dtstart = '16010101T000000') {
  return component(
    'VTIMEZONE',
    `TZID:${tzid}`,
    component('STANDARD', `DTSTART:${dtstart}`, `RRULE:${rule}`, 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0000'),
    component(
      'DAYLIGHT',
      'DTSTART:16010325T020000',
      'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
      'TZOFFSETFROM:+0000',
      'TZOFFSETTO:+0100',
    ),
  );
}

function refusal(text: string): { reason: InvalidCalendarReason; message: string } | null {
  try {
    parseCalendarObject(text);
    return null;
  } catch (error) {
    if (error instanceof InvalidCalendarData) return { reason: error.reason, message: error.message };
    throw error;
  }
}

const week = { start: new Date('2026-12-01T00:00:00Z'), end: new Date('2026-12-08T00:00:00Z') };

describe('calendar limits on new data', () => {
  it('accepts an Outlook event whose Windows-named zone recurs yearly from 1601', () => {
    const text = icalFixture('outlook-windows-zone-names');
    expect(refusal(text)).toBeNull();
    expect(planAlarms(text, week, { defaultMinutes: null, floatingTimeZone: 'UTC' }).alarms).toHaveLength(1);
  });

  it.each([
    ['SECONDLY from 1601 (the 367-byte process killer)', 'FREQ=SECONDLY', '16010101T000000'],
    ['DAILY from 1601', 'FREQ=DAILY', '16010101T000000'],
    ['HOURLY from 2000', 'FREQ=HOURLY', '20000101T000000'],
    [
      'YEARLY on every day of the year',
      `FREQ=YEARLY;BYYEARDAY=${Array.from({ length: 366 }, (_, i) => i + 1).join(',')}`,
      '16010101T000000',
    ],
  ])('refuses a VTIMEZONE observance recurring %s', (_name, rule, dtstart) => {
    const text = calendar(
      zone('Hostile', rule, dtstart),
      vevent('DTSTART;TZID=Hostile:20261201T090000', 'DURATION:PT1H'),
    );
    expect(refusal(text)?.reason).toBe('limit-exceeded');
  });

  it.each([['DURATION:P99999999999W'], ['DURATION:P10000000W'], ['DURATION:P100000000W']])(
    'refuses %s at once',
    (duration) => {
      const text = calendar(vevent('DTSTART:20261201T090000Z', duration));
      expect(refusal(text)?.reason).toBe('limit-exceeded');
    },
  );

  it('refuses a VALARM trigger more than a year from its event', () => {
    const text = calendar(vevent('DTSTART:20261201T090000Z', alarm('-P99999999W')));
    expect(refusal(text)?.reason).toBe('limit-exceeded');
  });

  it.each(['FREQ=SECONDLY', 'FREQ=MINUTELY', 'FREQ=SECONDLY;UNTIL=99991231T235959Z'])(
    'refuses RRULE:%s, which no calendar app offers',
    (rule) => {
      const text = calendar(vevent('DTSTART:20261201T090000Z', `RRULE:${rule}`));
      expect(refusal(text)?.message).toMatch(/finer than a calendar needs/);
    },
  );

  it('accepts an hourly rule', () => {
    expect(refusal(calendar(vevent('DTSTART:20261201T090000Z', 'RRULE:FREQ=HOURLY;COUNT=5')))).toBeNull();
  });

  it('refuses more RRULEs, VALARMs, TZIDs and explicit dates than an object may hold', () => {
    const rules = Array.from(
      { length: calendarLimits.rulesPerComponent + 1 },
      (_, i) => `RRULE:FREQ=DAILY;INTERVAL=${i + 1}`,
    );
    expect(refusal(calendar(vevent('DTSTART:20261201T090000Z', rules)))?.reason).toBe('limit-exceeded');

    const alarms = Array.from({ length: calendarLimits.alarmsPerComponent + 1 }, (_, i) =>
      alarm(`-PT${i + 1}M`),
    );
    expect(refusal(calendar(vevent('DTSTART:20261201T090000Z', ...alarms)))?.reason).toBe('limit-exceeded');

    const zones = Array.from(
      { length: calendarLimits.tzids + 1 },
      (_, i) => `X-AT;TZID=Zone/${i}:20261201T090000`,
    );
    expect(refusal(calendar(vevent('DTSTART:20261201T090000Z', zones)))?.message).toMatch(/distinct TZIDs/);

    const exdates = `EXDATE:${Array.from({ length: calendarLimits.datesPerComponent + 1 }, (_, i) => `2027${String((i % 12) + 1).padStart(2, '0')}01T090000Z`).join(',')}`;
    const tooMany = refusal(calendar(vevent('DTSTART:20261201T090000Z', 'RRULE:FREQ=DAILY', exdates)));
    expect(tooMany?.reason).toBe('too-many-instances');
  });

  it('refuses more properties than an object may hold', () => {
    const props = Array.from({ length: calendarLimits.properties }, (_, i) => `X-P${i}:x`);
    expect(refusal(calendar(vevent('DTSTART:20261201T090000Z', props)))?.reason).toBe('limit-exceeded');
  });

  it.each([
    ['a NUL byte', 'SUMMARY:a\u0000b'],
    ['a bare CR', 'DESCRIPTION:a\rb'],
    ['a form feed', 'LOCATION:a\u000cb'],
  ])('refuses %s in a text value', (_name, prop) => {
    expect(refusal(calendar(vevent('DTSTART:20261201T090000Z', prop)))?.reason).toBe('invalid-value');
  });

  it.each([
    ['month 13', 'DTSTART:20261301T100000Z'],
    ['30 February', 'DTSTART:20260230T100000Z'],
    ['29 February of a common year', 'DTSTART;VALUE=DATE:20270229'],
    ['hour 24', 'DTSTART:20261201T240000Z'],
    ['an UNTIL in month 13', 'DTSTART:20261201T100000Z\r\nRRULE:FREQ=DAILY;UNTIL=20271340T000000Z'],
  ])('refuses a date that does not exist: %s', (_name, prop) => {
    expect(refusal(calendar(vevent(prop)))?.reason).toBe('invalid-value');
  });

  it('refuses DTEND before DTSTART and a negative DURATION', () => {
    const backwards = calendar(vevent('DTSTART:20261201T100000Z', 'DTEND:20261201T090000Z'));
    expect(refusal(backwards)?.reason).toBe('invalid-time-range');
    const negative = calendar(vevent('DTSTART:20261201T100000Z', 'DURATION:-PT1H'));
    expect(refusal(negative)?.reason).toBe('invalid-time-range');
  });

  it('refuses INTERVAL=0, which ical.js would read as 1', () => {
    const text = calendar(vevent('DTSTART:20261201T100000Z', 'RRULE:FREQ=DAILY;INTERVAL=0'));
    expect(refusal(text)?.reason).toBe('invalid-recurrence');
  });
});

describe('stored data beyond the limits is read within them', () => {
  it('expands an event whose own zone is hostile with the IANA zone of the same name', () => {
    const text = calendar(
      zone('Europe/Berlin', 'FREQ=SECONDLY'),
      vevent('DTSTART;TZID=Europe/Berlin:20261201T090000', 'DURATION:PT1H', 'RRULE:FREQ=DAILY'),
    );
    const { occurrences } = expandOccurrences(text, week);
    expect(occurrences.map((o) => o.start.toISOString())[0]).toBe('2026-12-01T08:00:00.000Z');
    expect(occurrences).toHaveLength(7);
  });

  it('reads a DURATION of a billion weeks as the longest length allowed', () => {
    const text = calendar(vevent('DTSTART:20261201T090000Z', 'DURATION:P999999999W'));
    const [occurrence] = expandOccurrences(text, week).occurrences;
    const lengthDays = ((occurrence?.end.getTime() ?? 0) - (occurrence?.start.getTime() ?? 0)) / 86_400_000;
    expect(lengthDays).toBe(calendarLimits.durationSeconds / 86_400);
  });

  it('leaves a SECONDLY rule stored before the limits out of expansion: the event keeps its DTSTART', () => {
    const text = calendar(vevent('DTSTART:20261201T000000Z', 'DURATION:PT1S', 'RRULE:FREQ=SECONDLY'));
    const { occurrences } = expandOccurrences(text, week);
    expect(occurrences.map((o) => o.start.toISOString())).toEqual(['2026-12-01T00:00:00.000Z']);
  });

  it('walks an hourly rule from 1970 to this week without visiting the years between', () => {
    // Over 490,000 instances lie between: more than the expansion's whole step budget.
    const text = calendar(vevent('DTSTART:19700101T000000Z', 'DURATION:PT1H', 'RRULE:FREQ=HOURLY'));
    const { occurrences, truncated } = expandOccurrences(text, week, { maxInstances: 200 });
    expect(truncated).toBe(false);
    expect(occurrences).toHaveLength(7 * 24);
    expect(occurrences[0]?.start.toISOString()).toBe('2026-12-01T00:00:00.000Z');
  });

  it('uses only the first RRULEs of a component holding thousands', () => {
    const rules = Array.from({ length: 2_000 }, (_, i) => `RRULE:FREQ=DAILY;BYHOUR=${i % 24}`);
    const text = calendar(vevent('DTSTART:20261101T000000Z', rules));
    const hours = new Set(expandOccurrences(text, week).occurrences.map((o) => o.start.getUTCHours()));
    expect([...hours].sort((a, b) => a - b)).toEqual([0, 1, 2, 3]);
  });

  it('plans reminders from the first VALARMs of a component holding thousands', () => {
    const alarms = Array.from({ length: 5_000 }, (_, i) => alarm(`-PT${(i % 600) + 1}M`));
    const text = calendar(vevent('DTSTART:20261201T090000Z', 'RRULE:FREQ=DAILY', ...alarms));
    const { alarms: planned } = planAlarms(text, week, { defaultMinutes: null, floatingTimeZone: 'UTC' });
    const triggers = new Set(planned.map((a) => a.trigger));
    expect(triggers.size).toBe(calendarLimits.alarmsPerComponent);
  });
});
