import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseXml, type XmlElement } from '../../src/caldav/xml/parse-xml.ts';
import { testEngine } from '../support/test-database.ts';
import { type RunningCaldavServer, startCaldavServer } from './support/start-caldav-server.ts';

// Request sequences of real clients, following docs/caldav-client-quirks.md (what each one sends, in order).

const D =
  'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CS="http://calendarserver.org/ns/" xmlns:I="http://apple.com/ns/ical/"';

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  xml(): XmlElement;
  /** Status of every property in every response, as "href {ns}name" → "200". */
  propStatus(): Map<string, string>;
  hrefs(): string[];
  prop(name: string): XmlElement | undefined;
}

function ics(uid: string, summary: string, start = '20260310T090000Z', end = '20260310T100000Z'): string {
  return `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Client//EN\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:${start}\r\nDTEND:${end}\r\nSUMMARY:${summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
}

describe(`Real-client request sequences [${testEngine}]`, () => {
  let server: RunningCaldavServer;
  let auth: string;

  beforeAll(async () => {
    server = await startCaldavServer();
    auth = `Basic ${Buffer.from(`${server.user.id}:${server.user.password}`).toString('base64')}`;
  });
  afterAll(async () => {
    await server.close();
  });

  async function send(
    method: string,
    path: string,
    options: { body?: string; headers?: Record<string, string>; anonymous?: boolean } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    if (!options.anonymous) headers.authorization = auth;
    if (options.body !== undefined && !headers['content-type']) {
      headers['content-type'] = options.body.startsWith('BEGIN:')
        ? 'text/calendar; charset=utf-8'
        : 'application/xml; charset=utf-8';
    }
    const response = await fetch(`${server.baseUrl}${path}`, {
      method,
      headers,
      redirect: 'manual',
      ...(options.body === undefined ? {} : { body: options.body }),
    });
    const text = await response.text();
    const xml = () => parseXml(text);
    const responses = () => xml().children.filter((c) => c.name === '{DAV:}response');
    return {
      status: response.status,
      headers: response.headers,
      text,
      xml,
      hrefs: () => responses().map((r) => r.children.find((c) => c.name === '{DAV:}href')?.text ?? ''),
      propStatus: () => {
        const map = new Map<string, string>();
        for (const r of responses()) {
          const href = r.children.find((c) => c.name === '{DAV:}href')?.text ?? '';
          for (const propstat of r.children.filter((c) => c.name === '{DAV:}propstat')) {
            const status = propstat.children.find((c) => c.name === '{DAV:}status')?.text.split(' ')[1] ?? '';
            const prop = propstat.children.find((c) => c.name === '{DAV:}prop');
            for (const p of prop?.children ?? []) map.set(`${href} ${p.name}`, status);
          }
        }
        return map;
      },
      prop: (name) => {
        for (const r of responses()) {
          for (const propstat of r.children.filter((c) => c.name === '{DAV:}propstat')) {
            const found = propstat.children
              .find((c) => c.name === '{DAV:}prop')
              ?.children.find((p) => p.name === name);
            if (found) return found;
          }
        }
        return undefined;
      },
    };
  }

  const propfind = (props: string) =>
    `<?xml version="1.0" encoding="UTF-8"?><D:propfind ${D}><D:prop>${props}</D:prop></D:propfind>`;
  const hrefIn = (element: XmlElement | undefined) =>
    element?.children.find((c) => c.name === '{DAV:}href')?.text;

  it('Apple Calendar: anonymous probe, discovery with Prefer: return-minimal, a 30-property home PROPFIND, PROPPATCH of order and RGBA colour', async () => {
    expect((await send('PROPFIND', '/.well-known/caldav', { anonymous: true })).status).toBe(301);
    const anonymous = await send('PROPFIND', '/', {
      anonymous: true,
      headers: { depth: '0' },
      body: propfind('<D:current-user-principal/>'),
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain('Basic realm="Televent"');

    const minimal = { depth: '0', brief: 't', prefer: 'return-minimal' };
    const root = await send('PROPFIND', '/', {
      headers: minimal,
      body: propfind('<D:current-user-principal/><D:principal-URL/><D:resourcetype/>'),
    });
    expect(root.status).toBe(207);
    const principal = hrefIn(root.prop('{DAV:}current-user-principal'));
    expect(principal).toBe('/principals/4242/');

    const principalProps = await send('PROPFIND', principal ?? '', {
      headers: minimal,
      body: propfind(
        '<C:calendar-home-set/><C:calendar-user-address-set/><D:displayname/><C:schedule-inbox-URL/><C:schedule-outbox-URL/><D:principal-collection-set/><D:supported-report-set/>',
      ),
    });
    expect(principalProps.status).toBe(207);
    const home = hrefIn(principalProps.prop('{urn:ietf:params:xml:ns:caldav}calendar-home-set'));
    expect(home).toBe('/calendars/4242/');

    const homeProps = await send('PROPFIND', home ?? '', {
      headers: { depth: '1' },
      body: propfind(
        '<CS:getctag/><D:sync-token/><D:displayname/><C:calendar-description/><I:calendar-color/><I:calendar-order/><C:supported-calendar-component-set/><C:supported-calendar-component-sets/><D:resourcetype/><D:current-user-privilege-set/><C:calendar-free-busy-set/><C:schedule-calendar-transp/><C:schedule-default-calendar-URL/><C:calendar-timezone/><C:default-alarm-vevent-date/><C:default-alarm-vevent-datetime/><I:refreshrate/><CS:source/><CS:subscribed-strip-alarms/><CS:subscribed-strip-attachments/><CS:subscribed-strip-todos/><CS:pushkey/><CS:push-transports/><CS:allowed-sharing-modes/><CS:invite/><CS:publish-url/><D:add-member/><D:quota-available-bytes/><D:quota-used-bytes/><D:resource-id/><I:language-code/><I:location-code/><ME:bulk-requests xmlns:ME="http://me.com/_namespace/"/>',
      ),
    });
    expect(homeProps.status).toBe(207);
    const statuses = homeProps.propStatus();
    expect([...statuses.values()].every((s) => s === '200' || s === '404')).toBe(true);
    expect(statuses.get('/calendars/4242/default/ {http://calendarserver.org/ns/}getctag')).toBe('200');
    expect(homeProps.headers.get('dav')).toContain('calendar-access');

    const patch = await send('PROPPATCH', '/calendars/4242/default/', {
      body: `<?xml version="1.0" encoding="UTF-8"?><A:propertyupdate xmlns:A="DAV:"><A:set><A:prop><B:calendar-order xmlns:B="http://apple.com/ns/ical/">2</B:calendar-order><B:calendar-color xmlns:B="http://apple.com/ns/ical/" symbolic-color="custom">#FF2968FF</B:calendar-color></A:prop></A:set></A:propertyupdate>`,
    });
    expect([...patch.propStatus().values()]).toEqual(['200', '200']);
    const calendar = await send('PROPFIND', '/calendars/4242/default/', {
      headers: { depth: '0' },
      body: propfind('<CS:getctag/><D:sync-token/><I:calendar-color/>'),
    });
    expect(calendar.prop('{http://apple.com/ns/ical/}calendar-color')?.text).toBe('#FF2968FF');
  });

  it('Thunderbird: resource-type check, Depth 1 sync-collection, <uid>.ics PUT, multiget, and 412 on a stale write', async () => {
    const check = await send('PROPFIND', '/calendars/4242/default/', {
      headers: { depth: '0' },
      body: propfind(
        '<D:resourcetype/><D:owner/><D:current-user-principal/><D:current-user-privilege-set/><D:supported-report-set/><C:supported-calendar-component-set/><CS:getctag/>',
      ),
    });
    expect(check.status).toBe(207);
    expect([...check.propStatus().values()].every((s) => s === '200')).toBe(true);

    const syncBody = (token: string) =>
      `<?xml version="1.0" encoding="UTF-8"?><sync-collection xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><sync-token>${token}</sync-token><sync-level>1</sync-level><prop><getcontenttype/><getetag/></prop></sync-collection>`;
    const initial = await send('REPORT', '/calendars/4242/default/', {
      headers: { depth: '1' },
      body: syncBody(''),
    });
    expect(initial.status).toBe(207);
    const token = initial.xml().children.find((c) => c.name === '{DAV:}sync-token')?.text ?? '';

    const uid = 'tb-3f1c8a2e-1b7d-4c1e-9a57-0e2f2d4d9c11';
    const put = await send('PUT', `/calendars/4242/default/${uid}.ics`, {
      headers: { 'if-none-match': '*' },
      body: ics(uid, 'Thunderbird event'),
    });
    expect(put.status).toBe(201);
    const etag = put.headers.get('etag') ?? '';

    const delta = await send('REPORT', '/calendars/4242/default/', {
      headers: { depth: '1' },
      body: syncBody(token),
    });
    expect(delta.hrefs()).toEqual([`/calendars/4242/default/${uid}.ics`]);

    const multiget = await send('REPORT', '/calendars/4242/default/', {
      headers: { depth: '1' },
      body: `<?xml version="1.0"?><C:calendar-multiget ${D}><D:prop><D:getetag/><C:calendar-data/></D:prop><D:href>/calendars/4242/default/${uid}.ics</D:href></C:calendar-multiget>`,
    });
    expect(multiget.prop('{DAV:}getetag')?.text).toBe(etag);
    expect(multiget.prop('{urn:ietf:params:xml:ns:caldav}calendar-data')?.text).toBe(
      ics(uid, 'Thunderbird event'),
    );

    await send('PUT', `/calendars/4242/default/${uid}.ics`, {
      headers: { 'if-match': etag },
      body: ics(uid, 'Edited elsewhere'),
    });
    const stale = await send('PUT', `/calendars/4242/default/${uid}.ics`, {
      headers: { 'if-match': etag },
      body: ics(uid, 'Stale'),
    });
    expect(stale.status).toBe(412);
  });

  it('DAVx5: user-URL PROPFIND, OPTIONS on the principal, capabilities, sync with a bad token then a clean initial sync and multiget of 10', async () => {
    const user = await send('PROPFIND', '/', {
      headers: { depth: '0' },
      body: propfind(
        '<D:resourcetype/><D:displayname/><I:calendar-color/><C:calendar-description/><C:calendar-timezone/><D:current-user-privilege-set/><C:supported-calendar-component-set/><C:calendar-home-set/><D:current-user-principal/>',
      ),
    });
    expect(user.status).toBe(207);
    expect(hrefIn(user.prop('{DAV:}current-user-principal'))).toBe('/principals/4242/');

    const options = await send('OPTIONS', '/principals/4242/');
    expect(options.headers.get('dav')).toContain('calendar-access');

    const address = await send('PROPFIND', '/principals/4242/', {
      headers: { depth: '0' },
      body: propfind('<C:calendar-user-address-set/>'),
    });
    expect(address.status).toBe(207);

    const capabilities = await send('PROPFIND', '/calendars/4242/default/', {
      headers: { depth: '0' },
      body: propfind('<C:max-resource-size/><D:supported-report-set/><CS:getctag/><D:sync-token/>'),
    });
    expect([...capabilities.propStatus().values()].every((s) => s === '200')).toBe(true);

    for (let i = 0; i < 12; i++) {
      await send('PUT', `/calendars/4242/default/davx5-${i}.ics`, {
        headers: { 'if-none-match': '*' },
        body: ics(`davx5-${i}`, `Event ${i}`),
      });
    }
    const syncBody = (token: string) =>
      `<?xml version="1.0"?><sync-collection xmlns="DAV:"><sync-token>${token}</sync-token><sync-level>1</sync-level><prop><getetag/></prop></sync-collection>`;
    const bad = await send('REPORT', '/calendars/4242/default/', {
      headers: { depth: '0' },
      body: syncBody('https://example.com/old-token'),
    });
    expect(bad.status).toBe(403);
    expect(bad.text).toContain('valid-sync-token');
    const initial = await send('REPORT', '/calendars/4242/default/', {
      headers: { depth: '0' },
      body: syncBody(''),
    });
    const hrefs = initial.hrefs().filter((h) => h.includes('davx5-'));
    expect(hrefs).toHaveLength(12);
    const multiget = await send('REPORT', '/calendars/4242/default/', {
      headers: { depth: '1' },
      body: `<?xml version="1.0"?><C:calendar-multiget ${D}><D:prop><D:getetag/><C:calendar-data/></D:prop>${hrefs
        .slice(0, 10)
        .map((h) => `<D:href>${h}</D:href>`)
        .join('')}</C:calendar-multiget>`,
    });
    const statuses = multiget.propStatus();
    expect(
      [...statuses.entries()].filter(([key]) => key.endsWith('}getetag') && statuses.get(key) === '200'),
    ).toHaveLength(10);
  });

  it('Evolution: OPTIONS, privileges, getctag, a ±5-week getetag query, a partial calendar-data query, multiget', async () => {
    const options = await send('OPTIONS', '/calendars/4242/default/');
    expect(options.headers.get('dav')).toContain('calendar-access');
    expect(options.headers.get('allow')).toContain('PUT');
    const privileges = await send('PROPFIND', '/calendars/4242/default/', {
      headers: { depth: '0' },
      body: propfind('<D:current-user-privilege-set/><CS:getctag/>'),
    });
    expect(privileges.status).toBe(207);

    await send('PUT', '/calendars/4242/default/evo-near.ics', {
      body: ics('evo-near', 'Soon', '20260305T090000Z', '20260305T100000Z'),
    });
    await send('PUT', '/calendars/4242/default/evo-far.ics', {
      body: ics('evo-far', 'Later', '20270105T090000Z', '20270105T100000Z'),
    });
    const query = (range: string, prop = '<D:getetag/>') =>
      `<?xml version="1.0"?><C:calendar-query ${D}><D:prop>${prop}</D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">${range}</C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`;
    const near = await send('REPORT', '/calendars/4242/default/', {
      headers: { depth: '1' },
      body: query('<C:time-range start="20260201T000000Z" end="20260412T000000Z"/>'),
    });
    expect(near.hrefs()).toContain('/calendars/4242/default/evo-near.ics');
    expect(near.hrefs()).not.toContain('/calendars/4242/default/evo-far.ics');
    expect(near.hrefs()).not.toContain('/calendars/4242/default/');

    const partial = await send('REPORT', '/calendars/4242/default/', {
      headers: { depth: '1' },
      body: query(
        '',
        '<D:getetag/><C:calendar-data><C:comp name="VCALENDAR"><C:comp name="VEVENT"><C:prop name="UID"/></C:comp></C:comp></C:calendar-data>',
      ),
    });
    expect(partial.hrefs()).toEqual(
      expect.arrayContaining(['/calendars/4242/default/evo-near.ics', '/calendars/4242/default/evo-far.ics']),
    );
    expect(partial.text).not.toContain('SUMMARY');

    const multiget = await send('REPORT', '/calendars/4242/default/', {
      headers: { depth: '1' },
      body: `<?xml version="1.0"?><C:calendar-multiget ${D}><D:prop><D:getetag/><C:calendar-data/></D:prop><D:href>/calendars/4242/default/evo-far.ics</D:href></C:calendar-multiget>`,
    });
    expect(multiget.prop('{urn:ietf:params:xml:ns:caldav}calendar-data')?.text).toContain('SUMMARY:Later');
  });
});
