import type { CaldavModule } from '../module.ts';
import { scheduleInboxHref, scheduleOutboxHref } from '../resource-path.ts';
import { el } from '../xml/build-xml.ts';
import { CALDAV, DAV } from '../xml/names.ts';

/**
 * RFC 6638 scheduling, as far as clients look for it: `calendar-auto-schedule` in the DAV header
 * says the server invites, updates and cancels attendees itself (app/invitations.ts), so a calendar
 * app stores an event with ATTENDEEs and sends no mail of its own; the principal names its
 * scheduling inbox and outbox (§2.2, §2.1), which exist and are empty: answers land directly in
 * the organizer's event and invitations reach people in Telegram, not as inbox items.
 */
export const schedulingModule: CaldavModule = {
  name: 'scheduling',
  davFeatures: ['calendar-auto-schedule'],
  properties: {
    [CALDAV.scheduleInboxUrl]: {
      appliesTo: ['principal'],
      get: (_resource, context) => [el(DAV.href, scheduleInboxHref(context.userId))],
    },
    [CALDAV.scheduleOutboxUrl]: {
      appliesTo: ['principal'],
      get: (_resource, context) => [el(DAV.href, scheduleOutboxHref(context.userId))],
    },
  },
};
