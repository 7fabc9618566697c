import { propertyResponse, readPropertyRequest, wantsMinimal } from '../core/property-request.ts';
import type { DavContext, DavResponse, Resource } from '../module.ts';
import { cooperativeResponses, multistatus, statusResponse } from '../multistatus.ts';
import { calendarHref, parseResourcePath, pathOfHref } from '../resource-path.ts';
import { addMemberResponse, memberResponseForm } from '../response-cache.ts';
import { CALDAV, DAV } from '../xml/names.ts';
import { childrenNamed, type XmlElement } from '../xml/parse-xml.ts';
import { calendarDataProperty } from './calendar-data.ts';
import { floatingTimeZoneFor } from './floating-time-zone.ts';

// A last segment with nothing to decode and no query: the name as it stands.
const plainName = /^[^/?#%]+$/;

/**
 * RFC 4791 §7.9. All hrefs are fetched with one query (docs/caldav-client-quirks.md#multiget-in-one-query);
 * an href that is not a member of this calendar, someone else's, or absent gets its own 404 response. Each response
 * echoes the href as the client wrote it, so clients can match answers to requests.
 */
export async function calendarMultiget(
  ctx: DavContext,
  report: XmlElement,
  resource: Resource,
): Promise<DavResponse> {
  if (resource.kind !== 'calendar') return multistatus([]);
  const calendar = resource.calendar;
  // Clients name members under the address they were given: those are read without a full parse.
  const prefix = calendarHref(ctx.userId, calendar.slug);
  const requested = childrenNamed(report, DAV.href).map((href) => {
    const text = href.text.trim();
    const path = pathOfHref(text);
    if (path?.startsWith(prefix)) {
      const rest = path.slice(prefix.length);
      if (plainName.test(rest) && rest !== '.' && rest !== '..') return { href: path, name: rest };
    }
    const parsed = path === null ? null : parseResourcePath(path);
    const name =
      parsed?.kind === 'object' && parsed.userId === ctx.userId && parsed.slug === calendar.slug
        ? parsed.name
        : null;
    return { href: path ?? text, name };
  });
  const names = [...new Set(requested.flatMap((r) => (r.name === null ? [] : [r.name])))];
  const objects = new Map(
    (await ctx.services.caldav.findObjects(calendar, names)).map((o) => [o.hrefName, o]),
  );

  const floatingTimeZone = floatingTimeZoneFor(calendar);
  const request = readPropertyRequest(report);
  const context = { userId: ctx.userId, registry: ctx.registry, limits: ctx.limits };
  const dynamic = new Map([
    [
      CALDAV.calendarData,
      calendarDataProperty({
        floatingTimeZone,
        maxInstances: ctx.limits.maxInstances,
        cache: ctx.services.occurrences,
      }),
    ],
  ]);
  const minimal = wantsMinimal(ctx.headers);
  const form = memberResponseForm(request, ctx.userId, calendar, { minimal, floatingTimeZone });
  const body = await cooperativeResponses(
    requested,
    ({ href, name }, answer) => {
      const object = name === null ? undefined : objects.get(name);
      if (!object) return statusResponse(href, 404);
      addMemberResponse(answer, object, form && `${form}\n${href}`, () =>
        propertyResponse({ kind: 'object', href, calendar, object }, request, context, {
          minimal,
          dynamic,
        }),
      );
      return null;
    },
    { work: ctx.work, collectionHref: resource.href },
  );
  return body.finish();
}
