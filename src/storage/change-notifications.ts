import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Logger } from '../observability/logger.ts';
import type { DatabaseHandle } from './database.ts';

/** The channel the cache-invalidation triggers (migration 2026-11-25T09-00) notify on. */
export const cacheChannel = 'televent_cache';

/** The LISTEN connection's application_name, so an operator can tell it apart in pg_stat_activity. */
export const cacheListenerName = 'televent-cache-listener';

/** A committed write that may have made an in-memory copy stale. */
export type StoredChange =
  | { kind: 'devices'; userId: number }
  | { kind: 'object'; calendarId: string; hrefName: string }
  | { kind: 'calendar'; calendarId: string }
  /** A calendar of this user was made, deleted or had its name, colour, order or components changed. */
  | { kind: 'calendar-list'; userId: number };

/** Whoever keeps caches: told when notifications start (`connected`) and stop (`disconnected`), and what changed. */
export interface ChangeSink {
  /** `fence`: one round trip on the LISTEN connection, after which everything notified before it has arrived. */
  connected(fence?: () => Promise<void>): void;
  disconnected(): void;
  changed(change: StoredChange): void;
}

export interface ChangeListener {
  /** PostgreSQL: the server process of the LISTEN connection while it is up (tests end it). */
  readonly backendPid?: number | undefined;
  close(): Promise<void>;
}

/** Reads one trigger payload; null when it belongs to another schema or cannot be read. */
export function parseChangePayload(payload: string, schema: string): StoredChange | null {
  const [payloadSchema, kind, id] = payload.split(' ', 3);
  if (payloadSchema !== schema || id === undefined) return null;
  if (kind === 'd' || kind === 'u') {
    const userId = Number(id);
    if (!Number.isSafeInteger(userId)) return null;
    return kind === 'd' ? { kind: 'devices', userId } : { kind: 'calendar-list', userId };
  }
  if (kind === 'c') return { kind: 'calendar', calendarId: id };
  if (kind === 'o') {
    // The href name is everything after the third space; it may itself contain spaces.
    const prefix = `${payloadSchema} o ${id} `;
    if (!payload.startsWith(prefix)) return null;
    return { kind: 'object', calendarId: id, hrefName: payload.slice(prefix.length) };
  }
  return null;
}

/**
 * Embedded PGlite: this process is the only writer, and PGlite runs a listener's callback before
 * the committing statement returns, so every write (cascades included) reaches the caches
 * before its caller goes on. Live from the start.
 */
export async function listenPGlite(pglite: PGlite, sink: ChangeSink): Promise<ChangeListener> {
  const schema = (await pglite.query<{ schema: string }>('select current_schema() as schema')).rows[0]
    ?.schema;
  const unlisten = await pglite.listen(cacheChannel, (payload) => {
    const change = parseChangePayload(payload, schema ?? 'public');
    if (change) sink.changed(change);
  });
  sink.connected();
  return {
    close: async () => {
      sink.disconnected();
      if (!pglite.closed) await unlisten();
    },
  };
}

/** How long a request waits for the notification round trip before caches are turned off. */
const fenceTimeoutMs = 1_000;

export interface PostgresListenOptions {
  databaseUrl: string;
  /** The schema the server works in when it is not the URL's (tests give each file one). */
  searchPath?: string | undefined;
  logger: Logger;
  /** How often the connection is checked; a silent dead connection must not keep caches live. */
  heartbeatMs?: number;
}

/**
 * PostgreSQL: a dedicated connection LISTENs (like the outbox wake-up). The sink is live only
 * while that connection is up: on any error, a failed heartbeat or a close, it is told `disconnected`
 * at once (callers drop their caches and read the database), and the connection is retried.
 */
export function listenPostgres(options: PostgresListenOptions, sink: ChangeSink): ChangeListener {
  const heartbeatMs = options.heartbeatMs ?? 10_000;
  let closed = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  let failures = 0;

  const drop = (reason: unknown) => {
    if (heartbeat) clearInterval(heartbeat);
    heartbeat = null;
    const old = client;
    client = null;
    sink.disconnected();
    old?.end().catch(() => {});
    if (closed || retry) return;
    if (reason)
      options.logger.warn({ err: reason }, 'cache LISTEN connection lost; caches off until it is back');
    failures++;
    retry = setTimeout(
      () => {
        retry = null;
        void connect();
      },
      Math.min(5_000, 250 * 2 ** Math.min(failures, 5)),
    );
    retry.unref();
  };

  const connect = async () => {
    if (closed) return;
    const next = new pg.Client({
      connectionString: options.databaseUrl,
      keepAlive: true,
      application_name: cacheListenerName,
      ...(options.searchPath ? { options: `-c search_path=${options.searchPath}` } : {}),
    });
    let schema = '';
    next.on('notification', (message) => {
      if (next !== client || message.channel !== cacheChannel) return;
      const change = parseChangePayload(message.payload ?? '', schema);
      if (change) sink.changed(change);
    });
    next.on('error', (error) => {
      if (next === client) drop(error);
    });
    next.on('end', () => {
      if (next === client) drop(new Error('connection ended'));
    });
    try {
      await next.connect();
      const result = await next.query<{ schema: string }>('select current_schema() as schema');
      schema = result.rows[0]?.schema ?? 'public';
      await next.query(`listen ${cacheChannel}`);
    } catch (error) {
      await next.end().catch(() => {});
      drop(error);
      return;
    }
    if (closed) {
      await next.end().catch(() => {});
      return;
    }
    client = next;
    failures = 0;
    // PostgreSQL sends a listening session the notifications already queued for it before it
    // answers that session's next query, so once `select 1` is back they have all been handled
    // (pg emits 'notification' while reading, before the query's result). One that does not come
    // back in time means the connection cannot be trusted: caches go off, as on any failure.
    const fence = async () => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('notification round trip timed out')), fenceTimeoutMs);
      });
      try {
        await Promise.race([next.query('select 1'), late]);
      } catch (error) {
        if (next === client) drop(error);
      } finally {
        clearTimeout(timer);
      }
    };
    // Only now: changes committed before LISTEN took effect were never cached by a live sink.
    sink.connected(fence);
    heartbeat = setInterval(() => {
      const current = client;
      if (!current) return;
      const timeout = setTimeout(() => {
        if (current === client) drop(new Error('heartbeat timed out'));
      }, heartbeatMs);
      current.query('select 1').then(
        () => clearTimeout(timeout),
        (error: unknown) => {
          clearTimeout(timeout);
          if (current === client) drop(error);
        },
      );
    }, heartbeatMs);
    heartbeat.unref();
  };

  void connect();
  return {
    get backendPid() {
      return (client as (pg.Client & { processID?: number }) | null)?.processID;
    },
    close: async () => {
      closed = true;
      if (retry) clearTimeout(retry);
      if (heartbeat) clearInterval(heartbeat);
      const old = client;
      client = null;
      sink.disconnected();
      await old?.end().catch(() => {});
    },
  };
}

/**
 * Connects `sink` to the database's change notifications: PGlite's own LISTEN, or a dedicated
 * PostgreSQL connection to `databaseUrl` (the same database and schema the server works in).
 */
export async function startChangeFeed(
  database: DatabaseHandle,
  sink: ChangeSink,
  options: Omit<PostgresListenOptions, 'databaseUrl'> & { databaseUrl?: string | undefined },
): Promise<ChangeListener> {
  if (database.pglite) return listenPGlite(database.pglite, sink);
  if (!options.databaseUrl) throw new Error('a PostgreSQL change feed needs the database URL');
  return listenPostgres({ ...options, databaseUrl: options.databaseUrl }, sink);
}
