import type { OccurrenceCache } from '../../app/occurrence-cache.ts';
import {
  type CalendarDataRequest,
  type ComponentSelection,
  calendarDataView,
} from '../../domain/ical/calendar-data-view.ts';
import type { DynamicProperty } from '../core/property-request.ts';
import { CALDAV } from '../xml/names.ts';
import { childNamed, childrenNamed, type XmlElement } from '../xml/parse-xml.ts';
import { readTimeRange } from './time-range-attribute.ts';

export interface CalendarDataOptions {
  /** Zone for floating times (RFC 4791 §9.6.5; docs/caldav-client-quirks.md#floating-times). */
  floatingTimeZone: string;
  maxInstances: number;
  /** The process's occurrence timelines (AppServices.occurrences). */
  cache: OccurrenceCache;
}

/**
 * RFC 4791 §9.6 calendar-data in a report: the request element is read here, the object rendered by
 * domain/ical/calendar-data-view.ts (the stored text byte for byte when nothing modifies it).
 */
export function calendarDataProperty(options: CalendarDataOptions): DynamicProperty {
  return (resource, request) => {
    if (resource.kind !== 'object') return null;
    const text = resource.object.ical;
    if (text === undefined) return null;
    const stored = { ical: text, etag: resource.object.etag };
    return calendarDataView(text, readCalendarDataRequest(request), {
      floatingTimeZone: options.floatingTimeZone,
      maxInstances: options.maxInstances,
      occurrences: (range, maxInstances) =>
        options.cache.expand(stored, range, { maxInstances, floatingTimeZone: options.floatingTimeZone })
          .occurrences,
    });
  };
}

function readCalendarDataRequest(element: XmlElement): CalendarDataRequest {
  const expand = childNamed(element, CALDAV.expand);
  const limit = childNamed(element, CALDAV.limitRecurrenceSet);
  const comp = childNamed(element, CALDAV.comp);
  const closed = (range: XmlElement) =>
    readTimeRange(range, { requireBoth: true }) as { start: Date; end: Date };
  return {
    ...(expand ? { expand: closed(expand) } : {}),
    ...(limit ? { limitRecurrenceSet: closed(limit) } : {}),
    ...(comp ? { select: readSelection(comp) } : {}),
  };
}

/** RFC 4791 §9.6.1–9.6.4: CALDAV:comp with its prop/allprop and comp/allcomp children. */
function readSelection(comp: XmlElement): ComponentSelection {
  const properties = childNamed(comp, CALDAV.allprop)
    ? null
    : new Set(childrenNamed(comp, CALDAV.prop).map((p) => (p.attributes.name ?? '').toLowerCase()));
  const components = childNamed(comp, CALDAV.allcomp)
    ? null
    : new Map(
        childrenNamed(comp, CALDAV.comp).map((c) => [
          (c.attributes.name ?? '').toLowerCase(),
          readSelection(c),
        ]),
      );
  return { properties, components };
}
