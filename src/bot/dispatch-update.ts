import type { Update } from 'grammy/types';
import type { Logger } from '../observability/logger.ts';
import type { TeleventBot } from './create-bot.ts';
import { sequenceKeyOf, UpdateSequencer } from './update-sequencer.ts';

/** The updates Telegram sends us, in polling and webhook mode alike. */
// chat_member reaches a bot only where it is an admin: members joining and leaving a group (group-calendar.ts).
export const allowedUpdates = ['message', 'callback_query', 'my_chat_member', 'chat_member'] as const;

// One sequencer per bot, shared by long polling and the webhook route, so a user's updates stay
// in order whichever way they arrive.
const sequencers = new WeakMap<TeleventBot, UpdateSequencer>();

export function sequencerOf(bot: TeleventBot): UpdateSequencer {
  let sequencer = sequencers.get(bot);
  if (!sequencer) {
    sequencer = new UpdateSequencer();
    sequencers.set(bot, sequencer);
  }
  return sequencer;
}

/** Handles one update in its user's lane; never throws (failures are answered and logged). */
export function dispatchUpdate(bot: TeleventBot, update: Update, logger: Logger): Promise<void> {
  return sequencerOf(bot).run(sequenceKeyOf(update), async () => {
    try {
      await bot.handleUpdate(update);
    } catch (error) {
      logger.error({ err: error, updateId: update.update_id }, 'update handling failed');
    }
  });
}
