import type { Db } from '../storage/db-types.ts';
import {
  deleteDevice,
  insertDevice,
  listDevices,
  touchDevices,
} from '../storage/repositories/device-repository.ts';
import { findUser } from '../storage/repositories/user-repository.ts';
import type { DevicePasswordRow } from '../storage/schema.ts';
import { DeviceAuthCache } from './auth/device-auth-cache.ts';
import { generateDevicePassword, hashDevicePassword, verifyDevicePassword } from './auth/device-password.ts';
import { CacheInvalidation } from './cache-invalidation.ts';
import { isUuid } from './calendar-service.ts';
import { AppError } from './errors.ts';

export interface DeviceView {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export interface NewDevice extends DeviceView {
  /** Shown once, never stored in clear. */
  password: string;
}

const maxDevicesPerUser = 50;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const controlCharacter = /[\u0000-\u001f\u007f]/;

/** Device passwords for CalDAV clients: create (shown once), list, revoke, verify. */
export class DeviceService {
  readonly #db: Db;
  readonly #cache: DeviceAuthCache;
  readonly #changes: CacheInvalidation;
  readonly #seen = new Set<string>();
  /**
   * Password checks under way, by user and keyed password digest: a client opening several
   * connections at once sends the same new password on each, and they share one Argon2 run
   * instead of each taking a sign-in slot. Dropped when the user's device passwords change, so a
   * request arriving after a revocation never joins a check that began before it.
   */
  readonly #checking = new Map<number, Map<string, Promise<string | null>>>();

  constructor(deps: { db: Db; cache?: DeviceAuthCache; changes?: CacheInvalidation }) {
    this.#db = deps.db;
    const cache = deps.cache ?? new DeviceAuthCache();
    this.#cache = cache;
    this.#changes = deps.changes ?? new CacheInvalidation();
    this.#changes.subscribe({
      devicesChanged: (userId) => {
        cache.forgetUser(userId);
        this.#checking.delete(userId);
      },
      reset: () => {
        cache.clear();
        this.#checking.clear();
      },
    });
  }

  async createDevice(userId: number, rawName: string): Promise<NewDevice> {
    const name = rawName.trim();
    if (name.length === 0 || name.length > 64) {
      throw new AppError('invalid-field', 'A device name has 1 to 64 characters.', {
        details: { field: 'name' },
      });
    }
    // One line of printable text: PostgreSQL refuses NUL in text outright, and a tab or line
    // break would garble every list the name is shown in.
    if (controlCharacter.test(name)) {
      throw new AppError('invalid-field', 'A device name cannot contain control characters or line breaks.', {
        details: { field: 'name' },
      });
    }
    if (!(await findUser(this.#db, userId))) throw new AppError('user-not-found');
    if ((await listDevices(this.#db, userId)).length >= maxDevicesPerUser) {
      throw new AppError(
        'invalid-field',
        `At most ${maxDevicesPerUser} device passwords; revoke an old one first.`,
      );
    }
    const password = generateDevicePassword();
    const row = await insertDevice(this.#db, {
      userId,
      name,
      passwordHash: await hashDevicePassword(password),
    });
    if (!row) throw new AppError('device-name-taken', `A device password named "${name}" already exists.`);
    return { ...toDeviceView(row), password };
  }

  async listDevices(userId: number): Promise<DeviceView[]> {
    return (await listDevices(this.#db, userId)).map(toDeviceView);
  }

  async revokeDevice(userId: number, deviceId: string): Promise<void> {
    // Device ids are UUIDs: anything else names no device, and must not reach the uuid column.
    if (!isUuid(deviceId)) throw new AppError('device-not-found');
    try {
      if (!(await deleteDevice(this.#db, userId, deviceId))) throw new AppError('device-not-found');
    } finally {
      // Before the caller hears back: the revoked password fails on the very next request.
      this.#cache.forgetDevice(deviceId);
      this.#changes.devicesChanged(userId);
    }
  }

  /**
   * `verify` without any await, for the request hot path: the device id when memory alone may
   * answer (the change feed is live and this pair was verified), else undefined.
   */
  verifyFromMemory(userId: number, password: string): string | undefined {
    if (!this.#changes.live) return undefined;
    const cached = this.#cache.get(userId, password);
    if (cached) this.#seen.add(cached);
    return cached;
  }

  /**
   * The device id whose password this is, or null. While the change feed is live a cached pair
   * is answered from memory: every change to this user's device passwords, by this process or
   * another, drops it first. Otherwise it is confirmed with one indexed lookup, so a device
   * revoked through another process still stops working on its next request.
   */
  async verify(userId: number, password: string): Promise<string | null> {
    const answered = this.verifyFromMemory(userId, password);
    if (answered) return answered;
    const key = this.#cache.keyFor(userId, password);
    const running = this.#checking.get(userId)?.get(key);
    if (running) return running;
    const checks = this.#checking.get(userId) ?? new Map<string, Promise<string | null>>();
    this.#checking.set(userId, checks);
    const check = this.#check(userId, password).finally(() => {
      if (checks.get(key) === check) checks.delete(key);
      if (checks.size === 0 && this.#checking.get(userId) === checks) this.#checking.delete(userId);
    });
    checks.set(key, check);
    return check;
  }

  /** The same password's check already under way for this user, if any (it may still fail). */
  checkUnderWay(userId: number, password: string): Promise<string | null> | undefined {
    return this.#checking.get(userId)?.get(this.#cache.keyFor(userId, password));
  }

  async #check(userId: number, password: string): Promise<string | null> {
    const cached = this.#cache.get(userId, password);
    const epoch = this.#changes.epoch;
    const devices = await listDevices(this.#db, userId);
    if (cached && devices.some((d) => d.id === cached)) {
      this.#seen.add(cached);
      return cached;
    }
    for (const device of devices) {
      if (await verifyDevicePassword(device.password_hash, password)) {
        // A change seen while hashing may have revoked this device: answer, but do not remember.
        if (this.#changes.epoch === epoch) this.#cache.set(userId, password, device.id);
        this.#seen.add(device.id);
        return device.id;
      }
    }
    return null;
  }

  /** Writes `last_used_at` for devices used since the last flush: one UPDATE, not one per request. */
  async flushLastUsed(now = new Date()): Promise<void> {
    if (this.#seen.size === 0) return;
    const ids = [...this.#seen];
    this.#seen.clear();
    await touchDevices(this.#db, ids, now);
  }
}

function toDeviceView(row: DevicePasswordRow): DeviceView {
  return { id: row.id, name: row.name, createdAt: row.created_at, lastUsedAt: row.last_used_at };
}
