import type { LogEvent } from 'kysely';
import { hasRecordingSpan, recordFinishedSpan } from '../observability/spans.ts';

/** Enough of a statement to know it; a long IN list adds only more placeholders. */
const maxQueryTextLength = 2_000;

/**
 * Kysely's log hook as a span per SQL statement, child of the request, update or job that ran it.
 * Kysely calls it on both engines (PGlite and pg), where @opentelemetry/instrumentation-pg would
 * see `pg` alone, and only when patching its module loads works (not in the bundled dist/). A
 * statement outside any traced work (the worker's idle polling) makes no span of its own. The text
 * is the parameterised statement ($1, $2…): values never leave the process.
 */
export function traceQuery(event: LogEvent): void {
  if (!hasRecordingSpan()) return;
  const text = event.query.sql;
  const operation = /^\s*([A-Za-z]+)/.exec(text)?.[1]?.toUpperCase() ?? 'SQL';
  const endedAt = performance.timeOrigin + performance.now();
  recordFinishedSpan(
    operation,
    {
      'db.system.name': 'postgresql',
      'db.operation.name': operation,
      'db.query.text': text.length > maxQueryTextLength ? text.slice(0, maxQueryTextLength) : text,
    },
    endedAt - event.queryDurationMillis,
    endedAt,
    event.level === 'error' ? event.error : undefined,
  );
}
