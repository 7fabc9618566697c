import { digestMessage } from '../../telegram/digest-message.ts';
import { languageFor } from '../../telegram/i18n.ts';
import { digestInstant, localDayBounds } from '../digest-schedule.ts';
import type { JobHandler } from '../job-context.ts';
import { digestGraceMs } from './plan-digests.ts';

/**
 * 'digest.send': the user's events of one local day, recurring ones expanded. Skipped when the
 * digest was turned off since it was planned, or when it is more than the grace late.
 */
export const sendDigest: JobHandler<'digest.send'> = async (payload, context) => {
  const user = await context.services.digestPlanning.findRecipient(payload.userId);
  if (!user) {
    context.logger.info('digest skipped: turned off');
    return;
  }
  const timeZone = user.timeZone ?? payload.timeZone;
  const due = digestInstant(payload.localDate, user.digestTime, timeZone);
  const lateMs = context.now().getTime() - due.getTime();
  if (lateMs > digestGraceMs) {
    context.logger.warn({ lateSeconds: Math.round(lateMs / 1000) }, 'digest skipped: too late');
    return;
  }
  const day = localDayBounds(payload.localDate, timeZone);
  const [{ occurrences }, calendarNames] = await Promise.all([
    context.services.calendars.listOccurrences(payload.userId, day),
    context.services.calendars.eventCalendarNames(payload.userId),
  ]);
  const language = languageFor(user.language, user.locale);
  const sent = await context.telegram.send(
    payload.userId,
    digestMessage(day, occurrences, timeZone, language, calendarNames),
  );
  context.logger.info({ messageId: sent.messageId, events: occurrences.length }, 'digest sent');
};
