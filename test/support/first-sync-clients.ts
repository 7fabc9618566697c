// What calendar apps send for a first sync of one calendar, replayed over HTTP by
// test/integration/caldav/rate-limit.test.ts and `npm run bench:first-sync`: DAVx5 lists ETags with
// sync-collection and multigets 10 hrefs at a time (docs/caldav-client-quirks.md#davx5-multiget-etags);
// Evolution lists with two calendar-queries and multigets 100 at a time.

/** One CalDAV request as the signed-in user, over real HTTP. */
export type DavRequest = (method: string, path: string, body: string, depth: string) => Promise<Response>;

/** Every status one client was answered, and the href names it received calendar-data for. */
export interface FirstSync {
  statuses: number[];
  fetched: Set<string>;
}

/** DAVx5's PROPFINDs before it syncs: `/`, the principal, the home (Depth 1), the calendar (Depth 0). */
const davx5Discovery = 4;

/** Requests DAVx5 makes for a first sync of one calendar of `n` objects. */
export function davx5FirstSyncRequests(n: number): number {
  return davx5Discovery + 1 + Math.ceil(n / 10); // + one sync-collection + multigets of 10
}

const namespaces =
  'xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:cs="http://calendarserver.org/ns/"';
const propfind = (props: string) =>
  `<?xml version="1.0" encoding="utf-8"?><d:propfind ${namespaces}><d:prop>${props}</d:prop></d:propfind>`;
const multiget = (hrefs: readonly string[]) =>
  `<?xml version="1.0"?><c:calendar-multiget ${namespaces}><d:prop><d:getetag/><c:calendar-data/></d:prop>${hrefs.map((href) => `<d:href>${href}</d:href>`).join('')}</c:calendar-multiget>`;
const calendarQuery = (timeRange: string) =>
  `<?xml version="1.0"?><c:calendar-query ${namespaces}><d:prop><d:getetag/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT">${timeRange}</c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`;

const hrefsIn = (body: string) =>
  [...body.matchAll(/<d:href>([^<]+\.ics)<\/d:href>/g)].map((m) => m[1] ?? '');

function recorder(dav: DavRequest) {
  const sync: FirstSync = { statuses: [], fetched: new Set() };
  const step = async (method: string, path: string, body: string, depth: string) => {
    const response = await dav(method, path, body, depth);
    const text = await response.text();
    sync.statuses.push(response.status);
    for (const match of text.matchAll(/<d:href>([^<]+\.ics)<\/d:href>[\s\S]*?<\/d:response>/g)) {
      if (match[0].includes('calendar-data')) sync.fetched.add(match[1]?.split('/').pop() ?? '');
    }
    return text;
  };
  return { sync, step };
}

/** DAVx5 (bitfireAT/davx5-ose DavResourceFinder, SyncManager): discovery, sync-collection, multigets of 10. */
export async function davx5FirstSync(dav: DavRequest, userId: number, slug = 'default'): Promise<FirstSync> {
  const { sync, step } = recorder(dav);
  await step('PROPFIND', '/', propfind('<d:current-user-principal/>'), '0');
  await step('PROPFIND', `/principals/${userId}/`, propfind('<c:calendar-home-set/>'), '0');
  const home = `/calendars/${userId}/`;
  await step(
    'PROPFIND',
    home,
    propfind('<d:resourcetype/><d:displayname/><d:current-user-privilege-set/>'),
    '1',
  );
  const calendar = `${home}${slug}/`;
  await step('PROPFIND', calendar, propfind('<d:supported-report-set/><cs:getctag/><d:sync-token/>'), '0');
  const listing = await step(
    'REPORT',
    calendar,
    '<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:"><d:sync-token/><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>',
    '1',
  );
  const hrefs = hrefsIn(listing);
  for (let i = 0; i < hrefs.length; i += 10)
    await step('REPORT', calendar, multiget(hrefs.slice(i, i + 10)), '1');
  return sync;
}

/** Evolution (evolution-data-server's CalDAV backend): getctag, a ±weeks query, the full query, multigets of 100. */
export async function evolutionFirstSync(
  dav: DavRequest,
  userId: number,
  slug = 'default',
): Promise<FirstSync> {
  const { sync, step } = recorder(dav);
  const calendar = `/calendars/${userId}/${slug}/`;
  await step('PROPFIND', calendar, propfind('<cs:getctag/>'), '0');
  await step(
    'REPORT',
    calendar,
    calendarQuery('<c:time-range start="20260301T000000Z" end="20260415T000000Z"/>'),
    '1',
  );
  const hrefs = hrefsIn(await step('REPORT', calendar, calendarQuery(''), '1'));
  for (let i = 0; i < hrefs.length; i += 100)
    await step('REPORT', calendar, multiget(hrefs.slice(i, i + 100)), '1');
  return sync;
}
