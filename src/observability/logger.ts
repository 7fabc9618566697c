import { type DestinationStream, type Logger, pino } from 'pino';
import { chooseLogFormat, type LogFormat, type LogOutput, prettyDestination } from './pretty-log.ts';
import { activeTraceIds } from './spans.ts';

export type { LogFormat, Logger };

/**
 * One structured logger for the process; doors derive children with their own bindings. A line
 * written inside a span (a request, a bot update, a job) carries its traceId and spanId, so a
 * trace leads to its log lines and back.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'televent' },
    serializers: { err: serializeError },
    mixin: () => activeTraceIds() ?? {},
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}

/**
 * The server's logger on stdout: readable lines on a terminal, JSON lines otherwise (a pipe, a
 * file, a container's log collector); LOG_FORMAT picks one either way. Colours only on a terminal
 * and never when NO_COLOR is set.
 */
export function createProcessLogger(
  settings: { LOG_LEVEL: string; LOG_FORMAT?: LogFormat | undefined },
  output: LogOutput = process.stdout,
  env: Record<string, string | undefined> = process.env,
): Logger {
  if (chooseLogFormat(settings.LOG_FORMAT, output) === 'json') {
    // Written off the event loop: a line per request was a write(2) per request on it; lines that
    // come while one write is under way go out together in the next. Flushed when the process exits.
    return output === process.stdout
      ? createLogger(settings.LOG_LEVEL, pino.destination({ dest: 1, sync: false }))
      : createLogger(settings.LOG_LEVEL, output as DestinationStream);
  }
  const colors = output.isTTY === true && !env.NO_COLOR;
  return createLogger(settings.LOG_LEVEL, prettyDestination(output, colors));
}

const maxMessageLength = 500;
const maxFieldLength = 200;
const maxStackFrames = 20;
const maxCauseDepth = 3;

/**
 * Error fields worth a log line: codes and names, never values. PGlite hangs the whole query,
 * its parameters and options on its errors (`query`, `params`, `queryOptions`), and PostgreSQL's
 * `detail` and `where` quote row values ("Key (uid)=(…) already exists"); pino's default
 * serializer copies every enumerable field, which once wrote whole iCalendar texts into the log.
 */
const loggedFields = [
  'code',
  'errno',
  'syscall',
  'severity',
  'routine',
  'schema',
  'table',
  'column',
  'constraint',
  'dataType',
  'statusCode',
  'kind',
  'reason',
] as const;

export interface SerializedError {
  type: string;
  message: string;
  stack?: string;
  cause?: SerializedError;
  [field: string]: unknown;
}

/**
 * pino's `err` serializer: type, message (capped), stack frames and a few diagnostic codes,
 * with causes followed a few levels deep. Whatever else an error carries is left out.
 */
export function serializeError(value: unknown, depth = 0): SerializedError {
  if (typeof value !== 'object' || value === null) {
    return { type: typeof value, message: cap(String(value), maxMessageLength) };
  }
  const record = value as Record<string, unknown>;
  const type =
    value instanceof Error ? value.name || value.constructor.name : (value.constructor?.name ?? 'Object');
  const message = cap(typeof record.message === 'string' ? record.message : '', maxMessageLength);
  const serialized: SerializedError = { type, message };
  if (typeof record.stack === 'string') serialized.stack = framesOf(record.stack, `${type}: ${message}`);
  for (const field of loggedFields) {
    const fieldValue = record[field];
    if (typeof fieldValue === 'number' || typeof fieldValue === 'boolean') serialized[field] = fieldValue;
    else if (typeof fieldValue === 'string') serialized[field] = cap(fieldValue, maxFieldLength);
  }
  if (record.cause !== undefined && depth < maxCauseDepth) {
    serialized.cause = serializeError(record.cause, depth + 1);
  }
  return serialized;
}

/** The stack's frames under a header of our own: V8 repeats the whole message in its first line. */
function framesOf(stack: string, header: string): string {
  const frames = stack
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, maxStackFrames)
    .map((line) => cap(line, maxFieldLength));
  return [header, ...frames].join('\n');
}

function cap(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}
