import { type Kysely, sql } from 'kysely';
import type { DatabaseHandle } from './database.ts';
import type { Database } from './schema.ts';

/**
 * Every `televent serve` process on PostgreSQL holds this advisory lock in shared mode for as long
 * as it runs; `migrate down` asks for it exclusively and so fails while any server is up, on any
 * machine. PostgreSQL drops the lock with the session, so a crashed server leaves nothing behind
 * (unlike a marker row or file). The key is per schema: two installations (or parallel tests) in
 * one database do not see each other. PGlite needs no lock: one process owns it, and its admin
 * socket refuses `migrate down` (src/cli/admin-socket.ts).
 */
const lockKey = sql`hashtext('televent serving ' || current_schema())`;

/** Takes the shared serving lock on its own connection; the returned function lets it go. */
export async function holdServingLock(database: DatabaseHandle): Promise<() => Promise<void>> {
  if (database.engine !== 'postgres') return async () => {};
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let held: () => void = () => {};
  const locked = new Promise<void>((resolve) => {
    held = resolve;
  });
  const session = database.db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock_shared(${lockKey})`.execute(connection);
    held();
    await released;
    await sql`select pg_advisory_unlock_shared(${lockKey})`.execute(connection);
  });
  await Promise.race([locked, session]);
  return async () => {
    release();
    await session;
  };
}

/** True while some server holds the serving lock on this database (and schema). */
export async function serverHoldsDatabase(db: Kysely<Database>): Promise<boolean> {
  return db.connection().execute(async (connection) => {
    const { rows } = await sql<{ free: boolean }>`select pg_try_advisory_lock(${lockKey}) as free`.execute(
      connection,
    );
    if (!rows[0]?.free) return true;
    await sql`select pg_advisory_unlock(${lockKey})`.execute(connection);
    return false;
  });
}
