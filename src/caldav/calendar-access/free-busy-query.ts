import { eachCooperatively } from '../../app/cooperative-work.ts';
import { isTransparent } from '../../domain/ical/read-event-fields.ts';
import { DavError } from '../dav-error.ts';
import type { DavContext, DavResponse, Resource } from '../module.ts';
import { CALDAV } from '../xml/names.ts';
import { childNamed, type XmlElement } from '../xml/parse-xml.ts';
import { floatingTimeZoneFor } from './floating-time-zone.ts';
import { readTimeRange } from './time-range-attribute.ts';

/**
 * RFC 4791 §7.10: a VFREEBUSY for the range from the calendar's events. Transparent and cancelled
 * events are free; tentative ones are BUSY-TENTATIVE. Periods are clipped to the range.
 */
export async function freeBusyQuery(
  ctx: DavContext,
  report: XmlElement,
  resource: Resource,
): Promise<DavResponse> {
  if (resource.kind !== 'calendar') throw new DavError(403, 'free-busy-query applies to calendars.');
  const rangeElement = childNamed(report, CALDAV.timeRange);
  if (!rangeElement) throw new DavError(400, 'A free-busy-query needs a CALDAV:time-range.');
  const range = readTimeRange(rangeElement, { requireBoth: true }) as { start: Date; end: Date };
  const calendar = resource.calendar;
  const floatingTimeZone = floatingTimeZoneFor(calendar);
  const rows = await ctx.services.caldav.listObjectsInRange(calendar, range);
  const periods: string[] = [];
  let budget = ctx.limits.maxInstances;
  const { complete } = await eachCooperatively(
    rows,
    (row) => {
      if (row.componentType !== 'VEVENT' || budget <= 0) return;
      try {
        if (isTransparent(row.ical)) return;
        const expansion = ctx.services.occurrences.expand(row, range, {
          maxInstances: budget,
          floatingTimeZone,
        });
        for (const occurrence of expansion.occurrences) {
          if (occurrence.status === 'CANCELLED') continue;
          budget--;
          const type = occurrence.status === 'TENTATIVE' ? 'BUSY-TENTATIVE' : 'BUSY';
          const start = Math.max(occurrence.start.getTime(), range.start.getTime());
          const end = Math.min(occurrence.end.getTime(), range.end.getTime());
          if (end > start)
            periods.push(`FREEBUSY;FBTYPE=${type}:${utc(new Date(start))}/${utc(new Date(end))}`);
        }
      } catch (error) {
        ctx.logger.warn({ err: error, objectId: row.id }, 'free-busy-query skipped an unreadable object');
      }
    },
    ctx.work,
  );
  // RFC 4791 §7.10 has no way to say "partial": an answer that ran out of budget is refused instead.
  if (!complete)
    throw new DavError(
      503,
      'This free-busy range needs more work than one request may take; ask for a shorter range.',
      { headers: { 'retry-after': '60' } },
    );
  periods.sort();
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Televent//Televent//EN',
    'BEGIN:VFREEBUSY',
    `DTSTAMP:${utc(new Date())}`,
    `DTSTART:${utc(range.start)}`,
    `DTEND:${utc(range.end)}`,
    ...periods,
    'END:VFREEBUSY',
    'END:VCALENDAR',
    '',
  ];
  return {
    status: 200,
    headers: { 'content-type': 'text/calendar; charset=utf-8' },
    body: lines.join('\r\n'),
  };
}

function utc(date: Date): string {
  return `${date.toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`;
}
