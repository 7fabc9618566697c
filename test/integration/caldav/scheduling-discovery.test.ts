import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../../src/app/services.ts';
import { registerCaldav } from '../../../src/caldav/plugin.ts';
import { loadConfig } from '../../../src/config.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { openTestDatabase, type TestDatabase, testEngine } from '../../support/test-database.ts';
import { buildTestServer } from '../http/build-test-server.ts';
import { CALDAV_NS, DAV_NS, parseMultistatus, propfindBody } from './caldav-harness.ts';

// RFC 6638 discovery (issue 14 item 3): with SMTP_URL the server schedules every invitation itself,
// says so (calendar-auto-schedule) and names its scheduling inbox and outbox; without SMTP_URL it
// says neither, so calendar apps keep mailing the invitations the server could not.

describe(`CalDAV scheduling discovery [${testEngine}]`, () => {
  let database: TestDatabase;
  const servers: Array<{ close(): Promise<unknown> }> = [];

  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    await database?.close();
  });

  async function start(env: Record<string, string>) {
    const services = createServices(database.db);
    const config = loadConfig(env);
    const logger = createLogger('silent');
    const { app } = await buildTestServer(database, {
      registerRootRoutes: (root) => registerCaldav(root, { services, config, logger }),
    });
    servers.push(app);
    await services.accounts.ensureUser({ telegramId: 6001, username: 'scheduler' });
    const { password } = await services.devices.createDevice(6001, `device-${servers.length}`);
    const authorization = `Basic ${Buffer.from(`6001:${password}`).toString('base64')}`;
    return (method: string, url: string, body?: string, headers: Record<string, string> = {}) =>
      app.inject({
        method: method as 'GET',
        url,
        headers: { authorization, ...(body ? { 'content-type': 'application/xml' } : {}), ...headers },
        ...(body ? { payload: body } : {}),
      });
  }

  it('advertises auto-scheduling and names the inbox and outbox when it can mail invitations', async () => {
    const dav = await start({ SMTP_URL: 'smtp://127.0.0.1:2525' });
    expect((await dav('OPTIONS', '/calendars/6001/')).headers.dav).toContain('calendar-auto-schedule');
    const principal = await dav(
      'PROPFIND',
      '/principals/6001/',
      propfindBody('<c:schedule-inbox-URL/><c:schedule-outbox-URL/>'),
      { depth: '0' },
    );
    const [found] = parseMultistatus(principal.body).responses;
    expect(found?.props.get(`{${CALDAV_NS}}schedule-inbox-URL`)?.element.children[0]?.text).toBe(
      '/scheduling/6001/inbox/',
    );
    expect(found?.props.get(`{${CALDAV_NS}}schedule-outbox-URL`)?.element.children[0]?.text).toBe(
      '/scheduling/6001/outbox/',
    );

    const inbox = await dav(
      'PROPFIND',
      '/scheduling/6001/inbox/',
      propfindBody('<d:resourcetype/><d:current-user-privilege-set/>'),
      { depth: '1' },
    );
    expect(inbox.statusCode).toBe(207);
    const listed = parseMultistatus(inbox.body).responses;
    expect(listed).toHaveLength(1); // empty: answers go straight into the organizer's event
    const types = listed[0]?.props.get(`{${DAV_NS}}resourcetype`)?.element.children.map((c) => c.name);
    expect(types).toEqual([`{${DAV_NS}}collection`, `{${CALDAV_NS}}schedule-inbox`]);
    expect(inbox.body).toContain('schedule-deliver');
    const outbox = await dav('PROPFIND', '/scheduling/6001/outbox/', propfindBody('<d:resourcetype/>'), {
      depth: '0',
    });
    expect(outbox.body).toContain('schedule-outbox');
    // Someone else's inbox is as absent as anything else of theirs; nothing is stored in one.
    expect(
      (await dav('PROPFIND', '/scheduling/6002/inbox/', propfindBody('<d:resourcetype/>'))).statusCode,
    ).toBe(404);
    expect((await dav('PUT', '/scheduling/6001/inbox/x.ics', 'BEGIN:VCALENDAR')).statusCode).toBe(404);
    expect((await dav('DELETE', '/scheduling/6001/inbox/')).statusCode).toBe(403);
    expect(
      (await dav('PROPFIND', '/calendars/6001/', propfindBody('<d:resourcetype/>'), { depth: '1' })).body,
    ).not.toContain('schedule-inbox');
  });

  it('advertises neither without SMTP_URL, so calendar apps keep mailing invitations themselves', async () => {
    const dav = await start({});
    expect((await dav('OPTIONS', '/calendars/6001/')).headers.dav).not.toContain('calendar-auto-schedule');
    const principal = await dav('PROPFIND', '/principals/6001/', propfindBody('<c:schedule-inbox-URL/>'), {
      depth: '0',
    });
    expect(principal.body).toContain('404');
  });
});
