import type { CompFilter, ParamFilter, PropFilter, TextMatch } from '../../domain/ical/calendar-filter.ts';
import { DavError } from '../dav-error.ts';
import { CALDAV } from '../xml/names.ts';
import { childNamed, childrenNamed, type XmlElement } from '../xml/parse-xml.ts';
import { readTimeRange } from './time-range-attribute.ts';

function invalidFilter(message: string): DavError {
  return new DavError(403, message, { precondition: CALDAV.validFilter });
}

/** RFC 4791 §9.7: the CALDAV:filter element; its one comp-filter must name VCALENDAR. */
export function readFilter(filter: XmlElement | undefined): CompFilter {
  if (!filter) throw invalidFilter('A calendar-query needs a CALDAV:filter.');
  const comps = childrenNamed(filter, CALDAV.compFilter);
  const [top] = comps;
  if (comps.length !== 1 || !top || (top.attributes.name ?? '').toUpperCase() !== 'VCALENDAR') {
    throw invalidFilter('The filter must hold exactly one comp-filter named VCALENDAR.');
  }
  return readCompFilter(top);
}

function nameOf(element: XmlElement): string {
  const name = element.attributes.name?.trim();
  if (!name) throw invalidFilter('Every comp-filter, prop-filter and param-filter needs a name.');
  return name.toUpperCase();
}

function readCompFilter(element: XmlElement): CompFilter {
  const timeRange = childNamed(element, CALDAV.timeRange);
  return {
    name: nameOf(element),
    isNotDefined: childNamed(element, CALDAV.isNotDefined) !== undefined,
    ...(timeRange ? { timeRange: readTimeRange(timeRange, { requireBoth: false }) } : {}),
    props: childrenNamed(element, CALDAV.propFilter).map(readPropFilter),
    comps: childrenNamed(element, CALDAV.compFilter).map(readCompFilter),
  };
}

function readPropFilter(element: XmlElement): PropFilter {
  const timeRange = childNamed(element, CALDAV.timeRange);
  const textMatch = childNamed(element, CALDAV.textMatch);
  return {
    name: nameOf(element),
    isNotDefined: childNamed(element, CALDAV.isNotDefined) !== undefined,
    ...(timeRange ? { timeRange: readTimeRange(timeRange, { requireBoth: false }) } : {}),
    ...(textMatch ? { textMatch: readTextMatch(textMatch) } : {}),
    params: childrenNamed(element, CALDAV.paramFilter).map(readParamFilter),
  };
}

function readParamFilter(element: XmlElement): ParamFilter {
  const textMatch = childNamed(element, CALDAV.textMatch);
  return {
    name: nameOf(element),
    isNotDefined: childNamed(element, CALDAV.isNotDefined) !== undefined,
    ...(textMatch ? { textMatch: readTextMatch(textMatch) } : {}),
  };
}

const caselessCollations = new Set(['i;ascii-casemap', 'i;unicode-casemap']);

function readTextMatch(element: XmlElement): TextMatch {
  const collation = element.attributes.collation ?? 'i;ascii-casemap';
  if (!caselessCollations.has(collation) && collation !== 'i;octet') {
    throw new DavError(403, `The collation ${collation.slice(0, 40)} is not supported.`, {
      precondition: CALDAV.supportedCollation,
    });
  }
  return {
    value: element.text,
    caseless: caselessCollations.has(collation),
    negate: element.attributes['negate-condition'] === 'yes',
  };
}
