import type { Compilable, CompiledQuery } from 'kysely';
import type { Executor } from './transaction.ts';

/**
 * A query of the hot path built and compiled by Kysely once per process; each call only binds its
 * values. Building a query tree is not free: resolving a calendar by its slug (a union of two
 * joins) spent more of a CalDAV request's time in Kysely's builders than in PostgreSQL.
 *
 * `build` is called once with `placeholders`, values that must not occur in the query otherwise
 * (each becomes one or more bound parameters, found by identity); every call then runs that text
 * with the caller's values in their places. The text is the same for every call, so with prepared
 * statements (prepared-statements.ts) PostgreSQL plans it once per connection too.
 */
export function compiledOnce<Args extends readonly unknown[], Row>(
  build: (db: Executor, ...args: Args) => Compilable<Row>,
  placeholders: Args,
): (db: Executor, ...args: Args) => Promise<Row[]> {
  let compiled: CompiledQuery<Row> | undefined;
  // For each argument, the parameter positions it fills.
  let positions: number[][] = [];
  return async (db, ...args) => {
    if (!compiled) {
      const query = build(db, ...placeholders).compile();
      positions = placeholders.map((placeholder) =>
        query.parameters.flatMap((parameter, index) => (parameter === placeholder ? [index] : [])),
      );
      if (positions.some((at) => at.length === 0)) {
        throw new Error(`compiledOnce: a placeholder is not a parameter of ${query.sql}`);
      }
      compiled = query;
    }
    const parameters = [...compiled.parameters];
    args.forEach((value, argument) => {
      for (const index of positions[argument] ?? []) parameters[index] = value;
    });
    const result = await db.executeQuery<Row>({ ...compiled, parameters });
    return result.rows;
  };
}
