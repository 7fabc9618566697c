import { type Kysely, type MigrationResultSet, Migrator, NO_MIGRATIONS } from 'kysely';
import { migrationProvider } from './migrations/index.ts';
import type { Database } from './schema.ts';

export interface MigrationStatus {
  name: string;
  executedAt: Date | null;
}

function migratorFor(db: Kysely<Database>): Migrator {
  return new Migrator({ db, provider: migrationProvider });
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
  return unwrap(await migratorFor(db).migrateToLatest());
}

/** Undoes the newest migration (or all of them with `toZero`). */
export async function migrateDown(db: Kysely<Database>, options: { toZero?: boolean } = {}): Promise<string[]> {
  const migrator = migratorFor(db);
  return unwrap(options.toZero ? await migrator.migrateTo(NO_MIGRATIONS) : await migrator.migrateDown());
}

export async function migrationStatus(db: Kysely<Database>): Promise<MigrationStatus[]> {
  const list = await migratorFor(db).getMigrations();
  return list.map((m) => ({ name: m.name, executedAt: m.executedAt ?? null }));
}
