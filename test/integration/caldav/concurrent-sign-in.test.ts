import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngine } from '../../support/test-database.ts';
import { type CaldavHarness, propfindBody, startCaldavHarness } from './caldav-harness.ts';

// A calendar app adding an account opens several connections at once, each with the new device
// password (Apple Calendar and DAVx5 do): every one must get in, not only as many as the sign-in
// throttle has slots for; and a password revoked meanwhile must not ride on a check begun before.
describe(`CalDAV sign-in from many connections at once [${testEngine}]`, () => {
  let harness: CaldavHarness;

  beforeAll(async () => {
    harness = await startCaldavHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  const propfind = (password: string) =>
    harness.app.inject({
      method: 'PROPFIND',
      url: '/',
      headers: {
        authorization: `Basic ${Buffer.from(`${harness.users.alice.id}:${password}`).toString('base64')}`,
        depth: '0',
        'content-type': 'application/xml',
      },
      payload: propfindBody('<d:current-user-principal/>'),
    });

  it('lets in all 16 first requests of a new device password', async () => {
    const device = await harness.services.devices.createDevice(harness.users.alice.id, 'new phone');
    const answers = await Promise.all(Array.from({ length: 16 }, () => propfind(device.password)));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(16).fill(207));
  });

  it('refuses a request that arrives after the revocation, while a check begun before is still running', async () => {
    const device = await harness.services.devices.createDevice(harness.users.alice.id, 'old laptop');
    const before = propfind(device.password); // its Argon2 check is under way…
    await harness.services.devices.revokeDevice(harness.users.alice.id, device.id);
    const after = await propfind(device.password); // …and this one must not join it
    expect(after.statusCode).toBe(401);
    expect([207, 401]).toContain((await before).statusCode);
  });
});
