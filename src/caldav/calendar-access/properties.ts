import { ianaNameForTzid, vtimezoneFor } from '../../domain/time/time-zone.ts';
import { DavError } from '../dav-error.ts';
import type { PropertyDef } from '../module.ts';
import { el } from '../xml/build-xml.ts';
import { CALDAV, type ClarkName } from '../xml/names.ts';

/** RFC 4791 §5.2 calendar collection properties. */
export const calendarAccessProperties: Readonly<Partial<Record<ClarkName, PropertyDef>>> = {
  [CALDAV.calendarDescription]: {
    appliesTo: ['calendar'],
    inAllprop: true,
    get: (resource) => (resource.kind === 'calendar' ? resource.calendar.description : null),
    set: (value, patch) => {
      if (value.text.length > 2000) {
        throw new DavError(403, 'A calendar description has at most 2000 characters.');
      }
      patch.description = value.text;
    },
    remove: (patch) => {
      patch.description = null;
    },
  },
  // §5.2.2: a VCALENDAR holding one VTIMEZONE. We keep the IANA name and write the VTIMEZONE from
  // tzdata, so the zone stays current (docs/caldav-client-quirks.md#tzid-with-vtimezone).
  [CALDAV.calendarTimezone]: {
    appliesTo: ['calendar'],
    get: (resource) => {
      if (resource.kind !== 'calendar' || !resource.calendar.timeZone) return null;
      const vtimezone = vtimezoneFor(resource.calendar.timeZone);
      if (!vtimezone) return null;
      const block = vtimezone.replace(/\r?\n/g, '\r\n').replace(/(\r\n)?$/, '\r\n');
      return `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Televent//Televent//EN\r\n${block}END:VCALENDAR\r\n`;
    },
    set: (value, patch) => {
      const tzid = /^TZID:(.+)$/m.exec(value.text.replace(/\r/g, ''))?.[1]?.trim();
      const iana = tzid ? ianaNameForTzid(tzid) : null;
      if (!iana) {
        throw new DavError(
          403,
          'calendar-timezone must be a VCALENDAR with a VTIMEZONE of a known IANA zone.',
          {
            precondition: CALDAV.validCalendarData,
          },
        );
      }
      patch.timeZone = iana;
    },
    remove: (patch) => {
      patch.timeZone = null;
    },
  },
  [CALDAV.supportedCalendarComponentSet]: {
    appliesTo: ['calendar'],
    get: (resource) =>
      resource.kind === 'calendar'
        ? resource.calendar.components.map((name) => el(CALDAV.comp, [], { name }))
        : null,
  },
  [CALDAV.supportedCalendarData]: {
    appliesTo: ['calendar'],
    get: () => [el(CALDAV.calendarData, [], { 'content-type': 'text/calendar', version: '2.0' })],
  },
  [CALDAV.maxResourceSize]: {
    appliesTo: ['calendar'],
    get: (_resource, context) => String(context.limits.maxResourceSize),
  },
};
