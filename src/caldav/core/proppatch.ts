import type { CalendarPropertyPatch } from '../../app/caldav-service.ts';
import { DavError } from '../dav-error.ts';
import type { DavContext, DavResponse } from '../module.ts';
import { multistatus, statusLine } from '../multistatus.ts';
import { resolveResource } from '../resolve-resource.ts';
import { el, type XmlNode } from '../xml/build-xml.ts';
import { type ClarkName, DAV } from '../xml/names.ts';
import { childNamed } from '../xml/parse-xml.ts';
import { readXmlBody } from './read-xml-body.ts';

/**
 * RFC 4918 §9.2: the instructions apply in order and atomically. Writable properties of a calendar
 * (displayname, calendar-description, calendar-color, calendar-order, calendar-timezone) persist;
 * anything else fails with 403 and, as the RFC requires, the rest then report 424.
 */
export async function proppatch(ctx: DavContext): Promise<DavResponse> {
  const body = readXmlBody(ctx);
  if (!body || body.name !== DAV.propertyupdate) {
    throw new DavError(400, 'The body must be a DAV:propertyupdate element.');
  }
  const resource = await resolveResource(ctx);
  const patch: CalendarPropertyPatch = {};
  const results: Array<{ name: ClarkName; status: number; message?: string; precondition?: ClarkName }> = [];
  for (const instruction of body.children) {
    const isSet = instruction.name === DAV.set;
    if (!isSet && instruction.name !== DAV.remove) continue;
    for (const property of childNamed(instruction, DAV.prop)?.children ?? []) {
      const def = ctx.registry.properties.get(property.name);
      const writer = isSet ? def?.set : def?.remove;
      // A sharee may not rename or recolour the owner's calendar for everyone (RFC 3744 §5.4: no write-properties).
      if (resource.kind === 'calendar' && resource.calendar.access !== 'owner' && def && writer) {
        results.push({
          name: property.name,
          status: 403,
          message: "Only the calendar's owner can change its properties.",
          precondition: DAV.needPrivileges,
        });
        continue;
      }
      if (resource.kind !== 'calendar' || !def || !writer) {
        const known = def?.appliesTo.includes(resource.kind) ?? false;
        results.push({
          name: property.name,
          status: 403,
          message: known ? 'This property is read-only.' : 'Televent does not store this property.',
          ...(known ? { precondition: DAV.cannotModifyProtectedProperty } : {}),
        });
        continue;
      }
      try {
        if (isSet && def.set) def.set(property, patch);
        else if (!isSet && def.remove) def.remove(patch);
        results.push({ name: property.name, status: 200 });
      } catch (error) {
        if (!(error instanceof DavError)) throw error;
        results.push({ name: property.name, status: error.status, message: error.message });
      }
    }
  }
  const failed = results.some((result) => result.status !== 200);
  if (!failed && resource.kind === 'calendar') {
    await ctx.services.caldav.updateCalendarProperties(ctx.userId, resource.calendar.id, patch);
  }
  const byStatus = new Map<number, XmlNode[]>();
  const messages: string[] = [];
  for (const result of results) {
    const status = failed && result.status === 200 ? 424 : result.status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), el(result.name)]);
    if (result.message) messages.push(result.message);
  }
  const propstats = [...byStatus].map(([status, props]) =>
    el(DAV.propstat, [el(DAV.prop, props), el(DAV.status, statusLine(status))]),
  );
  const description =
    messages.length > 0 ? [el(DAV.responsedescription, [...new Set(messages)].join(' '))] : [];
  const response = el(DAV.response, [el(DAV.href, resource.href), ...propstats, ...description]);
  return multistatus([response]);
}
