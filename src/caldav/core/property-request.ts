import type { PropertyContext, Resource } from '../module.ts';
import { statusLine } from '../multistatus.ts';
import { el, type XmlChild, type XmlNode } from '../xml/build-xml.ts';
import { type ClarkName, DAV } from '../xml/names.ts';
import { childNamed, type XmlElement } from '../xml/parse-xml.ts';

/** What a PROPFIND (or a report's DAV:prop) asks for (RFC 4918 §9.1). */
export type PropertyRequest =
  | { type: 'prop'; names: ClarkName[]; elements: ReadonlyMap<ClarkName, XmlElement> }
  | { type: 'allprop'; include: ClarkName[] }
  | { type: 'propname' };

/** A property whose value depends on the request element (calendar-data in reports). */
export type DynamicProperty = (
  resource: Resource,
  request: XmlElement,
) => readonly XmlChild[] | string | null;

/** Reads the request: no body or an empty DAV:propfind means allprop (RFC 4918 §9.1). */
export function readPropertyRequest(container: XmlElement | undefined): PropertyRequest {
  if (!container) return { type: 'allprop', include: [] };
  if (childNamed(container, DAV.propname)) return { type: 'propname' };
  const prop = childNamed(container, DAV.prop);
  if (prop) {
    const elements = new Map(prop.children.map((child) => [child.name, child] as const));
    return { type: 'prop', names: [...elements.keys()], elements };
  }
  const include = childNamed(container, DAV.include)?.children.map((child) => child.name) ?? [];
  return { type: 'allprop', include };
}

/**
 * One DAV:response for a resource, like sabre's PropFind::handle: every requested name starts as
 * 404, each applicable definition fills in its value, and the results are grouped into propstats by
 * status. A getter that throws makes only its own property fail (500 propstat), never the request.
 */
export function propertyResponse(
  resource: Resource,
  request: PropertyRequest,
  context: PropertyContext,
  options: { minimal?: boolean; dynamic?: ReadonlyMap<ClarkName, DynamicProperty> } = {},
): XmlNode {
  const { properties } = context.registry;
  const ok: XmlNode[] = [];
  const missing: XmlNode[] = [];
  const failed: XmlNode[] = [];

  if (request.type === 'propname') {
    for (const [name, def] of properties) {
      if (def.appliesTo.includes(resource.kind)) ok.push(el(name));
    }
  } else {
    // A prop request's names are the keys of its elements, already distinct.
    const names =
      request.type === 'prop'
        ? request.names
        : [
            ...[...properties]
              .filter(([, def]) => def.inAllprop && def.appliesTo.includes(resource.kind))
              .map(([name]) => name),
            ...new Set(request.include),
          ];
    for (const name of names) {
      const dynamic = options.dynamic?.get(name);
      const requestElement = request.type === 'prop' ? request.elements.get(name) : undefined;
      try {
        const value = dynamic
          ? requestElement
            ? dynamic(resource, requestElement)
            : null
          : readProperty(name, resource, context);
        if (value === null) missing.push(el(name));
        else ok.push(el(name, value));
      } catch {
        failed.push(el(name));
      }
    }
  }

  const propstats: XmlNode[] = [];
  if (ok.length > 0) propstats.push(propstat(ok, 200));
  // Apple's `Prefer: return=minimal` / `Brief: t` drop the 404s (draft-murchison-webdav-prefer).
  if (missing.length > 0 && !options.minimal) propstats.push(propstat(missing, 404));
  if (failed.length > 0) propstats.push(propstat(failed, 500));
  // RFC 4918 §14.24: a response carries at least one propstat.
  if (propstats.length === 0) propstats.push(propstat([], 200));
  return el(DAV.response, [el(DAV.href, resource.href), ...propstats]);
}

function readProperty(name: ClarkName, resource: Resource, context: PropertyContext) {
  const def = context.registry.properties.get(name);
  if (!def?.appliesTo.includes(resource.kind)) return null;
  return def.get(resource, context);
}

function propstat(props: readonly XmlNode[], status: number): XmlNode {
  return el(DAV.propstat, [el(DAV.prop, props), el(DAV.status, statusLine(status))]);
}

/** RFC 8144 / draft-murchison-webdav-prefer: the client wants only the found properties. */
export function wantsMinimal(headers: Readonly<Record<string, string | string[] | undefined>>): boolean {
  const prefer = String(headers.prefer ?? '').toLowerCase();
  const brief = String(headers.brief ?? '').toLowerCase();
  return prefer.includes('return=minimal') || brief === 't';
}
