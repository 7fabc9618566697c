import type { ShareView } from '../../app/calendar-sharing.ts';
import type { AppServices } from '../../app/services.ts';
import { inviteStartPrefix } from '../../telegram/share-invite.ts';
import type { TypedApp } from '../typed-app.ts';
import { requireUser } from './authenticate.ts';
import { idParams } from './contract.ts';
import {
  calendarShareParams,
  inviteInput,
  inviteOutput,
  shareInput,
  shareListOutput,
  shareOutput,
  sharePatch,
} from './share-contract.ts';

function presentShare(share: ShareView) {
  return {
    ...share,
    createdAt: share.createdAt.toISOString(),
    acceptedAt: share.acceptedAt?.toISOString() ?? null,
  };
}

/**
 * Calendar sharing over REST (issue 14 item 1). The owner: `/api/calendars/:id/shares` (offer,
 * list, change access, revoke) and `/invites` (a link for the bot). The invitee: `/api/shares`
 * (pending and accepted) with accept and decline. A calendar you do not see is 404, one shared
 * with you that you try to manage is 403 `not-calendar-owner`.
 */
export async function registerShareRoutes(api: TypedApp, services: AppServices): Promise<void> {
  const { sharing } = services;

  api.post(
    '/calendars/:id/shares',
    {
      schema: {
        tags: ['sharing'],
        summary: 'Share your calendar with someone who has started the bot, to read or to write',
        params: idParams,
        body: shareInput,
        response: { 201: shareOutput },
      },
    },
    async (request, reply) => {
      const { telegramId, username, access } = request.body;
      const target = telegramId !== undefined ? { telegramId } : { username: username ?? '' };
      const share = await sharing.share(requireUser(request), request.params.id, target, access);
      reply.code(201).header('location', `/api/calendars/${share.calendarId}/shares/${share.id}`);
      return presentShare(share);
    },
  );

  api.post(
    '/calendars/:id/invites',
    {
      schema: {
        tags: ['sharing'],
        summary: 'An invite link for the bot: whoever opens it first is invited to your calendar',
        params: idParams,
        body: inviteInput,
        response: { 201: inviteOutput },
      },
    },
    async (request, reply) => {
      const { share, secret } = await sharing.createInvite(
        requireUser(request),
        request.params.id,
        request.body.access,
      );
      reply.code(201);
      return { share: presentShare(share), startParameter: `${inviteStartPrefix}${secret}` };
    },
  );

  api.get(
    '/calendars/:id/shares',
    {
      schema: {
        tags: ['sharing'],
        summary: 'Who your calendar is shared with (and invite links not yet opened)',
        params: idParams,
        response: { 200: shareListOutput },
      },
    },
    async (request) => ({
      shares: (await sharing.listShares(requireUser(request), request.params.id)).map(presentShare),
    }),
  );

  api.patch(
    '/calendars/:id/shares/:shareId',
    {
      schema: {
        tags: ['sharing'],
        summary: 'Change what a person may do with your calendar',
        params: calendarShareParams,
        body: sharePatch,
        response: { 200: shareOutput },
      },
    },
    async (request) => {
      const { id, shareId } = request.params;
      return presentShare(await sharing.changeAccess(requireUser(request), id, shareId, request.body.access));
    },
  );

  api.delete(
    '/calendars/:id/shares/:shareId',
    {
      schema: {
        tags: ['sharing'],
        summary: 'Stop sharing your calendar with a person (or cancel an invitation)',
        params: calendarShareParams,
      },
    },
    async (request, reply) => {
      const { id, shareId } = request.params;
      await sharing.revoke(requireUser(request), id, shareId);
      return reply.code(204).send();
    },
  );

  api.get(
    '/shares',
    {
      schema: {
        tags: ['sharing'],
        summary: 'Calendars shared with you: invitations to answer and those you accepted',
        response: { 200: shareListOutput },
      },
    },
    async (request) => ({ shares: (await sharing.sharesWithMe(requireUser(request))).map(presentShare) }),
  );

  api.post(
    '/shares/:id/accept',
    {
      schema: {
        tags: ['sharing'],
        summary:
          'Accept a calendar shared with you: it joins your agenda, the web app and your CalDAV calendars',
        params: idParams,
        response: { 200: shareOutput },
      },
    },
    async (request) => presentShare(await sharing.accept(requireUser(request), request.params.id)),
  );

  api.post(
    '/shares/:id/decline',
    {
      schema: {
        tags: ['sharing'],
        summary: 'Decline an invitation, or leave a calendar you accepted earlier',
        params: idParams,
      },
    },
    async (request, reply) => {
      await sharing.decline(requireUser(request), request.params.id);
      return reply.code(204).send();
    },
  );
}
