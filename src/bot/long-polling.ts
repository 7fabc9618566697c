import { Api, GrammyError } from 'grammy';
import type { Update } from 'grammy/types';
import type { Config } from '../config.ts';
import type { Logger } from '../observability/logger.ts';
import type { TeleventBot } from './create-bot.ts';
import { allowedUpdates, dispatchUpdate, sequencerOf } from './dispatch-update.ts';

const maxUpdatesInFlight = 200;

/**
 * Long polling (getUpdates with offset and a 25 s timeout) feeding the per-user sequencer, so
 * one slow user never holds up the others. The offset confirms updates once they are queued.
 *
 * Hand-written rather than @grammyjs/runner: the runner orders a user's updates with its own
 * sequentialize middleware, while here the UpdateSequencer that webhook deliveries already go
 * through does it (with the back-pressure below and the offset confirmed on stop), so the runner
 * would add a second ordering mechanism and a dependency in place of this one loop.
 */
export function startPolling(bot: TeleventBot, config: Config, logger: Logger): { stop(): Promise<void> } {
  const controller = new AbortController();
  // Its own client, without the bot's API transformers: this loop does its own retrying and back-off.
  const api = new Api(bot.token, { apiRoot: config.TELEGRAM_API_ROOT });
  const sequencer = sequencerOf(bot);
  let offset = 0;
  let failures = 0;
  const loop = (async () => {
    while (!controller.signal.aborted) {
      let updates: Update[];
      try {
        updates = await api.getUpdates(
          { offset, timeout: 25, limit: 100, allowed_updates: [...allowedUpdates] },
          // grammY types the signal with the abort-controller polyfill; Node's is compatible.
          controller.signal as Parameters<Api['getUpdates']>[1],
        );
        failures = 0;
      } catch (error) {
        if (controller.signal.aborted) break;
        failures += 1;
        const retryAfter = error instanceof GrammyError ? (error.parameters.retry_after ?? 0) : 0;
        const delay = Math.max(retryAfter * 1000, Math.min(30_000, 500 * 2 ** Math.min(failures, 6)));
        logger.warn({ err: error, delay }, 'getUpdates failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, delay));
        continue;
      }
      for (const update of updates) {
        offset = update.update_id + 1;
        void dispatchUpdate(bot, update, logger);
      }
      await sequencer.belowLimit(maxUpdatesInFlight);
    }
  })();
  return {
    async stop() {
      controller.abort();
      await loop;
      await sequencer.drain();
      // Confirm what was handled so a restart does not see it again.
      if (offset > 0) await api.getUpdates({ offset, timeout: 0, limit: 1 }).catch(() => undefined);
    },
  };
}
