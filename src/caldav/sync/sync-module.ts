import type { CaldavModule } from '../module.ts';
import { DAV } from '../xml/names.ts';
import { syncCollection } from './sync-collection.ts';
import { formatSyncToken } from './sync-token.ts';

/** RFC 6578 collection synchronization. */
export const syncModule: CaldavModule = {
  name: 'sync',
  reports: { [DAV.syncCollection]: syncCollection },
  reportsApplyTo: { [DAV.syncCollection]: ['calendar'] },
  properties: {
    [DAV.syncToken]: {
      appliesTo: ['calendar'],
      get: (resource) =>
        resource.kind === 'calendar'
          ? formatSyncToken(resource.calendar.id, resource.calendar.syncRevision)
          : null,
    },
  },
};
