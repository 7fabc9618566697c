import { createServer } from 'node:net';

/** API_HOST:API_PORT (or METRICS_PORT) cannot be listened on; the message names the variable and what to do. */
export class PortError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PortError';
  }
}

/**
 * Binds API_HOST:API_PORT for a moment and lets go, so a port in use (or not ours to bind) stops
 * start-up before the database is opened or created, with one line naming API_PORT. The server
 * binds again right after; a program that takes the port in between still gets the same message
 * from `describeListenError`.
 */
export async function ensurePortFree(host: string, port: number, variable = 'API_PORT'): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error) => reject(describeListenError(error, host, port, variable)));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/**
 * The operator's version of a listen error (EADDRINUSE, EACCES, EADDRNOTAVAIL), naming the port's
 * variable (API_PORT, METRICS_PORT); others pass through.
 */
export function describeListenError(
  error: unknown,
  host: string,
  port: number,
  variable = 'API_PORT',
): unknown {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  switch (code) {
    case 'EADDRINUSE':
      return new PortError(
        `${variable} ${port} is in use on ${host} (another Televent or program is listening). Set ${variable} to a free port, or stop the other program.`,
        { cause: error },
      );
    case 'EACCES':
      return new PortError(
        `${variable} ${port} on ${host} may not be bound by this user (ports below 1024 need privileges). Set ${variable} to 1024 or above, and put a proxy in front.`,
        { cause: error },
      );
    case 'EADDRNOTAVAIL':
      return new PortError(
        `API_HOST ${host} is not an address of this machine, so ${variable} ${port} cannot be bound there. Set API_HOST to 127.0.0.1, 0.0.0.0 or one of this machine's addresses.`,
        { cause: error },
      );
    default:
      return error;
  }
}
