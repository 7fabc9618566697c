import { STATUS_CODES } from 'node:http';
import { eachCooperatively, type RequestWork } from '../app/cooperative-work.ts';
import type { DavResponse } from './module.ts';
import { el, type WrittenXml, type XmlChild, XmlDocumentWriter, type XmlNode } from './xml/build-xml.ts';
import { DAV } from './xml/names.ts';

export const xmlContentType = 'application/xml; charset=utf-8';

const statusLines = new Map<number, string>();

export function statusLine(code: number): string {
  let line = statusLines.get(code);
  if (line === undefined) {
    line = `HTTP/1.1 ${code} ${STATUS_CODES[code] ?? ''}`.trimEnd();
    statusLines.set(code, line);
  }
  return line;
}

/**
 * RFC 4918 §14.16: a 207 body, written response by response as they are added, so a listing of
 * thousands of members is never held as a tree of elements.
 */
export class Multistatus {
  readonly #writer: XmlDocumentWriter;
  #count = 0;

  constructor(writer: XmlDocumentWriter = new XmlDocumentWriter(DAV.multistatus)) {
    this.#writer = writer;
  }

  /** An empty run of responses to add here later with `addAll` (they share its namespace prefixes). */
  fork(): Multistatus {
    return new Multistatus(this.#writer.fork());
  }

  /** How many responses were added. */
  get count(): number {
    return this.#count;
  }

  add(response: XmlNode): void {
    this.#writer.add(response);
    this.#count++;
  }

  /** A response written before, or `count` of them in one piece (see response-cache.ts). */
  addWritten(response: WrittenXml, count = 1): void {
    this.#writer.addWritten(response);
    this.#count += count;
  }

  /** Every response of `other`, a `fork()` of this one, in order. */
  addAll(other: Multistatus): void {
    this.#writer.addAll(other.#writer);
    this.#count += other.#count;
  }

  /** The responses added so far as one written piece, or undefined if one could not be kept so. */
  responsesWritten(): WrittenXml | undefined {
    return this.#writer.childrenWritten();
  }

  /** The 207 response; `extra` follows the responses (e.g. DAV:sync-token). */
  finish(extra: readonly XmlNode[] = []): DavResponse {
    for (const node of extra) this.#writer.add(node);
    return { status: 207, headers: { 'content-type': xmlContentType }, body: this.#writer.finish() };
  }
}

/** RFC 4918 §14.16: a 207 body; `extra` follows the responses (e.g. DAV:sync-token). */
export function multistatus(responses: readonly XmlNode[], extra: readonly XmlNode[] = []): DavResponse {
  const body = new Multistatus();
  for (const response of responses) body.add(response);
  return body.finish(extra);
}

/** A response that carries only a status for an href (404 in multiget, deletions in sync). */
export function statusResponse(href: string, status: number, children: readonly XmlChild[] = []): XmlNode {
  return el(DAV.response, [el(DAV.href, href), el(DAV.status, statusLine(status)), ...children]);
}

/**
 * One response per item, written with pauses between items so a long report never holds the event
 * loop. Once the request's work budget is spent the rest is left out and a 507 for the collection
 * with DAV:number-of-matches-within-limits says so (RFC 4918 §16 / RFC 6578 §3.6), as for a size limit.
 */
export async function cooperativeResponses<T>(
  items: readonly T[],
  build: (item: T, body: Multistatus) => XmlNode | null,
  options: { work: RequestWork; collectionHref: string },
): Promise<Multistatus> {
  const body = new Multistatus();
  const { complete } = await eachCooperatively(
    items,
    (item) => {
      const response = build(item, body);
      if (response) body.add(response);
    },
    options.work,
  );
  if (!complete) body.add(incompleteResponse(options.collectionHref));
  return body;
}

/** The collection's own 507 response that marks an answer as cut short. */
export function incompleteResponse(collectionHref: string): XmlNode {
  return statusResponse(collectionHref, 507, [el(DAV.error, [el(DAV.numberOfMatchesWithinLimits)])]);
}
