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
  work_url: string;
  work_components: string[];
  work_name: string;
  work_color: string;
  open_todos: string[];
  all_todos: string[];
  work_synced: string[];
  default_synced: string[];
  sync_tokens_apart: boolean;
  open_todos_after_complete: string[];
  completed_sync: [string, string][];
  calendars_after_delete: string[];
  default_token_kept: boolean;
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

  it('makes a second calendar for events and tasks, renames and recolours it', () => {
    expect(output.work_url).toBe(`${server.baseUrl}/calendars/4242/py-work/`);
    expect(output.work_components).toEqual(['VEVENT', 'VTODO']);
    expect(output.work_name).toBe('Py Job');
    expect(output.work_color).toBe('#AA3300FF');
  });

  it('lists open tasks, syncs the second calendar apart from the first, and completes a task', () => {
    expect(output.open_todos).toEqual(['Send the report']);
    expect(output.all_todos).toEqual(['Book a room', 'Send the report']);
    expect(output.work_synced).toHaveLength(3);
    expect(output.default_synced).toEqual([]);
    expect(output.sync_tokens_apart).toBe(true);
    expect(output.open_todos_after_complete).toEqual([]);
    expect(output.completed_sync).toEqual([[expect.stringMatching(/\.ics$/), 'COMPLETED']]);
  });

  it('deletes the second calendar and leaves the first as it was', () => {
    expect(output.calendars_after_delete).toEqual([`${server.baseUrl}/calendars/4242/default/`]);
    expect(output.default_token_kept).toBe(true);
  });
});
