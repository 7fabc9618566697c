import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

/** A database handle or an open transaction: every repository function takes either. */
export type Executor = Kysely<Database> | Transaction<Database>;

/** Runs `work` in one transaction: it all commits, or none of it does. */
export function transact<T>(
  db: Kysely<Database>,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(work);
}
