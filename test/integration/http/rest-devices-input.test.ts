import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testEngine } from '../../support/test-database.ts';
import { buildRestServer, expectProblem, type RestTestServer, tma } from './rest-support.ts';

const gina = { id: 4101, username: 'gina' };

describe(`REST /api/devices with hostile input [${testEngine}]`, () => {
  let database: TestDatabase;
  let server: RestTestServer;

  beforeAll(async () => {
    database = await openTestDatabase();
    server = await buildRestServer(database);
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.close();
  });

  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    server.app.inject({ method, url, headers: tma(gina), ...(payload ? { payload } : {}) });

  async function storedDeviceNames(): Promise<string[]> {
    const rows = await database.db.selectFrom('device_passwords').select('name').orderBy('name').execute();
    return rows.map((r) => r.name);
  }

  it.each([
    ['a NUL byte', 'lap\u0000top'],
    ['an escape sequence', 'lap\u001b[2Jtop'],
    ['a line break', 'lap\ntop'],
  ])('refuses a device name with %s: 400 naming `name`, nothing stored', async (_label, name) => {
    const response = await call('POST', '/api/devices', { name });
    expectProblem(response, 400, 'invalid-field');
    expect(response.json().field).toBe('name');
    expect(await storedDeviceNames()).toEqual([]);
  });

  it('answers 404 for a DELETE of 36 hex-and-dash characters that are no UUID, and the device keeps working', async () => {
    const created = await call('POST', '/api/devices', { name: 'phone' });
    expect(created.statusCode).toBe(201);
    const { id, password } = created.json() as { id: string; password: string };
    for (const bogus of [
      '-'.repeat(36),
      'f'.repeat(36),
      '0123456789abcdef0123456789abcdef----',
      `${id.slice(1)}-`,
    ]) {
      expect(bogus).toMatch(/^[0-9a-f-]{36}$/);
      expectProblem(await call('DELETE', `/api/devices/${bogus}`), 404, 'device-not-found');
    }
    expect(await storedDeviceNames()).toEqual(['phone']);
    expect(await server.services.devices.verify(gina.id, password)).toBe(id);
  });
});
