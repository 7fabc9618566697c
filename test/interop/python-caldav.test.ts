import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngine } from '../support/test-database.ts';
import { type RunningCaldavServer, startCaldavServer } from './support/start-caldav-server.ts';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./python-caldav/flow.py', import.meta.url));

interface FlowOutput {
  principal: string;
  calendars: string[];
  initial_count: number;
  created_url: string;
  round_trip_identical: boolean;
  expanded_starts: string[];
  changed_urls: string[];
  changed_summary: string[];
  deleted_urls: string[];
  tokens_differ: boolean;
}

describe(`Debian python3-caldav against a running Televent [${testEngine}]`, () => {
  let server: RunningCaldavServer;
  let output: FlowOutput;

  beforeAll(async () => {
    server = await startCaldavServer();
    const { stdout } = await run(
      '/usr/bin/python3',
      [script, `${server.baseUrl}/`, String(server.user.id), server.user.password],
      {
        timeout: 60_000,
      },
    );
    output = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as FlowOutput;
  });
  afterAll(async () => {
    await server.close();
  });

  it('discovers the principal and the calendar starting from /', () => {
    expect(output.principal).toBe(`${server.baseUrl}/principals/4242/`);
    expect(output.calendars).toEqual([`${server.baseUrl}/calendars/4242/default/`]);
    expect(output.initial_count).toBe(0);
  });

  it('creates an event and reads back exactly the text it sent', () => {
    expect(output.created_url).toMatch(/\/calendars\/4242\/default\/.+/);
    expect(output.round_trip_identical).toBe(true);
  });

  it('expands a weekly event with an EXDATE and an override in a time-range search', () => {
    expect(output.expanded_starts).toEqual(['20260302T080000Z', '20260318T130000Z', '20260323T080000Z']);
  });

  it('reports the change and then the deletion through sync tokens', () => {
    expect(output.changed_urls).toEqual([output.created_url]);
    expect(output.changed_summary).toEqual(['Weekly (renamed)']);
    expect(output.deleted_urls).toEqual([output.created_url]);
    expect(output.tokens_differ).toBe(true);
  });
});
