import pg from 'pg';
import { redactUrl } from './database.ts';

/** A refused, unanswered or rejected DATABASE_URL: the message names the variable and the cause. */
export class DatabaseUrlError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseUrlError';
  }
}

/** How long start-up waits for PostgreSQL to accept a connection before saying it cannot. */
export const databaseConnectTimeoutMs = 10_000;

/**
 * Connects once to `url` and runs `select 1`, so a wrong or unreachable DATABASE_URL stops
 * start-up at once with one line saying why (the pool would otherwise fail later, deep inside a
 * migration, with the driver's bare `ECONNREFUSED`, or hang for the operating system's TCP timeout).
 */
export async function checkDatabaseUrl(
  url: string,
  timeoutMs = databaseConnectTimeoutMs,
  /** What the operator called the URL (`televent data move --to` checks its target too). */
  name = 'DATABASE_URL',
): Promise<void> {
  const shown = redactUrl(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new DatabaseUrlError(`${name} is not a valid URL (${shown}).`, { cause: error });
  }
  if (!parsed.hostname && !parsed.searchParams.get('host')) {
    throw new DatabaseUrlError(`${name} ${shown} names no host.`);
  }
  let client: pg.Client;
  try {
    client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  } catch (error) {
    throw new DatabaseUrlError(`${name} ${shown} cannot be read: ${messageOf(error)}.`, {
      cause: error,
    });
  }
  // A server that goes away mid-check emits 'error' on the client; the rejected query reports it.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new DatabaseUrlError(`${name} ${shown} ${causeOf(error, parsed, timeoutMs, name)}.`, {
      cause: error,
    });
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The driver's error as a short, plain sentence (PostgreSQL's SQLSTATE or Node's socket code). */
function causeOf(error: unknown, url: URL, timeoutMs: number, name: string): string {
  const unreachableHint = `check that PostgreSQL runs there and ${name} points at it`;
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const address = `${url.hostname || 'localhost'}:${url.port || '5432'}`;
  const user = decodeURIComponent(url.username) || 'the default user';
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || user;
  switch (code) {
    case 'ECONNREFUSED':
      return `is unreachable: connection refused at ${address} (${unreachableHint})`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `is unreachable: the host name ${url.hostname} does not resolve (${unreachableHint})`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ECONNRESET':
    case 'ETIMEDOUT':
      return `is unreachable: ${code} at ${address} (${unreachableHint})`;
    case '28P01':
      return `was refused: password authentication failed for user "${user}"`;
    case '28000':
      return `was refused: ${messageOf(error)}`;
    case '3D000':
      return `names a database that does not exist: "${database}" (create it first, e.g. createdb ${database})`;
    case '57P03':
      return 'is not accepting connections yet: the database system is starting up';
    default:
      break;
  }
  if (/Connection terminated unexpectedly/i.test(messageOf(error))) {
    return `is unreachable: the connection to ${address} was cut before PostgreSQL answered (${unreachableHint})`;
  }
  if (/timeout/i.test(messageOf(error))) {
    return `is unreachable: no answer from ${address} within ${Math.round(timeoutMs / 1000)} s (${unreachableHint})`;
  }
  return `could not be used: ${messageOf(error)}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
