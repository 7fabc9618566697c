import type { CaldavModule } from '../module.ts';
import { CALDAV } from '../xml/names.ts';
import { calendarMultiget } from './calendar-multiget.ts';
import { calendarQuery } from './calendar-query.ts';
import { freeBusyQuery } from './free-busy-query.ts';
import { mkcalendar } from './mkcalendar.ts';
import { calendarAccessProperties } from './properties.ts';

/** RFC 4791 calendar-access. */
export const calendarAccessModule: CaldavModule = {
  name: 'calendar-access',
  davFeatures: ['calendar-access'],
  methods: { MKCALENDAR: mkcalendar, MKCOL: mkcalendar },
  reports: {
    [CALDAV.calendarQuery]: calendarQuery,
    [CALDAV.calendarMultiget]: calendarMultiget,
    [CALDAV.freeBusyQuery]: freeBusyQuery,
  },
  reportsApplyTo: {
    [CALDAV.calendarQuery]: ['calendar', 'object'],
    [CALDAV.calendarMultiget]: ['calendar'],
    [CALDAV.freeBusyQuery]: ['calendar'],
  },
  properties: calendarAccessProperties,
};
