import type { CalendarObjectView } from '../../app/caldav-views.ts';
import { matchesFilter, prefilterRange } from '../../domain/ical/calendar-filter.ts';
import { propertyResponse, readPropertyRequest, wantsMinimal } from '../core/property-request.ts';
import type { DavContext, DavResponse, Resource } from '../module.ts';
import { incompleteResponse, Multistatus, multistatus } from '../multistatus.ts';
import { objectHref } from '../resource-path.ts';
import { addMemberResponses, memberResponseForm } from '../response-cache.ts';
import { CALDAV } from '../xml/names.ts';
import { childNamed, type XmlElement } from '../xml/parse-xml.ts';
import { calendarDataProperty } from './calendar-data.ts';
import { readFilter } from './filter.ts';
import { floatingTimeZoneFor } from './floating-time-zone.ts';

/**
 * RFC 4791 §7.8. The filter's time range narrows the candidates with the series-bounds index;
 * every candidate is then matched in full, recurring ones by their occurrences.
 */
export async function calendarQuery(
  ctx: DavContext,
  report: XmlElement,
  resource: Resource,
): Promise<DavResponse> {
  if (resource.kind !== 'calendar' && resource.kind !== 'object') return multistatus([]);
  const filter = readFilter(childNamed(report, CALDAV.filter));
  const calendar = resource.calendar;
  const floatingTimeZone = floatingTimeZoneFor(calendar, childNamed(report, CALDAV.timezone)?.text);
  const range = prefilterRange(filter);
  let candidates: readonly CalendarObjectView[];
  if (resource.kind === 'object')
    candidates = await ctx.services.caldav.findObjects(calendar, [resource.object.hrefName]);
  else if (range) candidates = await ctx.services.caldav.listObjectsInRange(calendar, range);
  else candidates = await ctx.services.caldav.listObjects(calendar);

  const options = { floatingTimeZone, maxInstances: ctx.limits.maxInstances };
  const request = readPropertyRequest(report);
  const context = { userId: ctx.userId, registry: ctx.registry, limits: ctx.limits };
  const cache = ctx.services.occurrences;
  const dynamic = new Map([[CALDAV.calendarData, calendarDataProperty({ ...options, cache })]]);
  const minimal = wantsMinimal(ctx.headers);
  const form = memberResponseForm(request, ctx.userId, calendar, { minimal, floatingTimeZone });
  // The index hands out the same candidates for the same window while nothing changed: the answer
  // to this filter over them is kept as one block (response-cache.ts).
  const listForm = form && `${form}\n${JSON.stringify(filter)}\n${ctx.limits.maxInstances}`;
  const body = new Multistatus();
  const { complete } = await addMemberResponses(
    body,
    candidates,
    { form, listForm },
    (object) => {
      try {
        const expand = cache.expanderFor(object);
        if (!matchesFilter(object.ical, filter, { ...options, expand }, object.componentType)) return null;
      } catch (error) {
        // Stored data that cannot be evaluated is left out of this answer, never a 500 for all.
        ctx.logger.warn({ err: error, objectId: object.id }, 'calendar-query could not evaluate an object');
        return null;
      }
      return () => {
        const href = objectHref(calendar.homeUserId, calendar.slug, object.hrefName);
        return propertyResponse({ kind: 'object', href, calendar, object }, request, context, {
          minimal,
          dynamic,
        });
      };
    },
    ctx.work,
  );
  if (!complete) body.add(incompleteResponse(resource.href));
  return body.finish();
}
