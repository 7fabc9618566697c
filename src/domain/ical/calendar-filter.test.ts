import { describe, expect, it } from 'vitest';
import { type CompFilter, matchesFilter } from './calendar-filter.ts';

// RFC 4791 §9.9's VTODO table and §9.7 filters, as task clients use them.

function calendar(...components: string[][]): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN'];
  for (const component of components) lines.push(...component);
  lines.push('END:VCALENDAR', '');
  return lines.join('\r\n');
}

function vtodo(...props: string[]): string[] {
  return ['BEGIN:VTODO', 'UID:task-1', 'DTSTAMP:20260101T000000Z', ...props, 'END:VTODO'];
}

function todoFilter(todo: Partial<CompFilter>): CompFilter {
  return {
    name: 'VCALENDAR',
    isNotDefined: false,
    props: [],
    comps: [{ name: 'VTODO', isNotDefined: false, props: [], comps: [], ...todo }],
  };
}

const options = { floatingTimeZone: 'UTC', maxInstances: 100 };
const inRange = (text: string, start: string, end: string, floatingTimeZone = 'UTC') =>
  matchesFilter(
    text,
    todoFilter({ timeRange: { start: new Date(start), end: new Date(end) } }),
    { ...options, floatingTimeZone },
    'VTODO',
  );

describe('matchesFilter: VTODO time ranges (RFC 4791 §9.9)', () => {
  it('matches a task with only DUE when the range ends at or after it', () => {
    const text = calendar(vtodo('DUE:20260312T120000Z'));
    expect(inRange(text, '2026-03-12T00:00:00Z', '2026-03-12T12:00:00Z')).toBe(true);
    expect(inRange(text, '2026-03-12T12:00:00Z', '2026-03-13T00:00:00Z')).toBe(false);
  });

  it('matches a task without any date in every range, one with only CREATED from then on', () => {
    expect(inRange(calendar(vtodo('SUMMARY:Someday')), '1990-01-01T00:00:00Z', '1990-01-02T00:00:00Z')).toBe(
      true,
    );
    const created = calendar(vtodo('CREATED:20260401T000000Z'));
    expect(inRange(created, '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z')).toBe(false);
    expect(inRange(created, '2026-03-01T00:00:00Z', '2026-04-01T00:00:01Z')).toBe(true);
  });

  it('reads a floating DUE in the calendar zone', () => {
    const text = calendar(vtodo('DUE:20260312T233000'));
    // 23:30 in New York is 03:30 UTC the next day.
    expect(inRange(text, '2026-03-13T00:00:00Z', '2026-03-14T00:00:00Z', 'America/New_York')).toBe(true);
    expect(inRange(text, '2026-03-13T00:00:00Z', '2026-03-14T00:00:00Z', 'UTC')).toBe(false);
  });

  it('matches a recurring task by its instances: an excluded first one does not count', () => {
    const text = calendar(
      vtodo(
        'DTSTART:20260302T090000Z',
        'DUE:20260302T100000Z',
        'RRULE:FREQ=WEEKLY;COUNT=3',
        'EXDATE:20260302T090000Z',
      ),
    );
    expect(inRange(text, '2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z')).toBe(false);
    expect(inRange(text, '2026-03-09T00:00:00Z', '2026-03-10T00:00:00Z')).toBe(true);
    expect(inRange(text, '2026-03-23T00:00:00Z', '2026-03-24T00:00:00Z')).toBe(false);
  });

  it('answers endless daily and hourly tasks decades ahead', () => {
    const daily = calendar(vtodo('DTSTART:20260302T090000Z', 'DUE:20260302T100000Z', 'RRULE:FREQ=DAILY'));
    expect(inRange(daily, '2090-01-01T09:30:00Z', '2090-01-01T09:40:00Z')).toBe(true);
    expect(inRange(daily, '2090-01-01T11:00:00Z', '2090-01-01T12:00:00Z')).toBe(false);
    const hourly = calendar(vtodo('DTSTART:20260302T090000Z', 'RRULE:FREQ=HOURLY'));
    expect(inRange(hourly, '2190-01-01T04:30:00Z', '2190-01-01T05:30:00Z')).toBe(true);
    expect(inRange(hourly, '2190-01-01T04:30:00Z', '2190-01-01T04:50:00Z')).toBe(false);
  });
});

describe('matchesFilter: open tasks (RFC 4791 §7.8.9)', () => {
  const open = todoFilter({
    props: [
      { name: 'COMPLETED', isNotDefined: true, params: [] },
      {
        name: 'STATUS',
        isNotDefined: false,
        textMatch: { value: 'CANCELLED', caseless: true, negate: true },
        params: [],
      },
    ],
  });

  it('keeps open tasks and drops completed and cancelled ones', () => {
    expect(matchesFilter(calendar(vtodo('STATUS:NEEDS-ACTION')), open, options, 'VTODO')).toBe(true);
    expect(
      matchesFilter(
        calendar(vtodo('STATUS:COMPLETED', 'COMPLETED:20260301T000000Z')),
        open,
        options,
        'VTODO',
      ),
    ).toBe(false);
    expect(matchesFilter(calendar(vtodo('STATUS:CANCELLED')), open, options, 'VTODO')).toBe(false);
  });

  it('needs STATUS for a text-match on it (§9.7.2), negated or not', () => {
    expect(matchesFilter(calendar(vtodo('SUMMARY:No status')), open, options, 'VTODO')).toBe(false);
  });
});
