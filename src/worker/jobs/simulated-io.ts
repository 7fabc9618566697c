import { setTimeout as sleep } from 'node:timers/promises';
import type { JobHandler } from '../job-context.ts';

/**
 * 'bench.simulated-io': waits `ms` and does nothing else: a stand-in for the network round trip
 * of a real send (Telegram, SMTP) without the CPU of one, so bench:worker can show how workers
 * scale when the CPU is not the limit.
 */
export const simulateIo: JobHandler<'bench.simulated-io'> = async (payload) => {
  await sleep(payload.ms);
};
