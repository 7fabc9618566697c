import { readdirSync, readFileSync } from 'node:fs';

// CPU time from /proc (Linux): utime + stime of a process in clock ticks (proc(5), fields 14
// and 15), and the machine's busy/idle ticks from /proc/stat. USER_HZ is 100 on Linux.
const ticksPerSecond = 100;

/** CPU seconds a process has used so far (all its threads), or null once it is gone. */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return null;
  }
}

/** Busy and total CPU seconds of the whole machine so far (all cores). */
export function machineCpuSeconds(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0); // idle + iowait
  return { busy: (total - idle) / ticksPerSecond, total: total / ticksPerSecond };
}

/** Sums the CPU seconds a set of processes used between start() and stop(); pids may join late. */
export class CpuMeter {
  readonly #start = new Map<number, number>();
  readonly #last = new Map<number, number>();

  /** Records the processes' CPU so far; a pid first seen later counts from 0 (it started during the run). */
  sample(pids: Iterable<number>, atStart: boolean): void {
    for (const pid of pids) {
      const seconds = processCpuSeconds(pid);
      if (seconds === null) continue;
      if (atStart && !this.#start.has(pid)) this.#start.set(pid, seconds);
      this.#last.set(pid, seconds);
    }
  }

  get seconds(): number {
    let sum = 0;
    for (const [pid, last] of this.#last) sum += last - (this.#start.get(pid) ?? 0);
    return sum;
  }
}

/** CPU seconds so far of every process on the machine, with its command name. */
export function everyProcessCpu(): Map<number, { name: string; seconds: number }> {
  const all = new Map<number, { name: string; seconds: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      all.set(Number(entry), { name, seconds: (Number(fields[11]) + Number(fields[12])) / ticksPerSecond });
    } catch {
      // the process ended while we looked
    }
  }
  return all;
}

/** The processes (other than `known`) that used the most CPU between two snapshots. */
export function busiestOthers(
  before: Map<number, { name: string; seconds: number }>,
  after: Map<number, { name: string; seconds: number }>,
  known: ReadonlySet<number>,
  top = 3,
): { pid: number; name: string; seconds: number }[] {
  const used = [...after]
    .filter(([pid]) => !known.has(pid))
    .map(([pid, p]) => ({ pid, name: p.name, seconds: p.seconds - (before.get(pid)?.seconds ?? 0) }));
  return used.sort((a, b) => b.seconds - a.seconds).slice(0, top);
}

/** Every postgres process on this machine (backends, WAL writer, checkpointer, …). */
export function postgresPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}
