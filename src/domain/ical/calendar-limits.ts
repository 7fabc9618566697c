import ICAL from 'ical.js';
import { InvalidCalendarData } from '../errors.ts';
import { daysInMonth } from '../time/calendar-date.ts';

/**
 * What one calendar object resource may hold. Each bound is far above what calendar apps write
 * (the README's "Limits" table gives the reasoning) and is checked on the parsed
 * structure before anything costly runs: time zone lookups, recurrence walks, alarm planning.
 */
export const calendarLimits = {
  /** VEVENT/VTODO/VJOURNAL components: a master and its RECURRENCE-ID overrides (a daily meeting
   * moved now and then over years has hundreds). */
  components: 3_000,
  /** Properties in the whole object, every component counted. */
  properties: 20_000,
  /** VALARMs in one component (Apple and Thunderbird offer two or three). */
  alarmsPerComponent: 32,
  /** RRULEs in one component (RFC 5545 §3.8.5.3: it SHOULD NOT occur more than once). */
  rulesPerComponent: 4,
  /** RDATE and EXDATE values in one component: explicit instances, like RFC 4791 max-instances. */
  datesPerComponent: 3_000,
  /** Distinct TZIDs the object refers to (an event in two zones uses two). */
  tzids: 16,
  /** VTIMEZONE components in the object. */
  timeZones: 16,
  /** STANDARD and DAYLIGHT observances in one VTIMEZONE (full-history zones have a few hundred). */
  observances: 500,
  /** Offset changes one VTIMEZONE defines up to `transitionHorizonYear`. */
  transitions: 4_000,
  transitionHorizonYear: 2100,
  /** Longest DURATION of an event or RDATE period: ten years. */
  durationSeconds: 3_660 * 86_400,
  /** Furthest a VALARM may fire from its event: one year. */
  triggerSeconds: 366 * 86_400,
} as const;

/**
 * RFC 5545 §3.3.10 allows SECONDLY and MINUTELY, but no calendar app offers them and a rule that fires
 * every second is 31 million instances a year: new data may recur at most hourly.
 */
export const refusedFrequencies: ReadonlySet<string> = new Set(['SECONDLY', 'MINUTELY']);

/**
 * RFC 5545 §3.1 / §3.3.11: a CONTROL character other than HTAB, CR and LF, which no text value may
 * hold (line breaks are written escaped). The one definition every door's text check uses.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: this pattern exists to find control characters
export const textControlCharacter = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// In raw iCalendar text a CR may stand only in a CRLF line end.
const controlCharacter = new RegExp(`${textControlCharacter.source}|\\r(?!\\n)`);

/**
 * Refuses text holding NUL, other control characters or a lone CR: ical.js would keep them inside
 * values, and they would be stored and sent to every client raw.
 */
export function checkCharacters(text: string): void {
  const match = controlCharacter.exec(text);
  if (match) {
    const code = match[0].charCodeAt(0).toString(16).padStart(4, '0');
    throw new InvalidCalendarData('invalid-value', `control character U+${code} in the data`);
  }
}

function limitExceeded(what: string, limit: number): InvalidCalendarData {
  return new InvalidCalendarData('limit-exceeded', `more than ${limit} ${what}`);
}

/** The structural bounds above, on a parsed root, before any value is decoded. */
export function checkStructure(root: ICAL.Component): void {
  let properties = root.getAllProperties().length;
  let components = 0;
  let timeZones = 0;
  for (const component of root.getAllSubcomponents()) {
    properties += component.getAllProperties().length;
    if (component.name === 'vtimezone') {
      if (++timeZones > calendarLimits.timeZones) throw limitExceeded('VTIMEZONEs', calendarLimits.timeZones);
      const observances = component.getAllSubcomponents();
      if (observances.length > calendarLimits.observances) {
        throw limitExceeded('observances in one VTIMEZONE', calendarLimits.observances);
      }
      for (const observance of observances) properties += observance.getAllProperties().length;
      continue;
    }
    if (++components > calendarLimits.components) {
      throw new InvalidCalendarData(
        'too-many-instances',
        `more than ${calendarLimits.components} components in one object`,
      );
    }
    const alarms = component.getAllSubcomponents('valarm');
    if (alarms.length > calendarLimits.alarmsPerComponent) {
      throw limitExceeded('VALARMs in one component', calendarLimits.alarmsPerComponent);
    }
    for (const child of component.getAllSubcomponents()) properties += child.getAllProperties().length;
    if (component.getAllProperties('rrule').length > calendarLimits.rulesPerComponent) {
      throw limitExceeded('RRULEs in one component', calendarLimits.rulesPerComponent);
    }
    let dates = 0;
    for (const name of ['rdate', 'exdate']) {
      // jCal keeps one value per element after the name, parameters and type.
      for (const property of component.getAllProperties(name)) dates += Math.max(1, property.jCal.length - 3);
    }
    if (dates > calendarLimits.datesPerComponent) {
      throw new InvalidCalendarData(
        'too-many-instances',
        `more than ${calendarLimits.datesPerComponent} RDATE and EXDATE values in one component`,
      );
    }
    if (properties > calendarLimits.properties) break;
  }
  if (properties > calendarLimits.properties) throw limitExceeded('properties', calendarLimits.properties);
}

/** Distinct TZIDs within bounds; checked before any of them is looked up. */
export function checkTzidCount(tzids: ReadonlySet<string>): void {
  if (tzids.size > calendarLimits.tzids) throw limitExceeded('distinct TZIDs', calendarLimits.tzids);
}

const datePattern = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?Z?)?$/;

/** ical.js reads 2026-13-01 as January 2027; RFC 5545 §3.3.4/§3.3.5 allow only real calendar dates. */
function checkDateText(value: string, property: string): void {
  const m = datePattern.exec(value);
  if (!m) return;
  const [year, month, day, hour, minute, second] = m.slice(1).map((part) => Number(part ?? 0)) as number[];
  const valid =
    month !== undefined &&
    month >= 1 &&
    month <= 12 &&
    day !== undefined &&
    day >= 1 &&
    day <= daysInMonth(year ?? 0, month) &&
    (hour ?? 0) <= 23 &&
    (minute ?? 0) <= 59 &&
    // RFC 5545 §3.3.12: 60 only for a leap second.
    (second ?? 0) <= 60;
  if (!valid)
    throw new InvalidCalendarData('invalid-value', `${property.toUpperCase()} ${value} is not a date`);
}

function checkDurationText(value: string, property: string, limitSeconds: number): void {
  let seconds: number;
  try {
    seconds = ICAL.Duration.fromString(value).toSeconds();
  } catch {
    return;
  }
  if (!Number.isFinite(seconds) || Math.abs(seconds) > limitSeconds) {
    throw new InvalidCalendarData(
      'limit-exceeded',
      `${property.toUpperCase()} ${value.slice(0, 40)} is longer than ${Math.round(limitSeconds / 86_400)} days`,
    );
  }
}

/**
 * Dates, durations and recurrence rules of new data, read from the jCal text values before ical.js
 * decodes (and normalises) them. `inTimeZone` marks observances, whose rules may only be yearly.
 */
export function checkValues(root: ICAL.Component): void {
  const stack: Array<{ component: ICAL.Component; parent: string | null }> = [
    { component: root, parent: null },
  ];
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    const { component, parent } = entry;
    const observance = parent === 'vtimezone';
    for (const property of component.getAllProperties()) {
      const [name, , type, ...values] = property.jCal as [string, unknown, string, ...unknown[]];
      for (const value of values) {
        if (type === 'date' || type === 'date-time') {
          if (typeof value === 'string') checkDateText(value, name);
        } else if (type === 'period' && Array.isArray(value)) {
          for (const part of value) {
            if (typeof part !== 'string') continue;
            if (part.startsWith('P') || part.startsWith('-P') || part.startsWith('+P')) {
              checkDurationText(part, name, calendarLimits.durationSeconds);
            } else {
              checkDateText(part, name);
            }
          }
        } else if (type === 'duration' && typeof value === 'string') {
          const limit = name === 'trigger' ? calendarLimits.triggerSeconds : calendarLimits.durationSeconds;
          checkDurationText(value, name, limit);
        } else if (type === 'recur' && value && typeof value === 'object') {
          checkRule(value as Record<string, unknown>, observance);
        }
      }
    }
    for (const child of component.getAllSubcomponents()) {
      stack.push({ component: child, parent: component.name });
    }
  }
}

function checkRule(rule: Record<string, unknown>, observance: boolean): void {
  const freq = typeof rule.freq === 'string' ? rule.freq.toUpperCase() : '';
  if (observance && freq !== 'YEARLY') {
    // RFC 5545 §3.6.5: every example, and every zone generated from tzdata, changes offset yearly.
    throw new InvalidCalendarData('limit-exceeded', `a VTIMEZONE rule must be FREQ=YEARLY, not ${freq}`);
  }
  if (refusedFrequencies.has(freq)) {
    throw new InvalidCalendarData(
      'limit-exceeded',
      `FREQ=${freq} is finer than a calendar needs; use HOURLY or longer`,
    );
  }
  if (typeof rule.until === 'string') checkDateText(rule.until, 'until');
}

/**
 * RFC 5545 §3.3.10: INTERVAL is a positive integer. ical.js reads INTERVAL=0 as 1, so the rule text
 * itself is checked. `lines` are the unfolded content lines.
 */
export function checkRuleText(text: string): void {
  const unfolded = text.replace(/\r?\n[ \t]/g, '');
  const rule = /^(?:RRULE|EXRULE)(?:;[^:\r\n]*)?:([^\r\n]*)/gim;
  for (let m = rule.exec(unfolded); m; m = rule.exec(unfolded)) {
    const interval = /(?:^|;)INTERVAL=([^;]*)/i.exec(m[1] ?? '');
    if (interval && !/^0*[1-9]\d{0,8}$/.test(interval[1] ?? '')) {
      throw new InvalidCalendarData(
        'invalid-recurrence',
        `INTERVAL=${interval[1]?.slice(0, 12)} is not a positive number`,
      );
    }
  }
}
