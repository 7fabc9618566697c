import type { CalendarPropertyPatch } from '../../app/caldav-service.ts';
import { readXmlBody } from '../core/read-xml-body.ts';
import { DavError } from '../dav-error.ts';
import type { DavContext, DavResponse } from '../module.ts';
import { statusLine, xmlContentType } from '../multistatus.ts';
import { resolveResource } from '../resolve-resource.ts';
import { el, serializeXml } from '../xml/build-xml.ts';
import { CALDAV, type ClarkName, DAV } from '../xml/names.ts';
import { childNamed, type XmlElement } from '../xml/parse-xml.ts';

/**
 * RFC 4791 §5.3.1 MKCALENDAR and RFC 5689 extended MKCOL (with a CALDAV:calendar resourcetype):
 * a new calendar collection in the user's home, /calendars/<id>/<slug>/, with the properties of
 * the request body set atomically. If one of them cannot be set nothing is created and the answer
 * is 403 with a propstat per property (failed ones 403, the others 424), as RFC 4791 §5.3.1.2 and
 * RFC 5689 §3 ask. The per-user limit and the bounds are app/calendar-collections.ts's.
 */
export async function mkcalendar(ctx: DavContext): Promise<DavResponse> {
  const exists = await resolveResource(ctx).then(
    () => true,
    () => false,
  );
  // RFC 4918 §9.3.1 / RFC 4791 §5.3.1: MKCALENDAR on an existing resource is 405.
  if (exists) throw new DavError(405, 'Something already exists at this address.');
  const path = ctx.path;
  if (path.kind !== 'root' && path.userId !== ctx.userId)
    throw new DavError(404, 'Nothing is stored at this address.');
  if (path.kind !== 'calendar') {
    throw new DavError(
      403,
      'Calendars are created directly in your calendar home, /calendars/<id>/<name>/.',
      {
        precondition: CALDAV.calendarCollectionLocationOk,
      },
    );
  }
  const isMkcol = ctx.method === 'MKCOL';
  const body = readXmlBody(ctx);
  const rootName = isMkcol ? DAV.mkcol : CALDAV.mkcalendar;
  if (body && body.name !== rootName) throw new DavError(400, `The body must be a ${rootName} element.`);
  const properties = (body?.children ?? [])
    .filter((child) => child.name === DAV.set)
    .flatMap((set) => childNamed(set, DAV.prop)?.children ?? []);
  const request = readProperties(ctx, properties, isMkcol);
  if (request.failures.size > 0) {
    return propertyFailure(isMkcol, properties, request.failures);
  }
  await ctx.services.calendarCollections.createCalendar(ctx.userId, {
    slug: path.slug,
    ...request.patch,
    ...(request.components ? { components: request.components } : {}),
  });
  return { status: 201, headers: { 'cache-control': 'no-store' } };
}

interface PropertyRequest {
  patch: CalendarPropertyPatch;
  components: string[] | undefined;
  failures: Map<ClarkName, string>;
}

function readProperties(
  ctx: DavContext,
  properties: readonly XmlElement[],
  isMkcol: boolean,
): PropertyRequest {
  const request: PropertyRequest = { patch: {}, components: undefined, failures: new Map() };
  let calendarType = !isMkcol;
  for (const property of properties) {
    if (property.name === DAV.resourcetype) {
      // RFC 5689 §3: extended MKCOL names the kind of collection; only calendars are made here.
      calendarType = property.children.some((child) => child.name === CALDAV.calendar);
      continue;
    }
    if (property.name === CALDAV.supportedCalendarComponentSet) {
      request.components = property.children
        .filter((child) => child.name === CALDAV.comp)
        .map((child) => (child.attributes.name ?? '').toUpperCase());
      continue;
    }
    const setter = ctx.registry.properties.get(property.name)?.set;
    if (!setter) {
      request.failures.set(property.name, 'Televent does not store this property on a calendar.');
      continue;
    }
    try {
      setter(property, request.patch);
    } catch (error) {
      if (!(error instanceof DavError)) throw error;
      request.failures.set(property.name, error.message);
    }
  }
  if (!calendarType) {
    throw new DavError(
      403,
      'Only calendar collections can be created here (MKCOL needs a CALDAV:calendar resourcetype).',
      {
        precondition: CALDAV.calendarCollectionLocationOk,
      },
    );
  }
  return request;
}

function propertyFailure(
  isMkcol: boolean,
  properties: readonly XmlElement[],
  failures: ReadonlyMap<ClarkName, string>,
): DavResponse {
  const failed = properties.filter((property) => failures.has(property.name));
  const dependent = properties.filter((property) => !failures.has(property.name));
  const propstat = (names: readonly XmlElement[], status: number) =>
    el(DAV.propstat, [
      el(
        DAV.prop,
        names.map((property) => el(property.name)),
      ),
      el(DAV.status, statusLine(status)),
    ]);
  const children = [
    propstat(failed, 403),
    ...(dependent.length > 0 ? [propstat(dependent, 424)] : []),
    el(DAV.responsedescription, [...new Set(failures.values())].join(' ')),
  ];
  return {
    status: 403,
    headers: { 'content-type': xmlContentType },
    body: serializeXml(el(isMkcol ? DAV.mkcolResponse : CALDAV.mkcalendarResponse, children)),
  };
}
