import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { testEngine } from '../support/test-database.ts';
import { calendarQueryBody, hostileCalendarObject, uidPlaceholder } from './arbitraries.ts';
import {
  type BystanderState,
  bystanderEvents,
  readBystanderState,
  reminderRollStatuses,
  rollOnlyEventId,
  storeRollOnlyEvent,
} from './bystander.ts';
import { type Account, createAccount, davRequest, getObject, putObject, restCall, signIn } from './client.ts';
import { hostilePuts, hostileRestCalls } from './corpus.ts';
import { LiveServer } from './live-server.ts';
import { HealthProber, type HealthReport, probed } from './probe.ts';
import { storedHostileReads } from './reads.ts';
import { rerunReminderRoll, type StoredObject, storeHostileObjects } from './stored-hostile.ts';
import {
  describeAnswer,
  healthProblem,
  readProblem,
  refusalProblem,
  serverErrorProblem,
} from './verdicts.ts';
import { waitForReminderRoll } from './worker-metrics.ts';

// Every hostile input of the probe (docs/architecture.md#hostile-input-findings), sent to a live
// `televent serve` (all roles, as `npm start`) on this run's engine, while /health is probed. A second server start meets
// objects an older version stored, written straight into the database.

const megabyte = 1024 * 1024;
const rssGrowthBoundBytes = 250 * megabyte;
const seed = Number(process.env.HOSTILE_SEED ?? 20_261_201);
const hostileUser = 1001;
const bystanderUser = 1002;

/** The slowest /health answer seen while each thing ran, printed at the end (bench:hostile bounds it). */
const slowestHealth: Array<[string, number]> = [];

/** /health answered every probe while `what` ran. */
function expectHealthy(health: HealthReport, what: string): void {
  slowestHealth.push([what, health.worstMs]);
  const problem = healthProblem(health);
  expect.soft(problem === null, `while ${what} ran (${health.probes} probes): ${problem}`).toBe(true);
}

/** A verdict from verdicts.ts: null, or the whole sentence in the failure message. */
function expectNoProblem(problem: string | null, context: string): void {
  expect.soft(problem === null, `${context}: ${problem}`).toBe(true);
}

describe(`hostile input against a live server [${testEngine}]`, () => {
  const now = new Date();
  const restarts: string[] = [];
  let server: LiveServer;
  let hostile: Account;
  let bystander: Account;
  let cookie: string;
  let rssAtStart = 0;
  const bystanderEtags: Record<string, string> = {};

  beforeAll(async () => {
    server = await LiveServer.create({
      engine: testEngine,
      databaseUrl: process.env.TEST_DATABASE_URL,
      pgliteSnapshot: inject('pgliteSnapshot') || undefined,
    });
    await server.start();
    [hostile, bystander] = await Promise.all([
      createAccount(server, hostileUser, 'hostile-laptop'),
      createAccount(server, bystanderUser, 'phone'),
    ]);
    cookie = await signIn(server, hostileUser);
    for (const { name, ics } of bystanderEvents(now)) {
      const answer = await putObject(server, bystander, name, ics);
      if (answer.status !== 201) throw new Error(`bystander PUT ${name}: ${describeAnswer(answer)}`);
      bystanderEtags[name] = answer.headers.get('etag') ?? '';
    }
    rssAtStart = server.rssBytes();
  });

  afterAll(async () => {
    const [what, ms] = slowestHealth.reduce((a, b) => (b[1] > a[1] ? b : a), ['nothing', 0]);
    process.stdout.write(
      `hostile input [${testEngine}]: slowest /health answer ${ms} ms, while ${what} ran ` +
        `(a wall-clock figure of this machine as loaded now; npm run bench:hostile holds it to 200 ms)\n`,
    );
    await server?.dispose();
  });

  beforeEach(async () => {
    const reason = await server.reviveIfUnresponsive();
    if (reason) restarts.push(reason);
  });

  describe('REST refuses bad text and impossible dates and stores nothing', () => {
    /** The events in the corpus' weeks and the device names (not their last-used times, which move). */
    async function restState() {
      const events = await restCall(server, cookie, {
        method: 'GET',
        path: '/api/events?start=2026-02-20T00:00:00Z&end=2026-03-20T00:00:00Z',
      });
      const devices = await restCall(server, cookie, { method: 'GET', path: '/api/devices' });
      if (devices.status !== 200) return { events: events.body, devices: [describeAnswer(devices)] };
      const list = JSON.parse(devices.body) as Array<{ id: string; name: string }>;
      return { events: events.body, devices: list.map((d) => `${d.id} ${d.name}`).sort() };
    }

    for (const call of hostileRestCalls) {
      it(`refuses ${call.title} (finding ${call.finding})`, async () => {
        const before = await restState();
        const { result, health } = await probed(server.baseUrl, () => restCall(server, cookie, call));
        if (call.expect === 'any-4xx') {
          expect.soft(result.status >= 400 && result.status < 500, describeAnswer(result)).toBe(true);
        } else {
          expect.soft(result.status, describeAnswer(result)).toBe(400);
        }
        expect
          .soft(result.headers.get('content-type') ?? '', 'a problem+json body')
          .toContain('problem+json');
        expectHealthy(health, call.slug);
        expect(await restState(), 'nothing stored').toEqual(before);
      });
    }
  });

  describe('each named hostile PUT is refused with a 4xx, cheaply, and nothing is stored', () => {
    for (const entry of hostilePuts) {
      it(`refuses ${entry.title} (finding ${entry.finding})`, async () => {
        const name = `${entry.slug}.ics`;
        const body = entry.body(`${entry.slug}@hostile.invalid`);
        const { result, health } = await probed(server.baseUrl, () => putObject(server, hostile, name, body));
        expectNoProblem(refusalProblem(result), `PUT of ${Buffer.byteLength(body)} bytes`);
        expectHealthy(health, `the PUT of ${entry.slug}`);
        if (result.status === 0) return; // it hung or killed the server: nothing more to ask of it
        const after = await getObject(server, hostile, name);
        expect(after.status, `GET afterwards (nothing stored): ${describeAnswer(after)}`).toBe(404);
      });
    }
  });

  it('answers random iCalendar PUTs with non-5xx while /health keeps answering, and stores exactly what it accepts', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(hostileCalendarObject, async (template) => {
        run++;
        const name = `random-${run}.ics`;
        const body = template.replaceAll(uidPlaceholder, `random-${run}@hostile.invalid`);
        const { result, health } = await probed(server.baseUrl, () => putObject(server, hostile, name, body));
        expect(serverErrorProblem(result)).toBeNull();
        expect(healthProblem(health)).toBeNull();
        if (result.status < 200 || result.status >= 300) return;
        const stored = await getObject(server, hostile, name);
        expect(stored.status).toBe(200);
        expect(stored.bytes.equals(Buffer.from(body)), 'GET returns the accepted bytes exactly').toBe(true);
      }),
      { numRuns: 50, seed, endOnFailure: true },
    );
  });

  it('survives the whole corpus in one process, its memory within 250 MB of where it started', () => {
    expect.soft(restarts, 'the harness had to restart the server').toEqual([]);
    if (restarts.length > 0) return; // a new process has a new baseline
    const growth = server.rssBytes() - rssAtStart;
    expect(Math.round(growth / megabyte), 'RSS growth in MB').toBeLessThan(rssGrowthBoundBytes / megabyte);
  });

  describe('stored hostile data from an older version blocks no one', () => {
    let stored: Array<StoredObject & { slug: string; title: string }> = [];
    let bystanderBefore: BystanderState;
    let background: HealthProber | undefined;
    let startError: string | null = null;

    beforeAll(async () => {
      await server.stop();
      const handle = await server.openDatabase();
      try {
        bystanderBefore = await readBystanderState(handle.db, bystanderUser);
        stored = await storeHostileObjects(handle.db, hostileUser, now);
        await storeRollOnlyEvent(handle.db, bystanderUser, now);
        await rerunReminderRoll(handle.db);
      } finally {
        await handle.close();
      }
      // A server the stored data keeps from starting is this phase's first finding, not a crash
      // of the suite: the tests below then fail one by one, quickly.
      try {
        await server.start();
        background = new HealthProber(server.baseUrl);
      } catch (error) {
        startError = error instanceof Error ? error.message : String(error);
      }
    });

    it('starts with the stored hostile data in its database', () => {
      expect(startError).toBeNull();
    });

    it("had the bystander's reminders planned before the hostile data arrived", () => {
      expect(Object.keys(bystanderBefore.etags).sort()).toEqual(Object.keys(bystanderEtags).sort());
      for (const [name, id] of Object.entries(bystanderBefore.ids)) {
        const planned = bystanderBefore.pendingReminders.filter((job) =>
          job.key.startsWith(`reminder:${id}:`),
        );
        expect(planned.length, `pending reminders of ${name}`).toBeGreaterThan(0);
      }
    });

    for (const read of storedHostileReads) {
      it(`answers ${read.title}`, async () => {
        const hrefNames = stored.map((object) => object.hrefName);
        const request = read.request({ calendarPath: hostile.calendarPath, hrefNames, now });
        const { result, health } = await probed(server.baseUrl, () =>
          request.kind === 'rest'
            ? restCall(server, cookie, { method: 'GET', path: request.path })
            : davRequest(server, hostile, request),
        );
        expectNoProblem(readProblem(result), read.slug);
        expectHealthy(health, read.slug);
      });
    }

    it('serves every stored hostile object byte for byte on GET', async () => {
      for (const object of stored) {
        const { result, health } = await probed(server.baseUrl, () =>
          getObject(server, hostile, object.hrefName),
        );
        expect.soft(result.status, `GET ${object.slug}: ${describeAnswer(result)}`).toBe(200);
        expect
          .soft(result.bytes.equals(Buffer.from(object.ics)), `${object.slug}: the stored bytes exactly`)
          .toBe(true);
        expect.soft(result.headers.get('etag'), `${object.slug}: its stored ETag`).toBe(object.etag);
        expectHealthy(health, `GET ${object.slug}`);
      }
    });

    it('answers random calendar-query REPORTs over the hostile calendar with non-5xx while /health keeps answering', async () => {
      await fc.assert(
        fc.asyncProperty(calendarQueryBody, async (body) => {
          const { result, health } = await probed(server.baseUrl, () =>
            davRequest(server, hostile, { method: 'REPORT', path: hostile.calendarPath, depth: '1', body }),
          );
          expect(serverErrorProblem(result)).toBeNull();
          expect(healthProblem(health)).toBeNull();
        }),
        { numRuns: 40, seed, endOnFailure: true },
      );
    });

    it("serves the bystander's events unchanged", async () => {
      for (const [name, etag] of Object.entries(bystanderEtags)) {
        const answer = await getObject(server, bystander, name);
        expect.soft(answer.status, `GET ${name}: ${describeAnswer(answer)}`).toBe(200);
        expect.soft(answer.headers.get('etag'), name).toBe(etag);
      }
    });

    it('kept /health answering from start-up to the end of the reads', async () => {
      expect(background, 'probed from start-up').toBeDefined();
      if (background) expectHealthy(await background.stop(), 'the stored-data phase');
    });

    it("left the bystander's reminders pending, and the hourly roll got past the hostile rows", async () => {
      // The roll runs at start-up; give it time to finish before the process is stopped.
      if (server.running) await waitForReminderRoll(server.baseUrl, 30_000);
      await server.stop();
      const handle = await server.openDatabase();
      try {
        const after = await readBystanderState(handle.db, bystanderUser);
        for (const [name, etag] of Object.entries(bystanderBefore.etags)) {
          expect.soft(after.etags[name], `${name}: ETag unchanged`).toBe(etag);
        }
        const stillPending = new Set(after.pendingReminders.map((job) => job.id));
        const lost = bystanderBefore.pendingReminders.filter((job) => !stillPending.has(job.id));
        expect.soft(lost, 'reminder jobs of the bystander no longer pending').toEqual([]);
        expect.soft(await reminderRollStatuses(handle.db), 'runs of the hourly roll').toContain('done');
        const rolled = after.pendingReminders.filter((job) =>
          job.key.startsWith(`reminder:${rollOnlyEventId}:`),
        );
        expect
          .soft(rolled.length, 'reminders only the hourly roll could plan, after the hostile rows')
          .toBeGreaterThan(0);
      } finally {
        await handle.close();
      }
    });
  });

  it('never writes hostile calendar text into its log', () => {
    expect(server.leakedLine, `${Math.round(server.logBytes / 1024)} KiB of log`).toBeNull();
  });
});
