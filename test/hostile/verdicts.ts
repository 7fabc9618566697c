import type { Answer, HealthReport } from './probe.ts';

// What counts as a right answer to hostile input, in one place for the suite and the benchmark.
// Each returns null when the answer is right, or a sentence saying what is wrong with it.

/** RFC 4791 §5.3.2.1 preconditions a refused calendar object may name. */
const putPreconditions = /<(?:[\w.-]+:)?(valid-calendar-data|max-resource-size|max-instances)[\s/>]/;

/** A limit named in an error body: a CalDAV precondition, or words a person reads. */
const namedLimit =
  /max-instances|max-resource-size|number-of-matched-results|valid-calendar-data|limit|at most|too many|too large/i;

export function describeAnswer(answer: Answer): string {
  if (answer.status === 0) return `no answer after ${Math.round(answer.ms)} ms: ${answer.error}`;
  const body = answer.body.replace(/\s+/g, ' ').slice(0, 400);
  return `${answer.status} after ${Math.round(answer.ms)} ms: ${body}`;
}

/**
 * A refused PUT: 403 naming valid-calendar-data, max-resource-size or max-instances, or 400/413.
 * Never 5xx, never silence, never 2xx (the object must not be stored).
 */
export function refusalProblem(answer: Answer): string | null {
  if (answer.status === 403 && putPreconditions.test(answer.body)) return null;
  if (answer.status === 400 || answer.status === 413) return null;
  if (answer.status === 403) return `403 without a CalDAV precondition element — ${describeAnswer(answer)}`;
  if (answer.status >= 200 && answer.status < 300) return `accepted and stored — ${describeAnswer(answer)}`;
  return `not a clean refusal — ${describeAnswer(answer)}`;
}

/** A read over stored hostile data: 2xx, or a 4xx/507 whose body names the limit it hit. */
export function readProblem(answer: Answer): string | null {
  if (answer.status >= 200 && answer.status < 300) return null;
  const limitStatus = (answer.status >= 400 && answer.status < 500) || answer.status === 507;
  if (limitStatus && namedLimit.test(answer.body)) return null;
  return `neither an answer nor a named limit — ${describeAnswer(answer)}`;
}

/** Any input at all: never a 5xx other than a 507 that names its limit, never silence. */
export function serverErrorProblem(answer: Answer): string | null {
  if (answer.status === 0) return describeAnswer(answer);
  if (answer.status === 507 && namedLimit.test(answer.body)) return null;
  if (answer.status >= 500) return `server error — ${describeAnswer(answer)}`;
  return null;
}

/**
 * /health answered every probe; with `boundMs` (bench:hostile), each also within that bound. The
 * suite leaves the bound to the benchmark: on a loaded machine wall-clock latency measures the
 * machine, and the suite holds no timing thresholds.
 */
export function healthProblem(health: HealthReport, boundMs?: number): string | null {
  const problems: string[] = [];
  if (boundMs !== undefined && health.worstMs >= boundMs)
    problems.push(`/health took ${health.worstMs} ms (bound ${boundMs} ms)`);
  if (health.failures > 0)
    problems.push(`${health.failures} of ${health.probes} /health probes failed (${health.firstFailure})`);
  return problems.length > 0 ? problems.join('; ') : null;
}
