import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testEngine } from '../../support/test-database.ts';
import { baseUrl, buildRestServer, expectProblem, type RestTestServer, tma } from './rest-support.ts';

const erin = { id: 4001, username: 'erin' };
const frank = { id: 4002, username: 'frank' };

describe(`REST account, devices, preferences and export [${testEngine}]`, () => {
  let database: TestDatabase;
  let server: RestTestServer;

  beforeAll(async () => {
    database = await openTestDatabase();
    server = await buildRestServer(database);
    await server.app.inject({ method: 'GET', url: '/api/me', headers: tma(frank) });
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.close();
  });

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, user = erin) =>
    server.app.inject({ method, url, headers: tma(user), ...(payload ? { payload } : {}) });

  it('sets the time zone and refuses an unknown one without changing it', async () => {
    expect((await call('PATCH', '/api/me', { timezone: 'Asia/Singapore' })).json().timezone).toBe(
      'Asia/Singapore',
    );
    expectProblem(await call('PATCH', '/api/me', { timezone: 'Atlantis/Capital' }), 400, 'invalid-time-zone');
    expect((await call('GET', '/api/me')).json().timezone).toBe('Asia/Singapore');
  });

  it('reads and changes preferences, refusing invalid values with nothing changed', async () => {
    expect((await call('GET', '/api/preferences')).json()).toEqual({
      defaultReminderMinutes: 15,
      digestEnabled: true,
      digestTime: '08:00',
      email: null,
    });
    const changed = await call('PATCH', '/api/preferences', {
      defaultReminderMinutes: 30,
      digestTime: '07:30',
      email: null,
    });
    expect(changed.json()).toEqual({
      defaultReminderMinutes: 30,
      digestEnabled: true,
      digestTime: '07:30',
      email: null,
    });
    expectProblem(await call('PATCH', '/api/preferences', { digestTime: '25:00' }), 400);
    expectProblem(await call('PATCH', '/api/preferences', { defaultReminderMinutes: -1 }), 400);
    expect((await call('GET', '/api/preferences')).json().digestTime).toBe('07:30');
  });

  it('turns the default reminder off with null and keeps 0 for "at the start"', async () => {
    const off = await call('PATCH', '/api/preferences', { defaultReminderMinutes: null });
    expect(off.json().defaultReminderMinutes).toBeNull();
    expect((await call('GET', '/api/preferences')).json().defaultReminderMinutes).toBeNull();
    const atStart = await call('PATCH', '/api/preferences', { defaultReminderMinutes: 0 });
    expect(atStart.json().defaultReminderMinutes).toBe(0);
    expect((await call('GET', '/api/preferences')).json().defaultReminderMinutes).toBe(0);
    await call('PATCH', '/api/preferences', { defaultReminderMinutes: 30 });
  });

  it('creates a device password shown once, lists without secrets, refuses a duplicate name, and revokes', async () => {
    const created = await call('POST', '/api/devices', { name: 'laptop' });
    expect(created.statusCode).toBe(201);
    const device = created.json();
    expect(device.password).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){4}$/);
    expect(device.caldav).toEqual({ url: `${baseUrl}/`, username: '4001' });
    expect(created.headers['cache-control']).toBe('no-store');

    const listed = await call('GET', '/api/devices');
    expect(listed.json()).toEqual([
      { id: device.id, name: 'laptop', createdAt: device.createdAt, lastUsedAt: null },
    ]);
    expect(listed.body).not.toContain(device.password);
    expect(listed.body).not.toContain('argon2');

    expectProblem(await call('POST', '/api/devices', { name: 'laptop' }), 409, 'device-name-taken');
    expectProblem(await call('POST', '/api/devices', { name: '' }), 400);
    expectProblem(
      await call('DELETE', `/api/devices/${device.id}`, undefined, frank),
      404,
      'device-not-found',
    );
    expect((await call('DELETE', `/api/devices/${device.id}`)).statusCode).toBe(204);
    expect((await call('GET', '/api/devices')).json()).toEqual([]);
    expectProblem(await call('DELETE', `/api/devices/${device.id}`), 404);
  });

  it('exports everything the user owns as JSON and .ics, without password hashes', async () => {
    await call('POST', '/api/devices', { name: 'phone' });
    const event = (
      await call('POST', '/api/events', {
        summary: 'Exported',
        start: '2026-02-01T09:00',
        end: '2026-02-01T10:00',
      })
    ).json();
    const exported = await call('GET', '/api/export');
    expect(exported.statusCode).toBe(200);
    const body = exported.json();
    expect(body.user.telegramId).toBe(4001);
    expect(body.events.map((e: { uid: string }) => e.uid)).toContain(event.uid);
    expect(body.ics).toContain(`UID:${event.uid}`);
    expect(body.devices.map((d: { name: string }) => d.name)).toEqual(['phone']);
    expect(exported.body).not.toMatch(/argon2|password_hash|passwordHash/);

    const ics = await call('GET', '/api/export.ics');
    expect(ics.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(ics.body).toContain('BEGIN:VCALENDAR');
    expect(ics.body).toContain(`UID:${event.uid}`);
  });

  it('requests deletion 30 days ahead, keeps the date on a repeat, and cancels', async () => {
    const requested = await call('POST', '/api/account/deletion');
    expect(requested.statusCode).toBe(202);
    const { deletionRequestedAt, deletionScheduledFor } = requested.json();
    expect(Date.parse(deletionScheduledFor) - Date.parse(deletionRequestedAt)).toBe(30 * 86_400_000);
    expect((await call('POST', '/api/account/deletion')).json().deletionScheduledFor).toBe(
      deletionScheduledFor,
    );
    expect((await call('GET', '/api/account')).json().deletionScheduledFor).toBe(deletionScheduledFor);

    const cancelled = await call('DELETE', '/api/account/deletion');
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().deletionScheduledFor).toBeNull();
  });

  it('publishes an OpenAPI document that describes the event routes', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/events', '/api/events/{id}', '/api/devices']),
    );
  });
});
