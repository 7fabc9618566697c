import { createRequire } from 'node:module';
import autocannon from 'autocannon';

// autocannon refuses methods outside its list (RFC 7231 + PATCH); WebDAV adds PROPFIND and REPORT.
const autocannonMethods = createRequire(import.meta.url)('autocannon/lib/httpMethods.js') as string[];
for (const method of ['PROPFIND', 'REPORT'])
  if (!autocannonMethods.includes(method)) autocannonMethods.push(method);

export interface Measurement {
  name: string;
  connections: number;
  requestsPerSecond: number;
  /** Requests answered in the whole run. */
  requests: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

export interface Scenario {
  name: string;
  requests: autocannon.Request[];
  /** Status codes that count as success besides 2xx (none by default). */
}

/**
 * Drives `baseUrl` with autocannon for `durationSeconds` at each concurrency. Given several base
 * URLs, autocannon gives its connections to them in turn (connection i to URL i mod n).
 */
export async function measure(
  baseUrl: string | string[],
  scenario: Scenario,
  connections: number,
  durationSeconds: number,
  headers: Record<string, string> = {},
): Promise<Measurement> {
  const result = await autocannon({
    // autocannon takes an array of URLs (its README, `url`); its type definitions say string only.
    url: baseUrl as string,
    connections,
    duration: durationSeconds,
    headers,
    requests: scenario.requests,
  });
  return {
    name: scenario.name,
    connections,
    requestsPerSecond: Math.round(result.requests.average),
    requests: result.requests.total,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

export function printTable(title: string, rows: Measurement[]): void {
  const lines = [
    `\n${title}`,
    '| scenario | c | req/s | p50 ms | p99 ms | errors | non-2xx |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.connections} | ${r.requestsPerSecond} | ${r.p50Ms} | ${r.p99Ms} | ${r.errors} | ${r.non2xx} |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
