import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppServices } from '../../../src/app/services.ts';
import { testEngine } from '../../support/test-database.ts';
import { type CaldavHarness, event, openOtherWriter, startCaldavHarness } from './caldav-harness.ts';

const base = '/calendars/1001/default';

/** Resolves when the server's change feed reports `matches` (on PGlite it already has). */
function notified(services: AppServices, matches: (kind: string, key: string) => boolean): Promise<void> {
  return new Promise((resolve) => {
    services.changes.subscribe({
      devicesChanged: (userId) => (matches('devices', String(userId)) ? resolve() : undefined),
      objectChanged: (calendarId, href) =>
        matches('object', `${calendarId}/${href}`) ? resolve() : undefined,
      reset: () => {},
    });
  });
}

function basic(userId: number, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${userId}:${password}`).toString('base64')}` };
}

describe(`CalDAV caches follow every write [${testEngine}]`, () => {
  let dav: CaldavHarness;
  // Another writer (caldav-harness.ts openOtherWriter).
  let otherWriter: { close(): Promise<void> } | undefined;
  let other: AppServices;

  beforeAll(async () => {
    dav = await startCaldavHarness();
    const writer = await openOtherWriter(dav);
    otherWriter = writer;
    other = writer.services;
  });
  afterAll(async () => {
    await otherWriter?.close();
    await dav?.close();
  });

  it('answers a GET with the bytes of the latest PUT, and its new ETag', async () => {
    const first = event('cache-put');
    const created = await dav.request('PUT', `${base}/cache-put.ics`, { body: first });
    expect(created.statusCode).toBe(201);
    expect((await dav.request('GET', `${base}/cache-put.ics`)).body).toBe(first);
    const second = event('cache-put', ['LOCATION:Room 2']);
    const updated = await dav.request('PUT', `${base}/cache-put.ics`, { body: second });
    expect(updated.statusCode).toBe(204);
    const get = await dav.request('GET', `${base}/cache-put.ics`, {
      headers: { 'if-none-match': String(created.headers.etag) },
    });
    expect(get.statusCode).toBe(200);
    expect(get.body).toBe(second);
    expect(get.headers.etag).toBe(updated.headers.etag);
    expect((await dav.request('DELETE', `${base}/cache-put.ics`)).statusCode).toBe(204);
    expect((await dav.request('GET', `${base}/cache-put.ics`)).statusCode).toBe(404);
  });

  it('answers a GET with what another writer stored, once its change is announced', async () => {
    const first = event('cache-other');
    await dav.request('PUT', `${base}/cache-other.ics`, { body: first });
    const before = await dav.request('GET', `${base}/cache-other.ics`);
    expect(before.body).toBe(first);
    const calendarId = dav.users.alice.calendarId;
    const announced = notified(dav.services, (_kind, key) => key === `${calendarId}/cache-other.ics`);
    const second = event('cache-other', ['LOCATION:Elsewhere']);
    await other.calendars.putObject(1001, calendarId, 'cache-other.ics', second);
    await announced;
    const after = await dav.request('GET', `${base}/cache-other.ics`);
    expect(after.body).toBe(second);
    expect(after.headers.etag).not.toBe(before.headers.etag);

    const deleted = notified(dav.services, (_kind, key) => key === `${calendarId}/cache-other.ics`);
    await other.calendars.deleteObject(1001, calendarId, 'cache-other.ics');
    await deleted;
    expect((await dav.request('GET', `${base}/cache-other.ics`)).statusCode).toBe(404);
  });

  it('refuses a device password revoked by another writer on the next request', async () => {
    const device = await dav.services.devices.createDevice(1001, 'tablet');
    const headers = { ...basic(1001, device.password), depth: '0' };
    expect((await dav.request('PROPFIND', '/', { as: null, headers })).statusCode).toBe(207);
    expect((await dav.request('PROPFIND', '/', { as: null, headers })).statusCode).toBe(207);
    const announced = notified(dav.services, (kind, key) => kind === 'devices' && key === '1001');
    await other.devices.revokeDevice(1001, device.id);
    await announced;
    expect((await dav.request('PROPFIND', '/', { as: null, headers })).statusCode).toBe(401);
    // The other devices of the user keep working.
    expect((await dav.request('PROPFIND', '/', { headers: { depth: '0' } })).statusCode).toBe(207);
  });

  it('sends fixed security headers on CalDAV answers, cached or not', async () => {
    await dav.request('PUT', `${base}/cache-headers.ics`, { body: event('cache-headers') });
    for (const response of [
      await dav.request('GET', `${base}/cache-headers.ics`),
      await dav.request('GET', `${base}/cache-headers.ics`),
      await dav.request('PROPFIND', '/', { as: null, headers: { depth: '0' } }),
    ]) {
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    }
  });

  it('never answers one user with what is cached for another', async () => {
    const text = event('cache-private');
    await dav.request('PUT', `${base}/cache-private.ics`, { body: text });
    expect((await dav.request('GET', `${base}/cache-private.ics`)).body).toBe(text);
    const asBob = await dav.request('GET', `${base}/cache-private.ics`, { as: 'bob' });
    const absent = await dav.request('GET', `${base}/never-stored.ics`, { as: 'bob' });
    expect(asBob.statusCode).toBe(404);
    expect(asBob.body).toBe(absent.body);
  });

  it('takes a shared calendar away from its sharee on their next request when another process revokes it', async () => {
    const calendarId = dav.users.alice.calendarId;
    const text = event('cache-shared');
    await dav.request('PUT', `${base}/cache-shared.ics`, { body: text });
    const share = await other.sharing.share(1001, calendarId, { telegramId: 1002 }, 'read');
    await other.sharing.accept(1002, share.id);
    const path = `/calendars/1002/shared-${share.id}/cache-shared.ics`;
    const before = await dav.request('GET', path, { as: 'bob' });
    expect(before.statusCode).toBe(200); // answered, and now in this server's cache
    expect(before.body).toBe(text);

    const announced = new Promise<void>((resolve) =>
      dav.services.changes.subscribe({
        calendarChanged: (id) => (id === calendarId ? resolve() : undefined),
        reset: () => {},
      }),
    );
    await other.sharing.revoke(1001, calendarId, share.id);
    await announced;
    expect((await dav.request('GET', path, { as: 'bob' })).statusCode).toBe(404);
    expect((await dav.request('GET', `${base}/cache-shared.ics`)).body).toBe(text); // the owner keeps it
  });

  if (testEngine === 'postgres') {
    it('reads the database while the LISTEN connection is down, and caches again once it is back', async () => {
      const first = event('cache-outage');
      await dav.request('PUT', `${base}/cache-outage.ics`, { body: first });
      expect((await dav.request('GET', `${base}/cache-outage.ics`)).body).toBe(first);

      const lost = new Promise<void>((resolve) =>
        dav.services.changes.subscribe({ reset: () => (dav.services.changes.live ? undefined : resolve()) }),
      );
      const admin = new pg.Client({ connectionString: dav.database.url });
      await admin.connect();
      try {
        const killed = await admin.query('select pg_terminate_backend($1)', [dav.feed.backendPid]);
        expect(killed.rows[0]?.pg_terminate_backend).toBe(true);
      } finally {
        await admin.end();
      }
      await lost;
      expect(dav.services.changes.live).toBe(false);

      // Nobody hears this write; the next GET must still see it.
      const second = event('cache-outage', ['LOCATION:Unannounced']);
      await dav.database.db
        .updateTable('calendar_objects')
        .set({ ical: second, etag: '"unannounced"' })
        .where('href_name', '=', 'cache-outage.ics')
        .execute();
      const during = await dav.request('GET', `${base}/cache-outage.ics`);
      expect(during.body).toBe(second);
      expect(during.headers.etag).toBe('"unannounced"');

      await dav.services.changes.whenLive();
      const third = event('cache-outage', ['LOCATION:Announced']);
      const announced = notified(dav.services, (_kind, key) => key.endsWith('/cache-outage.ics'));
      await other.calendars.putObject(1001, dav.users.alice.calendarId, 'cache-outage.ics', third);
      await announced;
      expect((await dav.request('GET', `${base}/cache-outage.ics`)).body).toBe(third);
    });
  }
});
