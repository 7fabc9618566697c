import type { Compilable, CompiledQuery } from 'kysely';
import type { Executor } from './transaction.ts';

/**
 * A query of the hot path built and compiled by Kysely once per process; each call only binds its
 * values. Building a query tree is not free: resolving a calendar by its slug (a union of two
 * joins) spent more of a CalDAV request's time in Kysely's builders than in PostgreSQL.
 *
 * `build` is called once, with a slot (see `compiledPerShape`) in the place of each of its
 * `arity` arguments; every call then runs that text with the caller's values in those places.
 * The text is the same for every call, so with prepared statements (prepared-statements.ts)
 * PostgreSQL plans it once per connection too.
 */
export function compiledOnce<Args extends readonly unknown[], Row>(
  build: (db: Executor, ...args: Args) => Compilable<Row>,
  arity: Args['length'],
): (db: Executor, ...args: Args) => Promise<Row[]> {
  const names = Array.from({ length: arity }, (_, index) => String(index));
  const run = compiledPerShape<null, Row>(
    (db, _shape, slot) => build(db, ...(names.map(slot) as unknown as Args)),
    () => '',
  );
  // The arguments are the values, by position: an array is a record of its indexes.
  return (db, ...args) => run(db, null, args as unknown as Readonly<Record<string, unknown>>);
}

/**
 * `compiledOnce` for a query whose text depends on a few choices (its shape): built and compiled
 * once per shape, named by `key(shape)`. `build` puts `slot(name)` wherever a value goes; each
 * call binds `values[name]` there (null is a value; a slot without one is an error, and so is a
 * slot the compiled query does not bind as a parameter).
 */
export function compiledPerShape<Shape, Row>(
  build: (db: Executor, shape: Shape, slot: (name: string) => never) => Compilable<Row>,
  key: (shape: Shape) => string,
): (db: Executor, shape: Shape, values: Readonly<Record<string, unknown>>) => Promise<Row[]> {
  const marker = '\u0000slot:';
  const compiledShapes = new Map<string, { query: CompiledQuery<Row>; names: Array<string | undefined> }>();
  return async (db, shape, values) => {
    const shapeKey = key(shape);
    let compiled = compiledShapes.get(shapeKey);
    if (!compiled) {
      const asked = new Set<string>();
      const slot = (name: string) => {
        asked.add(name);
        return `${marker}${name}` as never;
      };
      const query = build(db, shape, slot).compile();
      const names = query.parameters.map((parameter) =>
        typeof parameter === 'string' && parameter.startsWith(marker)
          ? parameter.slice(marker.length)
          : undefined,
      );
      for (const name of asked) {
        if (!names.includes(name))
          throw new Error(`compiledPerShape: the slot "${name}" is not a parameter of ${query.sql}`);
      }
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
