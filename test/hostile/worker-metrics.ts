import { setTimeout as sleep } from 'node:timers/promises';
import { send } from './probe.ts';

/** Runs of the hourly reminder roll the server's worker has finished, any outcome (its /metrics). */
async function finishedRolls(baseUrl: string): Promise<number | null> {
  const answer = await send(`${baseUrl}/metrics`, { method: 'GET', timeoutMs: 5_000 });
  if (answer.status !== 200) return null;
  let total = 0;
  for (const line of answer.body.split('\n')) {
    if (
      line.startsWith('televent_worker_job_duration_seconds_count{') &&
      line.includes('kind="reminders.roll-horizon"')
    )
      total += Number(line.slice(line.lastIndexOf(' ') + 1)) || 0;
  }
  return total;
}

/**
 * Waits until the worker has finished one run of the roll. False if none did within `timeoutMs`
 * or the server stopped answering /metrics.
 */
export async function waitForReminderRoll(baseUrl: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const finished = await finishedRolls(baseUrl);
    if (finished === null) return false;
    if (finished > 0) return true;
    await sleep(250);
  }
  return false;
}
