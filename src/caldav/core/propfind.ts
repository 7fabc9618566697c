import { DavError } from '../dav-error.ts';
import type { DavContext, DavResponse } from '../module.ts';
import { incompleteResponse, Multistatus } from '../multistatus.ts';
import { childrenOf, resolveResource } from '../resolve-resource.ts';
import { objectHref } from '../resource-path.ts';
import { addMemberResponses, memberResponseForm } from '../response-cache.ts';
import { DAV } from '../xml/names.ts';
import { propertyResponse, readPropertyRequest, wantsMinimal } from './property-request.ts';
import { readXmlBody } from './read-xml-body.ts';

/**
 * RFC 4918 §9.1. Depth 0 or 1; `infinity` is refused with DAV:propfind-finite-depth (§9.1, §16),
 * and an absent Depth header is read as 0, as Radicale does, since no client here relies on it.
 */
export async function propfind(ctx: DavContext): Promise<DavResponse> {
  const depth = String(ctx.headers.depth ?? '0')
    .trim()
    .toLowerCase();
  if (depth === 'infinity') {
    throw new DavError(403, 'PROPFIND with Depth: infinity is not supported; use Depth: 0 or 1.', {
      precondition: DAV.propfindFiniteDepth,
    });
  }
  if (depth !== '0' && depth !== '1') throw new DavError(400, 'The Depth header must be 0, 1 or infinity.');
  const body = readXmlBody(ctx);
  if (body && body.name !== DAV.propfind) throw new DavError(400, 'The body must be a DAV:propfind element.');
  const request = readPropertyRequest(body);
  const resource = await resolveResource(ctx);
  const context = { userId: ctx.userId, registry: ctx.registry, limits: ctx.limits };
  const minimal = wantsMinimal(ctx.headers);
  const answer = new Multistatus();
  answer.add(propertyResponse(resource, request, context, { minimal }));
  if (depth === '0') return answer.finish();
  if (resource.kind === 'calendar') {
    // Members are answered from responses kept since an earlier listing, where they did not change.
    const { calendar } = resource;
    const form = memberResponseForm(request, ctx.userId, calendar, { minimal });
    const members = await ctx.services.caldav.listObjectSummaries(calendar);
    const { complete } = await addMemberResponses(
      answer,
      members,
      { form },
      (object) => () => {
        const href = objectHref(calendar.homeUserId, calendar.slug, object.hrefName);
        return propertyResponse({ kind: 'object', href, calendar, object }, request, context, { minimal });
      },
      ctx.work,
    );
    if (!complete) answer.add(incompleteResponse(resource.href));
  } else {
    for (const child of await childrenOf(ctx, resource))
      answer.add(propertyResponse(child, request, context, { minimal }));
  }
  return answer.finish();
}
