import type { JobKind, JobPayloads } from '../app/jobs.ts';
import type { AppServices } from '../app/services.ts';
import type { Logger } from '../observability/logger.ts';
import type { FeedFetchLimits } from './feed-fetcher.ts';
import type { MailSender } from './mail-sender.ts';
import type { TelegramSender } from './telegram-sender.ts';
import type { WorkerMetrics } from './worker-metrics.ts';

export interface WorkerSettings {
  /** How far ahead reminders are planned (rolled forward hourly). */
  reminderHorizonMs: number;
  /** A reminder late by less than this after downtime is still sent, marked late. */
  reminderLateGraceMs: number;
  /** The Mini App's https address for the reminder's [Open] button, or null (see telegram/mini-app.ts). */
  miniAppUrl: string | null;
  /** Bounds of a followed feed's fetch; FEED_FETCH_ALLOW_PRIVATE sets allowPrivateAddresses. */
  feedFetch: FeedFetchLimits;
}

/** What every handler gets: the app layer, the outside world and the clock. */
export interface JobContext {
  services: AppServices;
  logger: Logger;
  metrics: WorkerMetrics;
  telegram: TelegramSender;
  mail: MailSender;
  settings: WorkerSettings;
  now(): Date;
  job: { id: number; kind: JobKind; attempts: number; maxAttempts: number };
}

export type JobHandler<K extends JobKind> = (payload: JobPayloads[K], context: JobContext) => Promise<void>;
export type JobHandlers = { [K in JobKind]: JobHandler<K> };
