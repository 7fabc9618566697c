import { hostname } from 'node:os';
import type { JobKind } from '../app/jobs.ts';
import type { AppServices } from '../app/services.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { miniAppUrl } from '../telegram/mini-app.ts';
import { defaultFeedFetchLimits } from './feed-fetcher.ts';
import type { WorkerSettings } from './job-context.ts';
import { jobHandlers } from './job-handlers.ts';
import { createMailSender, type MailSender, unconfiguredMail } from './mail-sender.ts';
import { OutboxRunner, type RunnerOptions } from './outbox-runner.ts';
import { type ListenForNewJobs, OutboxWakeup } from './outbox-wakeup.ts';
import { ensurePeriodicJobs } from './periodic-jobs.ts';
import {
  createTelegramSender,
  markingBlockedRecipients,
  type TelegramSender,
  toGroupChats,
  unconfiguredTelegram,
} from './telegram-sender.ts';
import { createWorkerMetrics } from './worker-metrics.ts';

export interface WorkerDeps {
  services: AppServices;
  /** PostgreSQL: hears of new jobs at once (main.ts builds it); without it the worker only polls. */
  listenForNewJobs?: ListenForNewJobs | undefined;
  config: Config;
  logger: Logger;
  metrics: Metrics;
  workerId?: string | undefined;
  /** Tuning and test seams; every field has a production default. */
  options?: WorkerOptions | undefined;
}

export interface WorkerOptions extends Partial<Omit<RunnerOptions, 'workerId'>>, Partial<WorkerSettings> {
  now?: () => Date;
  telegram?: TelegramSender;
  mail?: MailSender;
  /** Sender address of emails (default televent@<PUBLIC_URL host or localhost>). */
  mailFrom?: string;
  /** Enqueue the scheduled jobs (reminder horizon, digests, retention); default true. */
  schedulePeriodicJobs?: boolean;
  kinds?: readonly JobKind[];
}

export interface WorkerHandle {
  /** Finishes the jobs that are running, releases claimed ones that are not, then resolves. */
  stop(): Promise<void>;
}

const defaults = {
  batchSize: 20,
  concurrency: 8,
  leaseMs: 5 * 60_000,
  backoffBaseMs: 60_000,
  maintenanceIntervalMs: 30_000,
};

/**
 * Starts one worker on the outbox (the `worker` role of `televent serve`). Given a listener
 * (PostgreSQL LISTEN) it hears of new jobs at once and polls once a second as a fallback; without
 * one (embedded PGlite, which has no second connection to listen on) it polls every 250 ms.
 */
export function startWorker(deps: WorkerDeps): WorkerHandle {
  const options = deps.options ?? {};
  const workerId = deps.workerId ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  const logger = deps.logger.child({ door: 'worker', workerId });
  const now = options.now ?? (() => new Date());
  const listens = deps.listenForNewJobs !== undefined;
  const wakeup = new OutboxWakeup(logger);
  if (deps.listenForNewJobs) wakeup.listen(deps.listenForNewJobs);

  const telegram = markingBlockedRecipients(
    toGroupChats(
      options.telegram ??
        (deps.config.TELEGRAM_BOT_TOKEN
          ? createTelegramSender(deps.config.TELEGRAM_BOT_TOKEN, deps.config.TELEGRAM_API_ROOT)
          : unconfiguredTelegram),
      deps.services.groups,
    ),
    deps.services.reachability,
    logger,
  );
  const mailFrom =
    options.mailFrom ??
    `televent@${deps.config.PUBLIC_URL ? new URL(deps.config.PUBLIC_URL).hostname : 'localhost'}`;
  const ownMail =
    !options.mail && deps.config.SMTP_URL ? createMailSender(deps.config.SMTP_URL, mailFrom) : null;
  const mail = options.mail ?? ownMail ?? unconfiguredMail;

  const schedule = options.schedulePeriodicJobs ?? true;
  const metrics = createWorkerMetrics(deps.metrics.registry, {
    waiting: (at) => deps.services.jobQueue.waiting(at),
    now,
    onError: (error) => logger.warn({ err: error }, 'could not read the queue for /metrics'),
  });
  const runner = new OutboxRunner(
    {
      jobs: deps.services.jobQueue,
      logger,
      metrics,
      wakeup,
      handlers: jobHandlers,
      now,
      context: {
        services: deps.services,
        logger,
        metrics,
        telegram,
        mail,
        now,
        settings: {
          // REMINDER_HORIZON_DAYS and REMINDER_GRACE_MINUTES (config.ts); options win in tests.
          reminderHorizonMs: options.reminderHorizonMs ?? deps.config.REMINDER_HORIZON_DAYS * 86_400_000,
          reminderLateGraceMs: options.reminderLateGraceMs ?? deps.config.REMINDER_GRACE_MINUTES * 60_000,
          miniAppUrl:
            options.miniAppUrl !== undefined ? options.miniAppUrl : miniAppUrl(deps.config.PUBLIC_URL),
          feedFetch: options.feedFetch ?? {
            ...defaultFeedFetchLimits,
            allowPrivateAddresses: deps.config.FEED_FETCH_ALLOW_PRIVATE,
          },
        },
      },
      ...(schedule ? { onMaintenance: (at: Date) => ensurePeriodicJobs(deps.services.jobQueue, at) } : {}),
    },
    {
      workerId,
      batchSize: options.batchSize ?? defaults.batchSize,
      concurrency: options.concurrency ?? defaults.concurrency,
      pollIntervalMs: options.pollIntervalMs ?? (listens ? 1_000 : 250),
      leaseMs: options.leaseMs ?? defaults.leaseMs,
      backoffBaseMs: options.backoffBaseMs ?? defaults.backoffBaseMs,
      maintenanceIntervalMs: options.maintenanceIntervalMs ?? defaults.maintenanceIntervalMs,
      kinds: options.kinds,
    },
  );
  runner.start();
  logger.info({ listen: listens }, 'worker started');
  let stopped: Promise<void> | null = null;
  return {
    stop() {
      stopped ??= (async () => {
        await runner.stop();
        await wakeup.close();
        ownMail?.close();
        logger.info('worker stopped');
      })();
      return stopped;
    },
  };
}
