import { STATUS_CODES } from 'node:http';
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
