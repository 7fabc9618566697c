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

/**
 * `compiledOnce` for a query whose text depends on a few choices (its shape): built and compiled
 * once per shape, named by `key(shape)`. `build` puts `slot(name)` wherever a value goes; each
 * call binds `values[name]` there (null is a value; a slot without one is an error).
 */
export function compiledPerShape<Shape, Row>(
  build: (db: Executor, shape: Shape, slot: (name: string) => never) => Compilable<Row>,
  key: (shape: Shape) => string,
): (db: Executor, shape: Shape, values: Readonly<Record<string, unknown>>) => Promise<Row[]> {
  const marker = '\u0000slot:';
  const slot = (name: string) => `${marker}${name}` as never;
  const compiledShapes = new Map<string, { query: CompiledQuery<Row>; names: Array<string | undefined> }>();
  return async (db, shape, values) => {
    const shapeKey = key(shape);
    let compiled = compiledShapes.get(shapeKey);
    if (!compiled) {
      const query = build(db, shape, slot).compile();
      const names = query.parameters.map((parameter) =>
        typeof parameter === 'string' && parameter.startsWith(marker)
          ? parameter.slice(marker.length)
          : undefined,
      );
      compiled = { query, names };
      compiledShapes.set(shapeKey, compiled);
    }
    const { query, names } = compiled;
    const parameters = names.map((name, index) => {
      if (name === undefined) return query.parameters[index];
      const value = values[name];
      if (value === undefined) throw new Error(`compiledPerShape: no value for the slot "${name}"`);
      return value;
    });
    const result = await db.executeQuery<Row>({ ...query, parameters });
    return result.rows;
  };
}
