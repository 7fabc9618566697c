import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

// What a hostile request costs everyone else: while it is in flight, GET /health every ~25 ms
// and keep the slowest answer. The suite requires an answer to every probe (a server frozen by
// one request fails it); `npm run bench:hostile` also holds every answer to 200 ms
// (docs/architecture.md#hostile-input-findings), a figure of the machine as much as of the code.

/** bench:hostile: /health answers within this while a hostile request runs (docs/architecture.md#limits). */
export const healthBoundMs = 200;

/** A request that has not answered in this long is a hang (the harness then restarts the server). */
export const requestTimeoutMs = Number(process.env.HOSTILE_REQUEST_TIMEOUT_MS ?? 10_000);

export interface Answer {
  /** 0 when no answer came (timeout, refused or reset connection). */
  status: number;
  body: string;
  bytes: Buffer;
  headers: Headers;
  ms: number;
  /** Why no answer came. */
  error?: string;
}

export interface HealthReport {
  worstMs: number;
  probes: number;
  failures: number;
  firstFailure: string | null;
}

/** One HTTP request that never throws: a missing answer is status 0 with the reason. */
export async function send(
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: string; timeoutMs?: number },
): Promise<Answer> {
  const started = performance.now();
  const timeoutMs = init.timeoutMs ?? requestTimeoutMs;
  try {
    const response = await fetch(url, {
      method: init.method,
      headers: init.headers ?? {},
      ...(init.body === undefined ? {} : { body: init.body }),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    const ms = performance.now() - started;
    return { status: response.status, body: bytes.toString('utf8'), bytes, headers: response.headers, ms };
  } catch (error) {
    const ms = performance.now() - started;
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    const reason = timedOut ? `no answer within ${timeoutMs} ms` : describe(error);
    return { status: 0, body: '', bytes: Buffer.alloc(0), headers: new Headers(), ms, error: reason };
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}

/** GETs /health back to back, `intervalMs` apart, until stopped. */
export class HealthProber {
  readonly #url: string;
  readonly #intervalMs: number;
  #running = true;
  #worstMs = 0;
  #probes = 0;
  #failures = 0;
  #firstFailure: string | null = null;
  #inFlightSince: number | null = null;
  #inFlight: AbortController | null = null;
  #wake: AbortController = new AbortController();
  readonly #loop: Promise<void>;

  constructor(baseUrl: string, intervalMs = 25) {
    this.#url = `${baseUrl}/health`;
    this.#intervalMs = intervalMs;
    this.#loop = this.#run();
  }

  async #run(): Promise<void> {
    while (this.#running) {
      const controller = new AbortController();
      this.#inFlight = controller;
      const started = performance.now();
      this.#inFlightSince = started;
      let failure: string | null = null;
      try {
        const response = await fetch(this.#url, { signal: controller.signal });
        await response.arrayBuffer();
        if (response.status !== 200) failure = `/health answered ${response.status}`;
      } catch (error) {
        if (!controller.signal.aborted) failure = `/health failed: ${describe(error)}`;
      }
      // A probe cut short by stop() was already counted there, with the time it had waited.
      if (this.#inFlightSince !== null) this.#record(performance.now() - started, failure);
      this.#inFlightSince = null;
      this.#inFlight = null;
      if (!this.#running) break;
      await sleep(this.#intervalMs, undefined, { signal: this.#wake.signal }).catch(() => {});
    }
  }

  #record(ms: number, failure: string | null): void {
    this.#probes++;
    this.#worstMs = Math.max(this.#worstMs, ms);
    if (failure !== null) {
      this.#failures++;
      this.#firstFailure ??= failure;
    }
  }

  /**
   * Stops probing. A probe still waiting gets up to a second more; past that, the time it has
   * waited counts as its delay (a frozen server must not hold the suite).
   */
  async stop(): Promise<HealthReport> {
    this.#running = false;
    this.#wake.abort();
    const finished = await Promise.race([this.#loop.then(() => true), sleep(1_000).then(() => false)]);
    if (!finished && this.#inFlightSince !== null) {
      this.#record(performance.now() - this.#inFlightSince, '/health did not answer');
      this.#inFlightSince = null;
      this.#inFlight?.abort();
      await this.#loop;
    }
    return {
      worstMs: Math.round(this.#worstMs),
      probes: this.#probes,
      failures: this.#failures,
      firstFailure: this.#firstFailure,
    };
  }
}

/** Runs `work` with /health probed throughout. */
export async function probed<T>(
  baseUrl: string,
  work: () => Promise<T>,
): Promise<{ result: T; health: HealthReport }> {
  const prober = new HealthProber(baseUrl);
  try {
    const result = await work();
    return { result, health: await prober.stop() };
  } catch (error) {
    await prober.stop();
    throw error;
  }
}
