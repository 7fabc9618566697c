import type { DestinationStream } from 'pino';

/** How log lines are written: one JSON object per line, or one readable line for a person. */
export type LogFormat = 'json' | 'pretty';

/** Where logs go: stdout, or whatever a test hands in. */
export interface LogOutput {
  write(text: string): unknown;
  isTTY?: boolean | undefined;
}

/** LOG_FORMAT when set; otherwise readable on a terminal and JSON for a pipe, file or collector. */
export function chooseLogFormat(setting: LogFormat | undefined, output: LogOutput): LogFormat {
  return setting ?? (output.isTTY ? 'pretty' : 'json');
}

const levelNames: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const levelColors: Record<number, string> = { 10: '90', 20: '36', 30: '32', 40: '33', 50: '31', 60: '35' };
/** Fields every line has, shown in the line's head or not at all. */
const headFields = new Set(['level', 'time', 'msg', 'service', 'pid', 'hostname', 'door']);

/**
 * A pino destination that turns each JSON line into `12:03:04.567 INFO  [http] message key=value`,
 * with an error's stack indented below. A few lines of our own rather than pino-pretty: the JSON
 * stays the one format the process produces, and this only re-reads it for a person's eyes.
 */
export function prettyDestination(output: LogOutput, colors = false): DestinationStream {
  return { write: (line: string) => output.write(formatLogLine(line, colors)) };
}

/** One pino JSON line as readable text; a line that is not JSON passes through unchanged. */
export function formatLogLine(line: string, colors: boolean): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  const level = typeof record.level === 'number' ? record.level : 30;
  const name = (levelNames[level] ?? String(level)).padEnd(5);
  const paint = (code: string, text: string) => (colors ? `\u001b[${code}m${text}\u001b[0m` : text);
  const time = typeof record.time === 'number' ? new Date(record.time).toISOString().slice(11, 23) : '';
  const door = typeof record.door === 'string' ? ` [${record.door}]` : '';
  const message = typeof record.msg === 'string' ? record.msg : '';
  const fields: string[] = [];
  let stack = '';
  for (const [key, value] of Object.entries(record)) {
    if (headFields.has(key) || value === undefined) continue;
    if (key === 'err' && typeof value === 'object' && value !== null) {
      const err = value as { type?: unknown; message?: unknown; stack?: unknown; code?: unknown };
      fields.push(`err=${JSON.stringify(`${String(err.type ?? 'Error')}: ${String(err.message ?? '')}`)}`);
      if (err.code !== undefined) fields.push(`err.code=${String(err.code)}`);
      if (typeof err.stack === 'string') stack = err.stack.split('\n').slice(1).join('\n');
      continue;
    }
    fields.push(`${key}=${plain(value)}`);
  }
  const head = `${paint('90', time)} ${paint(levelColors[level] ?? '0', name)}${door} ${message}`;
  const tail = fields.length > 0 ? ` ${paint('90', fields.join(' '))}` : '';
  return `${head}${tail}\n${stack ? `${paint('90', stack)}\n` : ''}`;
}

/** A bare word as is; anything with spaces, quotes or structure as JSON. */
function plain(value: unknown): string {
  if (typeof value === 'string') return /^[\w./:@+-]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}
