import { televentAddress } from '../../app/invitations.ts';
import type { CaldavModule } from '../module.ts';
import { homeHref, principalHref } from '../resource-path.ts';
import { el } from '../xml/build-xml.ts';
import { CALDAV, DAV } from '../xml/names.ts';

/**
 * RFC 4791 §6.2.1 calendar-home-set and RFC 6638 §2.4.1 calendar-user-address-set on the principal
 * (the addresses invitations.ts recognises as this user).
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
      // RFC 6638 §2.4.1, preferred first: the Televent address (a calendar app writes it as ORGANIZER
      // of the events it invites people to), the address the user gave /email, the principal URL.
      get: (resource, context) => [
        el(DAV.href, televentAddress(context.userId)),
        ...(resource.kind === 'principal' && resource.user.email
          ? [el(DAV.href, `mailto:${resource.user.email}`)]
          : []),
        el(DAV.href, principalHref(context.userId)),
      ],
    },
  },
};
