import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

// Only storage/ may name kysely (.dependency-cruiser.cjs, database-libraries-only-in-storage):
// the other rooms hold the handle by these names and pass it back to storage functions.

/** The database handle services and the worker are built with. */
export type Db = Kysely<Database>;

/** An open transaction on `Db`. */
export type DbTransaction = Transaction<Database>;
