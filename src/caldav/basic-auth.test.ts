import { describe, expect, it } from 'vitest';
import { authenticateBasic } from './basic-auth.ts';
import { DavError } from './dav-error.ts';
import { LoginThrottle } from './login-throttle.ts';

const throttleOptions = {
  freeFailures: 100,
  baseDelayMs: 1,
  maxDelayMs: 1,
  maxFailures: 5,
  maxAccountFailures: 8,
  cleanAddressChecks: 2,
  maxAddressFailures: 50,
  windowMs: 60_000,
};

/** A device store whose password check waits until the test lets it finish, like Argon2 under load. */
function slowDevices(correctPassword: string) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const remembered = new Set<string>();
  const underWay = new Map<string, Promise<string | null>>();
  const devices = {
    checks: 0,
    open: () => open(),
    verifyFromMemory: (_userId: number, password: string) =>
      remembered.has(password) ? 'device-1' : undefined,
    // As DeviceService does: one check per password at a time, shared by whoever asks meanwhile.
    checkUnderWay: (_userId: number, password: string) => underWay.get(password),
    verify: (_userId: number, password: string) => {
      const running = underWay.get(password);
      if (running) return running;
      const check = (async () => {
        devices.checks++;
        await gate;
        underWay.delete(password);
        if (password !== correctPassword) return null;
        remembered.add(password);
        return 'device-1';
      })();
      underWay.set(password, check);
      return check;
    },
  };
  return devices;
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function statusOf(promise: Promise<number>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (error) {
    if (error instanceof DavError) return error.status;
    throw error;
  }
}

describe('authenticateBasic under concurrent sign-ins', () => {
  it('lets in every one of 16 connections a client opens at once with its new password, checked once', async () => {
    const devices = slowDevices('right');
    const throttle = new LoginThrottle(throttleOptions);
    const attempts = Array.from({ length: 16 }, () =>
      statusOf(authenticateBasic(basic('1001', 'right'), '203.0.113.5', { devices, throttle })),
    );
    devices.open();
    expect(await Promise.all(attempts)).toEqual(Array(16).fill(200));
    expect(devices.checks).toBe(1);
  });
});

describe('authenticateBasic under concurrent wrong passwords', () => {
  it('checks at most the limit of 50 concurrent wrong passwords from one address', async () => {
    const devices = slowDevices('right');
    const throttle = new LoginThrottle(throttleOptions);
    const attempts = Array.from({ length: 50 }, (_, i) =>
      statusOf(authenticateBasic(basic('1001', `wrong-${i}`), '203.0.113.7', { devices, throttle })),
    );
    devices.open();
    const statuses = await Promise.all(attempts);
    expect(devices.checks).toBe(5);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(45);
  });

  it('checks at most the account limit plus the clean allowance when the guesses come from many addresses', async () => {
    const devices = slowDevices('right');
    const throttle = new LoginThrottle(throttleOptions);
    const attempts = Array.from({ length: 50 }, (_, i) =>
      statusOf(authenticateBasic(basic('1001', `wrong-${i}`), `203.0.113.${i}`, { devices, throttle })),
    );
    devices.open();
    await Promise.all(attempts);
    expect(devices.checks).toBe(8 + 2);
  });

  it("lets the owner in with the right password after a guesser locked the account, and keeps the guesser's address out", async () => {
    const devices = slowDevices('right');
    devices.open();
    const throttle = new LoginThrottle(throttleOptions);
    for (let i = 0; i < 8; i++) {
      await statusOf(
        authenticateBasic(basic('1001', `wrong-${i}`), `198.51.100.${i % 2}`, { devices, throttle }),
      );
    }
    const guesser = authenticateBasic(basic('1001', 'right'), '198.51.100.1', { devices, throttle });
    await expect(guesser).rejects.toMatchObject({ status: 429 });
    expect(await authenticateBasic(basic('1001', 'right'), '192.0.2.10', { devices, throttle })).toBe(1001);
    // Now verified in memory, the right password is accepted from an address whose pair is not full…
    expect(await authenticateBasic(basic('1001', 'right'), '198.51.100.0', { devices, throttle })).toBe(1001);
    // …but not from one whose pair is: there the password is not even looked at.
    await expect(
      authenticateBasic(basic('1001', 'right'), '198.51.100.1', { devices, throttle }),
    ).rejects.toMatchObject({ status: 429 });
  });

  it('gives the slot back when the password check itself fails', async () => {
    const throttle = new LoginThrottle(throttleOptions);
    const broken = {
      verifyFromMemory: () => undefined,
      checkUnderWay: () => undefined,
      verify: async () => {
        throw new Error('database down');
      },
    };
    for (let i = 0; i < 10; i++) {
      await expect(
        authenticateBasic(basic('1001', 'pw'), '203.0.113.9', { devices: broken, throttle }),
      ).rejects.toThrow('database down');
    }
  });
});
