import { DavError } from '../dav-error.ts';
import type { DavContext } from '../module.ts';
import { parseXml, type XmlElement, XmlInputError } from '../xml/parse-xml.ts';

/** The request body as XML, or undefined when there is none; malformed bodies are 400. */
export function readXmlBody(ctx: DavContext): XmlElement | undefined {
  if (ctx.body === undefined || ctx.body.trim() === '') return undefined;
  try {
    return parseXml(ctx.body);
  } catch (error) {
    if (error instanceof XmlInputError) throw new DavError(400, error.message, { cause: error });
    throw error;
  }
}
