import pg from 'pg';

/** The channel the outbox insert trigger (migration 2026-11-25T07-10) notifies on, once per inserting statement. */
export const outboxChannel = 'televent_outbox';

/** Delay before a failed LISTEN connection is opened again; until then the worker polls. */
const reconnectMs = 5_000;

export interface OutboxListenEvents {
  /** Jobs were enqueued (committed) somewhere. */
  notified(): void;
  /** `lost`: the open connection failed; `connect`: it could not be opened. A retry follows either way. */
  failed(error: unknown, when: 'lost' | 'connect'): void;
}

export interface OutboxListener {
  close(): Promise<void>;
}

/**
 * PostgreSQL only: a dedicated connection to `databaseUrl` LISTENs for new outbox jobs and is
 * reopened after any failure. The worker owns what a notification means; this owns the connection.
 */
export function listenForOutboxJobs(databaseUrl: string, events: OutboxListenEvents): OutboxListener {
  let client: pg.Client | null = null;
  let closed = false;
  let reconnect: NodeJS.Timeout | null = null;

  const scheduleReconnect = () => {
    const old = client;
    client = null;
    old?.end().catch(() => {});
    if (closed || reconnect) return;
    reconnect = setTimeout(() => {
      reconnect = null;
      void connect();
    }, reconnectMs);
    reconnect.unref();
  };

  const connect = async () => {
    if (closed) return;
    const next = new pg.Client({ connectionString: databaseUrl });
    next.on('notification', () => events.notified());
    next.on('error', (error) => {
      events.failed(error, 'lost');
      scheduleReconnect();
    });
    try {
      await next.connect();
      await next.query(`listen ${outboxChannel}`);
      if (closed) {
        await next.end();
        return;
      }
      client = next;
    } catch (error) {
      events.failed(error, 'connect');
      await next.end().catch(() => {});
      scheduleReconnect();
    }
  };

  void connect();
  return {
    async close() {
      closed = true;
      if (reconnect) clearTimeout(reconnect);
      const old = client;
      client = null;
      await old?.end().catch(() => {});
    },
  };
}
