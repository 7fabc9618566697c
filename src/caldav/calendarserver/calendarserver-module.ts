import { DavError } from '../dav-error.ts';
import type { CaldavModule } from '../module.ts';
import { CS, ICAL } from '../xml/names.ts';

// Apple writes #RRGGBBAA, DAVx5 #RRGGBB; both are stored exactly as sent
// (docs/caldav-client-quirks.md#calendar-colours).
const colorPattern = /^#[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?$/;

/**
 * calendarserver.org and Apple iCal extensions: getctag (caldav-ctag-03) changes whenever a member
 * changes, because it is the sync revision that every write from every door bumps in its own
 * transaction (docs/caldav-client-quirks.md#ctag-on-every-write); calendar-color and
 * calendar-order persist on the calendar.
 */
export const calendarserverModule: CaldavModule = {
  name: 'calendarserver',
  properties: {
    [CS.getctag]: {
      appliesTo: ['calendar'],
      inAllprop: true,
      get: (resource) => (resource.kind === 'calendar' ? `"${resource.calendar.syncRevision}"` : null),
    },
    [ICAL.calendarColor]: {
      appliesTo: ['calendar'],
      inAllprop: true,
      get: (resource) => (resource.kind === 'calendar' ? resource.calendar.color : null),
      set: (value, patch) => {
        const color = value.text.trim();
        if (!colorPattern.test(color)) throw new DavError(409, 'A calendar colour is #RRGGBB or #RRGGBBAA.');
        patch.color = color;
      },
      remove: (patch) => {
        patch.color = null;
      },
    },
    [ICAL.calendarOrder]: {
      appliesTo: ['calendar'],
      inAllprop: true,
      get: (resource) =>
        resource.kind === 'calendar' && resource.calendar.order !== null
          ? String(resource.calendar.order)
          : null,
      set: (value, patch) => {
        const order = Number(value.text.trim());
        if (!/^-?[0-9]{1,9}$/.test(value.text.trim()) || !Number.isSafeInteger(order)) {
          throw new DavError(409, 'calendar-order is a whole number.');
        }
        patch.order = order;
      },
      remove: (patch) => {
        patch.order = null;
      },
    },
  },
};
