import { CalendarCombiner } from '../domain/ical/combine-calendars.ts';
import { eachCooperatively, RequestWork } from './cooperative-work.ts';

/**
 * Stored objects as one .ics (the export and the calendar feeds): object by object with pauses, so
 * a large calendar never holds the event loop; never cut short (the budget is unlimited); an
 * object whose stored text can no longer be read is left out.
 */
export async function combineStoredObjects(
  name: string | undefined,
  objects: readonly { ical: string }[],
): Promise<string> {
  const combiner = new CalendarCombiner(name);
  await eachCooperatively(
    objects,
    (object) => {
      try {
        combiner.add(object.ical);
      } catch {
        // Unreadable stored data: left out, see above.
      }
    },
    new RequestWork(Number.POSITIVE_INFINITY),
  );
  return combiner.toString();
}
