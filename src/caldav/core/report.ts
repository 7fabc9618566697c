import { DavError } from '../dav-error.ts';
import type { DavContext, DavResponse } from '../module.ts';
import { resolveResource } from '../resolve-resource.ts';
import { DAV } from '../xml/names.ts';
import { readXmlBody } from './read-xml-body.ts';

/** RFC 3253 §3.6: dispatches on the body's root element to the module that owns the report. */
export async function report(ctx: DavContext): Promise<DavResponse> {
  const body = readXmlBody(ctx);
  if (!body) throw new DavError(400, 'A REPORT needs an XML body.');
  const resource = await resolveResource(ctx);
  const handler = ctx.registry.reports.get(body.name);
  const kinds = ctx.registry.reportsApplyTo.get(body.name) ?? [];
  // A known report only: a client's made-up element names must not become label values.
  if (handler) ctx.noteReport(body.name.slice(body.name.indexOf('}') + 1));
  if (!handler || !kinds.includes(resource.kind)) {
    throw new DavError(403, `The ${body.name} report is not supported on this resource.`, {
      precondition: DAV.supportedReport,
    });
  }
  return handler(ctx, body, resource);
}
