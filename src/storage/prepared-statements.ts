import { createHash } from 'node:crypto';
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type pg from 'pg';

/** Statements one connection keeps prepared at most; later ones run unnamed, as before. */
export const maxPreparedPerConnection = 200;

// Text → hash, so a repeated query is one Map lookup rather than a SHA-1 of its text.
const hashes = new Map<string, string>();
const maxHashes = 2000;

function statementName(text: string): string {
  let hash = hashes.get(text);
  if (hash === undefined) {
    hash = createHash('sha1').update(text).digest('base64url').slice(0, 22);
    if (hashes.size < maxHashes && text.length <= 4096) hashes.set(text, hash);
  }
  return `tv_${hash}`;
}

/**
 * A pg pool for Kysely whose connections keep the statements this server repeats prepared: each
 * query with parameters (so always one statement) runs as a named statement, parsed and planned by
 * PostgreSQL once per connection and only bound and executed after that. Planning is most of what
 * the small queries of a CalDAV request cost the database: resolving a calendar by its slug took
 * 0.2 ms to plan and 0.04 ms to run (EXPLAIN ANALYZE, PostgreSQL 15). The name is the text's hash,
 * so one text is one statement whatever code sends it; a connection keeps at most
 * `maxPreparedPerConnection` (the texts are Kysely's, a bounded set, but IN lists vary in length).
 *
 * A schema change while statements are prepared (a migration run beside a live server) can make
 * PostgreSQL refuse one ("cached plan must not change result type"): the error goes to the caller
 * and that connection is closed when released, so one request fails and the next one prepares the
 * statement afresh on a new connection.
 */
export function preparingPool(pool: pg.Pool): PostgresPool {
  return {
    connect: async () => new PreparingClient(await pool.connect()),
    end: () => pool.end(),
  };
}

/** The names each connection has prepared. */
const preparedBy = new WeakMap<pg.PoolClient, Set<string>>();

class PreparingClient implements PostgresPoolClient {
  readonly #client: pg.PoolClient;
  readonly #prepared: Set<string>;
  #closeOnRelease = false;

  constructor(client: pg.PoolClient) {
    this.#client = client;
    let prepared = preparedBy.get(client);
    if (!prepared) {
      prepared = new Set();
      preparedBy.set(client, prepared);
    }
    this.#prepared = prepared;
  }

  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(input: string | PostgresCursor<R>, parameters?: ReadonlyArray<unknown>) {
    if (typeof input !== 'string') return this.#client.query(input as never) as unknown as PostgresCursor<R>;
    return this.#run<R>(input, parameters ?? []);
  }

  async #run<R>(text: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
    const values = [...parameters];
    const prepared = this.#prepared;
    if (values.length === 0) return this.#client.query(text) as never;
    const name = statementName(text);
    if (!prepared.has(name)) {
      if (prepared.size >= maxPreparedPerConnection) return this.#client.query(text, values) as never;
      prepared.add(name);
    }
    try {
      return (await this.#client.query({ name, text, values })) as never;
    } catch (error) {
      // "cached plan must not change result type": the schema changed under a prepared statement.
      // The connection is closed when given back (its statements go with it; inside a failed
      // transaction they could not be dropped), and the pool opens a fresh one.
      if ((error as { code?: string }).code === '0A000') this.#closeOnRelease = true;
      throw error;
    }
  }

  release(destroy?: boolean): void {
    this.#client.release(destroy || this.#closeOnRelease || undefined);
  }
}
