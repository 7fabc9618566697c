import { STATUS_CODES } from 'node:http';
import { eachCooperatively, type RequestWork } from '../app/cooperative-work.ts';
import type { DavResponse } from './module.ts';
import { el, serializeXml, type XmlChild, type XmlNode } from './xml/build-xml.ts';
import { DAV } from './xml/names.ts';

export const xmlContentType = 'application/xml; charset=utf-8';

export function statusLine(code: number): string {
  return `HTTP/1.1 ${code} ${STATUS_CODES[code] ?? ''}`.trimEnd();
}

/** RFC 4918 §14.16: a 207 body; `extra` follows the responses (e.g. DAV:sync-token). */
export function multistatus(responses: readonly XmlNode[], extra: readonly XmlNode[] = []): DavResponse {
  return {
    status: 207,
    headers: { 'content-type': xmlContentType },
    body: serializeXml(el(DAV.multistatus, [...responses, ...extra])),
  };
}

/** A response that carries only a status for an href (404 in multiget, deletions in sync). */
export function statusResponse(href: string, status: number, children: readonly XmlChild[] = []): XmlNode {
  return el(DAV.response, [el(DAV.href, href), el(DAV.status, statusLine(status)), ...children]);
}

/**
 * One response per item, built with pauses between items so a long report never holds the event
 * loop. Once the request's work budget is spent the rest is left out and a 507 for the collection
 * with DAV:number-of-matches-within-limits says so (RFC 4918 §16 / RFC 6578 §3.6), as for a size limit.
 */
export async function cooperativeResponses<T>(
  items: readonly T[],
  build: (item: T) => XmlNode | null,
  options: { work: RequestWork; collectionHref: string },
): Promise<XmlNode[]> {
  const responses: XmlNode[] = [];
  const { complete } = await eachCooperatively(
    items,
    (item) => {
      const response = build(item);
      if (response) responses.push(response);
    },
    options.work,
  );
  if (!complete) responses.push(incompleteResponse(options.collectionHref));
  return responses;
}

/** The collection's own 507 response that marks an answer as cut short. */
export function incompleteResponse(collectionHref: string): XmlNode {
  return statusResponse(collectionHref, 507, [el(DAV.error, [el(DAV.numberOfMatchesWithinLimits)])]);
}
