import type { CaldavModule } from '../module.ts';
import { homeHref, principalHref } from '../resource-path.ts';
import { el } from '../xml/build-xml.ts';
import { CALDAV, DAV } from '../xml/names.ts';

/**
 * RFC 4791 §6.2.1 calendar-home-set and RFC 6638 §2.4.1 calendar-user-address-set on the principal.
 * The home set is also answered on `/`: DAVx5 and macOS ask the URL the user typed first.
 */
export const discoveryModule: CaldavModule = {
  name: 'discovery',
  properties: {
    [CALDAV.calendarHomeSet]: {
      appliesTo: ['root', 'principal'],
      get: (_resource, context) => [el(DAV.href, homeHref(context.userId))],
    },
    [CALDAV.calendarUserAddressSet]: {
      appliesTo: ['principal'],
      // Telegram users have no e-mail address here; the principal URL is a valid address (RFC 6638 §2.4.1).
      get: (_resource, context) => [el(DAV.href, principalHref(context.userId))],
    },
  },
};
