import type { Migration, MigrationProvider } from 'kysely';
import * as createCoreSchema from './2026-11-25T06-00_create-core-schema.ts';

// A static map (like graphile-worker's generated sql.ts): no folder scanning at run time.
const migrations: Record<string, Migration> = {
  '2026-11-25T06-00_create-core-schema': createCoreSchema,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
