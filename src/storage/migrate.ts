import { type Kysely, type MigrationResultSet, Migrator, NO_MIGRATIONS, sql } from 'kysely';
import { migrationProvider } from './migrations/index.ts';
import type { Database } from './schema.ts';
import { serverHoldsDatabase } from './serving-lock.ts';

export interface MigrationStatus {
  name: string;
  executedAt: Date | null;
}

/**
 * Kysely looks for its bookkeeping tables in every schema unless it is told which one; without this,
 * another schema's kysely_migration (a second app, a parallel test) is taken for ours and nothing runs.
 */
async function migratorFor(db: Kysely<Database>): Promise<Migrator> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  return new Migrator({
    db,
    provider: migrationProvider,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
}

function unwrap(result: MigrationResultSet): string[] {
  if (result.error) {
    throw new Error(
      `migration failed: ${result.error instanceof Error ? result.error.message : String(result.error)}`,
      { cause: result.error },
    );
  }
  return (result.results ?? []).map((r) => `${r.direction === 'Up' ? 'up' : 'down'} ${r.migrationName}`);
}

/** Applies every pending migration; returns what ran. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  return unwrap(await (await migratorFor(db)).migrateToLatest());
}

/** Undoes the newest migration (or all of them with `toZero`). */
export async function migrateDown(
  db: Kysely<Database>,
  options: { toZero?: boolean } = {},
): Promise<string[]> {
  if (await serverHoldsDatabase(db)) {
    throw new Error(
      'a Televent server is running on this database; stop it before `migrate down` (nothing changed)',
    );
  }
  const migrator = await migratorFor(db);
  return unwrap(options.toZero ? await migrator.migrateTo(NO_MIGRATIONS) : await migrator.migrateDown());
}

/**
 * Applies migrations up to and including `name` (a moved or restored database gets exactly its
 * source's schema); refuses a name this version of Televent does not know.
 */
export async function migrateUpTo(db: Kysely<Database>, name: string): Promise<string[]> {
  const known = Object.keys(await migrationProvider.getMigrations());
  if (!known.includes(name)) {
    throw new Error(
      `this version of Televent does not know migration ${name} (the data comes from a newer one): upgrade Televent first`,
    );
  }
  return unwrap(await (await migratorFor(db)).migrateTo(name));
}

/** The names of the migrations applied, oldest first. */
export async function appliedMigrations(db: Kysely<Database>): Promise<string[]> {
  return (await migrationStatus(db)).filter((m) => m.executedAt !== null).map((m) => m.name);
}

export async function migrationStatus(db: Kysely<Database>): Promise<MigrationStatus[]> {
  const list = await (await migratorFor(db)).getMigrations();
  return list.map((m) => ({ name: m.name, executedAt: m.executedAt ?? null }));
}
