import { InvalidCalendarData } from '../errors.ts';

/** An iCalendar document cut into its VCALENDAR's own property lines and one text per component. */
export type CalendarPieces = { properties: string[]; components: string[] };

const begin = /^BEGIN:([A-Za-z0-9-]+)$/i;
const end = /^END:([A-Za-z0-9-]+)$/i;

/**
 * Cuts a whole .ics document into its top-level components without parsing their values, so a large
 * import can be parsed one component at a time with pauses in between instead of in one long call.
 * Several VCALENDARs one after another (some exports concatenate them) are read as one.
 */
export function splitCalendarText(text: string): CalendarPieces {
  // RFC 5545 §3.1: a line starting with a space or tab continues the one before.
  const lines = text.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
  const properties: string[] = [];
  const components: string[] = [];
  const names: string[] = [];
  let current: string[] = [];
  for (const line of lines) {
    if (line === '' && names.length === 0) continue;
    const opening = begin.exec(line);
    const closing = opening ? null : end.exec(line);
    if (names.length === 0) {
      if (opening?.[1]?.toUpperCase() !== 'VCALENDAR') {
        throw new InvalidCalendarData('not-vcalendar', 'the document does not start with BEGIN:VCALENDAR');
      }
      names.push('VCALENDAR');
      continue;
    }
    if (opening) {
      names.push(opening[1]?.toUpperCase() ?? '');
    } else if (closing) {
      if (closing[1]?.toUpperCase() !== names.at(-1)) {
        throw new InvalidCalendarData('unparsable', `END:${closing[1]} does not close BEGIN:${names.at(-1)}`);
      }
      names.pop();
      if (names.length === 0) continue;
      if (names.length === 1) {
        current.push(line);
        components.push(current.join('\r\n'));
        current = [];
        continue;
      }
    }
    if (names.length === 1 && !opening) properties.push(line);
    else current.push(line);
  }
  if (names.length > 0) throw new InvalidCalendarData('unparsable', `BEGIN:${names.at(-1)} is never closed`);
  return { properties, components };
}
