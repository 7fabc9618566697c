import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashDevicePassword } from '../../../src/app/auth/device-password.ts';
import type { AppError } from '../../../src/app/errors.ts';
import { type AppServices, createServices } from '../../../src/app/services.ts';
import { openTestDatabase, type TestDatabase, testEngine } from '../../support/test-database.ts';

const alice = 3001;
const bob = 3002;

function expectAppError(reason: string) {
  return expect.objectContaining({ name: 'AppError', reason }) as unknown as AppError;
}

describe(`DeviceService [${testEngine}]`, () => {
  let database: TestDatabase;
  let services: AppServices;

  beforeAll(async () => {
    database = await openTestDatabase();
    services = createServices(database.db);
    await services.accounts.ensureUser({ telegramId: alice, username: 'alice' });
    await services.accounts.ensureUser({ telegramId: bob, username: 'bob' });
  });
  afterAll(async () => {
    await database.close();
  });

  async function storedHash(deviceId: string): Promise<string | undefined> {
    const row = await database.db
      .selectFrom('device_passwords')
      .select('password_hash')
      .where('id', '=', deviceId)
      .executeTakeFirst();
    return row?.password_hash;
  }

  it('shows a new device password once, in five groups of four, and stores only an Argon2id hash', async () => {
    const device = await services.devices.createDevice(alice, '  iPhone  ');
    expect(device.name).toBe('iPhone');
    expect(device.lastUsedAt).toBeNull();
    expect(device.password).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){4}$/);

    const hash = await storedHash(device.id);
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(hash).not.toBe(device.password);
    expect(hash).not.toContain(device.password);
    expect(hash).not.toContain(device.password.replaceAll('-', ''));

    const listed = await services.devices.listDevices(alice);
    expect(listed.find((d) => d.id === device.id)).toEqual({
      id: device.id,
      name: 'iPhone',
      createdAt: device.createdAt,
      lastUsedAt: null,
    });
  });

  it('gives every device its own password', async () => {
    const first = await services.devices.createDevice(alice, 'Work laptop');
    const second = await services.devices.createDevice(alice, 'Home laptop');
    expect(first.password).not.toBe(second.password);
    expect(first.id).not.toBe(second.id);
  });

  it('refuses a second device with the same name for one user, but another user may use it', async () => {
    await services.devices.createDevice(alice, 'Thunderbird');
    await expect(services.devices.createDevice(alice, 'Thunderbird')).rejects.toThrow(
      expectAppError('device-name-taken'),
    );
    await expect(services.devices.createDevice(alice, ' Thunderbird ')).rejects.toThrow(
      expectAppError('device-name-taken'),
    );
    expect((await services.devices.listDevices(alice)).filter((d) => d.name === 'Thunderbird')).toHaveLength(
      1,
    );
    expect((await services.devices.createDevice(bob, 'Thunderbird')).name).toBe('Thunderbird');
  });

  it.each([
    ['an empty name', ''],
    ['a name of only spaces', '   '],
    ['a name longer than 64 characters', 'x'.repeat(65)],
    ['a name with a NUL byte', 'lap\u0000top'],
    ['a name with another control character', 'lap\u0007top'],
    ['a name with DEL', 'lap\u007ftop'],
    ['a name with a tab', 'lap\ttop'],
    ['a name over two lines', 'lap\r\ntop'],
  ])('refuses %s as an invalid field naming `name`, and stores nothing', async (_label, name) => {
    const before = await services.devices.listDevices(alice);
    const refusal = services.devices.createDevice(alice, name);
    await expect(refusal).rejects.toThrow(expectAppError('invalid-field'));
    await expect(refusal).rejects.toMatchObject({ details: { field: 'name' } });
    expect(await services.devices.listDevices(alice)).toHaveLength(before.length);
  });

  it('accepts a name of exactly 64 characters', async () => {
    expect((await services.devices.createDevice(alice, 'y'.repeat(64))).name).toBe('y'.repeat(64));
  });

  it('refuses a device for a user that does not exist', async () => {
    await expect(services.devices.createDevice(3999, 'Phone')).rejects.toThrow(
      expectAppError('user-not-found'),
    );
  });

  it('never exposes a password or its hash when listing devices', async () => {
    const device = await services.devices.createDevice(alice, 'DAVx5');
    const listed = await services.devices.listDevices(alice);
    expect(listed.length).toBeGreaterThan(0);
    for (const entry of listed)
      expect(Object.keys(entry).sort()).toEqual(['createdAt', 'id', 'lastUsedAt', 'name']);
    const text = JSON.stringify(listed);
    expect(text).not.toContain('$argon2');
    expect(text).not.toContain(device.password);
  });

  it('verifies the right password to its device and refuses a wrong one or another user', async () => {
    const device = await services.devices.createDevice(alice, 'Calendar.app');
    expect(await services.devices.verify(alice, device.password)).toBe(device.id);
    expect(await services.devices.verify(alice, 'aaaa-bbbb-cccc-dddd-eeee')).toBeNull();
    expect(await services.devices.verify(alice, '')).toBeNull();
    expect(await services.devices.verify(bob, device.password)).toBeNull();
  });

  it('answers a repeated password from its cache, without reading the stored hash again', async () => {
    const device = await services.devices.createDevice(alice, 'Cached client');
    expect(await services.devices.verify(alice, device.password)).toBe(device.id);
    // Swap the stored hash for another password's: only a cache hit can still accept the old one.
    await database.db
      .updateTable('device_passwords')
      .set({ password_hash: await hashDevicePassword('zzzz-zzzz-zzzz-zzzz-zzzz') })
      .where('id', '=', device.id)
      .execute();
    expect(await services.devices.verify(alice, device.password)).toBe(device.id);
    // The cache is per user: the same password for another user is still checked and refused.
    expect(await services.devices.verify(bob, device.password)).toBeNull();
    // A fresh service has an empty cache and reads the swapped hash.
    const fresh = createServices(database.db);
    expect(await fresh.devices.verify(alice, device.password)).toBeNull();
  });

  it('refuses a revoked device on its very next request, even though its password was cached', async () => {
    const device = await services.devices.createDevice(alice, 'Soon revoked');
    expect(await services.devices.verify(alice, device.password)).toBe(device.id);
    expect(await services.devices.verify(alice, device.password)).toBe(device.id);
    await services.devices.revokeDevice(alice, device.id);
    expect(await services.devices.verify(alice, device.password)).toBeNull();
    expect((await services.devices.listDevices(alice)).map((d) => d.id)).not.toContain(device.id);
  });

  it('refuses a cached device once another process has deleted its row', async () => {
    const device = await services.devices.createDevice(alice, 'Deleted elsewhere');
    expect(await services.devices.verify(alice, device.password)).toBe(device.id);
    await database.db.deleteFrom('device_passwords').where('id', '=', device.id).execute();
    expect(await services.devices.verify(alice, device.password)).toBeNull();
  });

  it('records last use once per flush, only for devices that were used', async () => {
    const own = createServices(database.db);
    const used = await own.devices.createDevice(bob, 'Used phone');
    const idle = await own.devices.createDevice(bob, 'Idle tablet');
    expect(await own.devices.verify(bob, used.password)).toBe(used.id);
    expect(await own.devices.verify(bob, used.password)).toBe(used.id);

    const firstFlush = new Date('2026-03-01T10:00:00.000Z');
    await own.devices.flushLastUsed(firstFlush);
    const lastUsed = async (id: string) =>
      (await own.devices.listDevices(bob)).find((d) => d.id === id)?.lastUsedAt?.toISOString() ?? null;
    expect(await lastUsed(used.id)).toBe(firstFlush.toISOString());
    expect(await lastUsed(idle.id)).toBeNull();

    // Nothing was used since: a second flush writes nothing.
    await own.devices.flushLastUsed(new Date('2026-03-01T11:00:00.000Z'));
    expect(await lastUsed(used.id)).toBe(firstFlush.toISOString());

    expect(await own.devices.verify(bob, idle.password)).toBe(idle.id);
    await own.devices.flushLastUsed(new Date('2026-03-01T12:00:00.000Z'));
    expect(await lastUsed(idle.id)).toBe('2026-03-01T12:00:00.000Z');
    expect(await lastUsed(used.id)).toBe(firstFlush.toISOString());
  });

  it('refuses to revoke another user’s device or an unknown id, and the device keeps working', async () => {
    const device = await services.devices.createDevice(alice, 'Not yours');
    await expect(services.devices.revokeDevice(bob, device.id)).rejects.toThrow(
      expectAppError('device-not-found'),
    );
    await expect(services.devices.revokeDevice(alice, 'not-a-uuid')).rejects.toThrow(
      expectAppError('device-not-found'),
    );
    await expect(
      services.devices.revokeDevice(alice, '00000000-0000-4000-8000-000000000000'),
    ).rejects.toThrow(expectAppError('device-not-found'));
    // 36 characters of [0-9a-f-] that are no UUID: once passed to the uuid column, a database error.
    for (const id of [
      '-'.repeat(36),
      'a'.repeat(36),
      '0123456789abcdef0123456789abcdef----',
      `${device.id.slice(0, 35)}-`,
    ]) {
      await expect(services.devices.revokeDevice(alice, id)).rejects.toThrow(
        expectAppError('device-not-found'),
      );
    }
    expect(await services.devices.verify(alice, device.password)).toBe(device.id);
    await services.devices.revokeDevice(alice, device.id);
    await expect(services.devices.revokeDevice(alice, device.id)).rejects.toThrow(
      expectAppError('device-not-found'),
    );
  });
});
