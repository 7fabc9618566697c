import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { createMetrics } from '../../../src/observability/metrics.ts';
import { startWorker, type WorkerHandle } from '../../../src/worker/run-worker.ts';
import { testEngine } from '../../support/test-database.ts';
import { type BotHarness, startBotHarness } from '../bot/bot-harness.ts';
import { buildRestServer, expectProblem, type RestTestServer, tma } from '../http/rest-support.ts';
import { attachmentOf, type ReceivedMail, startSmtpCapture } from './smtp-capture.ts';
import { eventually } from './worker-support.ts';

// The optional email address (bot /email, PATCH /api/preferences) and the two emails that use
// it: the data export and the account-deletion notice, through a worker with SMTP_URL set to a
// local SMTP server, the real bot (against the Bot API emulator) and the real REST routes.
describe(`email address, export and deletion emails [${testEngine}]`, () => {
  let h: BotHarness;
  let rest: RestTestServer;
  let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
  let worker: WorkerHandle;

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    h = await startBotHarness({ env: { SMTP_URL: smtp.url } });
    rest = await buildRestServer(h.database);
    worker = startWorker({
      services: h.services,
      config: loadConfig({
        ...(h.database.url ? { DATABASE_URL: h.database.url } : {}),
        SMTP_URL: smtp.url,
        PUBLIC_URL: 'https://cal.example.org',
      }),
      logger: createLogger('silent'),
      metrics: createMetrics(),
      workerId: 'mailer',
      options: {
        pollIntervalMs: 20,
        schedulePeriodicJobs: false,
        kinds: ['account.export-email', 'account.deletion-notice', 'email.send'],
      },
    });
  });
  afterAll(async () => {
    await worker?.stop();
    await rest?.app.close();
    await h?.close();
    await smtp?.close();
  });

  const mailTo = (address: string) =>
    eventually(async () => smtp.received.find((m) => m.to.includes(address)));
  const jobsOfUser = (userId: number) =>
    h.database.db
      .selectFrom('outbox_messages')
      .select(['kind', 'status'])
      .where('user_id', '=', userId)
      .where('kind', 'in', ['account.export-email', 'account.deletion-notice'])
      .execute();

  it('/email sets, shows and removes the address, and refuses a bad one with nothing stored', async () => {
    const user = { id: 7001, first_name: 'Ada' };
    expect((await h.say(user, '/email')).plain_text).toContain('not given me an email address');
    const refused = await h.say(user, '/email ada-at-example');
    expect(refused.plain_text).toContain('not an email address');
    expect((await h.services.preferences.getPreferences(user.id)).email).toBeNull();
    const saved = await h.say(user, '/email  ada@example.com ');
    expect(saved.plain_text).toContain('Saved: ada@example.com');
    expect(saved.plain_text).toContain('emailed there too');
    expect((await h.say(user, '/email')).plain_text).toContain('Your email address is ada@example.com');
    expect((await h.say(user, '/email off')).plain_text).toContain('forgot your email address');
    expect((await h.services.preferences.getPreferences(user.id)).email).toBeNull();
  });

  it('PATCH /api/preferences sets and clears the address; a bad one is a 400 with nothing stored', async () => {
    const user = { id: 7002, username: 'bea' };
    const patch = (payload: object) =>
      rest.app.inject({ method: 'PATCH', url: '/api/preferences', headers: tma(user), payload });
    expect((await patch({ email: 'bea@example.com' })).json().email).toBe('bea@example.com');
    expectProblem(await patch({ email: 'not an address' }), 400);
    expect((await h.services.preferences.getPreferences(user.id)).email).toBe('bea@example.com');
    expect((await patch({ email: null })).json().email).toBeNull();
    // The REST export is a plain download: it never mails anything.
    await patch({ email: 'bea@example.com' });
    const exported = await rest.app.inject({ method: 'GET', url: '/api/export', headers: tma(user) });
    expect(exported.statusCode).toBe(200);
    expect(await jobsOfUser(user.id)).toEqual([]);
  });

  it('/export also emails the .ics and the JSON to the address the user set', async () => {
    const user = { id: 7003, first_name: 'Cy' };
    await h.say(user, '/email cy@example.com');
    const start = new Date(Date.now() + 86_400_000);
    await h.services.calendars.createEvent(user.id, {
      summary: 'Mailed déjà vu',
      start,
      end: new Date(start.getTime() + 60_000),
    });
    h.emulator.sendText(user, '/export');
    await h.emulator.waitForMessage(user.id, (m) => m.document?.file_name === 'televent-data.json');
    const mail: ReceivedMail = await mailTo('cy@example.com');
    expect(mail.from).toBe('televent@cal.example.org');
    expect(mail.data).toContain('Subject: Your Televent data export');
    expect(attachmentOf(mail, 'televent.ics')).toContain('SUMMARY:Mailed déjà vu');
    const json = JSON.parse(attachmentOf(mail, 'televent-data.json') ?? '{}');
    expect(json.user.telegramId).toBe(user.id);
    expect(json.preferences.email).toBe('cy@example.com');
    expect(json.events[0].summary).toBe('Mailed déjà vu');
    // The mail can arrive before the worker has recorded the job as done.
    await eventually(async () => (await jobsOfUser(user.id))[0]?.status === 'done');
    expect(await jobsOfUser(user.id)).toEqual([{ kind: 'account.export-email', status: 'done' }]);
  });

  it('/deleteaccount emails a notice with the erase date and how to undo it', async () => {
    const user = { id: 7004, first_name: 'Dee' };
    await h.say(user, '/timezone Europe/Berlin');
    await h.say(user, '/email dee@example.com');
    const ask = await h.say(user, '/deleteaccount');
    await h.press(user, ask, 'acct:delete');
    const scheduled = (await h.services.accounts.getUser(user.id)).deletionScheduledFor;
    const day = new Intl.DateTimeFormat('en', { dateStyle: 'full', timeZone: 'Europe/Berlin' }).format(
      scheduled ?? undefined,
    );
    const mail = await mailTo('dee@example.com');
    expect(mail.data).toContain('Subject: Your Televent account will be erased on');
    const body = mail.data.replace(/=\r?\n/g, '');
    expect(body).toContain(day);
    expect(body).toContain('/undelete');
    // The mail can arrive before the worker has recorded the job as done.
    await eventually(async () => (await jobsOfUser(user.id))[0]?.status === 'done');
    expect(await jobsOfUser(user.id)).toEqual([{ kind: 'account.deletion-notice', status: 'done' }]);
  });

  it('sends nothing to a user without an address, and no notice once the deletion was undone', async () => {
    const user = { id: 7005, first_name: 'Eli' };
    h.emulator.sendText(user, '/export');
    await h.emulator.waitForMessage(user.id, (m) => m.document?.file_name === 'televent-data.json');
    const ask = await h.say(user, '/deleteaccount');
    await h.press(user, ask, 'acct:delete');
    expect(await jobsOfUser(user.id)).toEqual([]);

    // An address but an undo before the worker gets to it: the notice is not sent.
    const other = { id: 7006, first_name: 'Fay' };
    await h.say(other, '/email fay@example.com');
    await worker.stop();
    const again = await h.say(other, '/deleteaccount');
    await h.press(other, again, 'acct:delete');
    await h.services.accounts.cancelDeletion(other.id);
    worker = startWorker({
      services: h.services,
      config: loadConfig({ SMTP_URL: smtp.url }),
      logger: createLogger('silent'),
      metrics: createMetrics(),
      workerId: 'mailer-2',
      options: { pollIntervalMs: 20, schedulePeriodicJobs: false, kinds: ['account.deletion-notice'] },
    });
    await eventually(async () => {
      const jobs = await jobsOfUser(other.id);
      return jobs.length === 1 && jobs[0]?.status === 'done';
    });
    expect(smtp.received.filter((m) => m.to.includes('fay@example.com'))).toEqual([]);
  });
});
