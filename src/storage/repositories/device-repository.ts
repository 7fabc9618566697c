import type { DevicePasswordRow } from '../schema.ts';
import type { Executor } from '../transaction.ts';

export async function insertDevice(
  db: Executor,
  device: { userId: number; name: string; passwordHash: string },
): Promise<DevicePasswordRow | undefined> {
  return db
    .insertInto('device_passwords')
    .values({ user_id: device.userId, name: device.name, password_hash: device.passwordHash })
    .onConflict((oc) => oc.columns(['user_id', 'name']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function listDevices(db: Executor, userId: number): Promise<DevicePasswordRow[]> {
  return db
    .selectFrom('device_passwords')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
}

export async function deleteDevice(db: Executor, userId: number, deviceId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('device_passwords')
    .where('user_id', '=', userId)
    .where('id', '=', deviceId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Records use without a write per request: the caller batches ids it saw since the last flush. */
export async function touchDevices(db: Executor, deviceIds: readonly string[], at: Date): Promise<void> {
  if (deviceIds.length === 0) return;
  await db.updateTable('device_passwords').set({ last_used_at: at }).where('id', 'in', deviceIds).execute();
}
