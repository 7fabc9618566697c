import { foldChanges } from '../../app/group-announcements.ts';
import { groupChangesMessage } from '../../telegram/group-message.ts';
import { languageFor } from '../../telegram/i18n.ts';
import type { JobHandler } from '../job-context.ts';

/** The most changes one announcement reads; a longer backlog is told in several messages. */
const batchSize = 200;

/**
 * 'group.announce': tells a group what changed in its calendar since it was last told, in one
 * message (group-announcements.ts gathers a window's changes into one job). The changes are
 * forgotten once sent: a send that fails is retried with them, so each is told once (at least
 * once when a crash falls between the send and the forgetting). A group the bot has left is told
 * nothing and its changes are dropped.
 */
export const sendGroupAnnouncement: JobHandler<'group.announce'> = async (payload, context) => {
  const { groups } = context.services;
  const untold = await groups.untoldChanges(payload.groupId, batchSize);
  if (!untold || untold.changes.length === 0) return;
  const { group, changes } = untold;
  const ids = changes.map((change) => change.id);
  if (group.active) {
    const message = groupChangesMessage({
      language: languageFor(group.language, group.locale),
      timeZone: group.timeZone ?? 'UTC',
      calendarName: group.title,
      changes: foldChanges(
        changes.map((change) => ({
          groupId: change.group_id,
          hrefName: change.href_name,
          operation: change.operation,
          actorId: change.actor_id,
          actorName: change.actor_first_name || (change.actor_username ? `@${change.actor_username}` : null),
          summary: change.summary,
          startAt: change.start_at,
          allDay: change.all_day,
        })),
      ),
    });
    if (message) {
      const sent = await context.telegram.send(group.groupId, message);
      context.logger.info({ groupId: group.groupId, messageId: sent.messageId }, 'group told of changes');
    }
  }
  await groups.forgetChanges(group.groupId, ids);
  if (changes.length === batchSize) {
    // More than one batch waited: the rest follows as soon as this one is done.
    await context.services.jobQueue.enqueue([
      { kind: 'group.announce', payload: { groupId: group.groupId } },
    ]);
  }
};
