import { type Logger, pino } from 'pino';

export type { Logger };

/** One structured logger for the process; doors derive children with their own bindings. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'televent' } });
}
