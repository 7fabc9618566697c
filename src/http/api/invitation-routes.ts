import { z } from 'zod';
import type { InvitationView } from '../../app/invitations.ts';
import type { AppServices } from '../../app/services.ts';
import type { TypedApp } from '../typed-app.ts';
import { requireUser } from './authenticate.ts';
import { eventOutput, idParams } from './contract.ts';
import { presentEvent } from './present.ts';

// Invitations with RSVP over REST (issue 14 item 3): the organizer invites people to an event; an
// attendee lists what they are invited to and answers. Events with ATTENDEE written by a calendar
// app invite the same way; the bot's buttons answer the same way.

const answers = { accepted: 'ACCEPTED', tentative: 'TENTATIVE', declined: 'DECLINED' } as const;

const invitee = z.union([
  z.object({ telegramId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) }).strict(),
  z
    .object({
      username: z
        .string()
        .regex(/^@?[A-Za-z0-9_]{5,32}$/, 'must be a Telegram @username')
        .transform((name) => name.replace(/^@/, '')),
    })
    .strict(),
  z.object({ email: z.string().min(3).max(254) }).strict(),
]);

const inviteInput = z
  .object({
    people: z
      .array(invitee)
      .min(1)
      .max(20)
      .describe('Televent users by Telegram id or @username, anyone else by e-mail address'),
  })
  .strict();

const invitationOutput = z.object({
  id: z.string(),
  organizer: z.object({ telegramId: z.number(), name: z.string() }),
  summary: z.string().nullable(),
  start: z.string().nullable(),
  allDay: z.boolean(),
  answer: z
    .enum(['needs-action', 'accepted', 'tentative', 'declined'])
    .describe("the attendee's PARTSTAT (RFC 5545 §3.2.12), as written in the organizer's event"),
  calendarId: z.string().nullable().describe("the attendee's calendar holding their copy, once accepted"),
});

const answerInput = z.object({ answer: z.enum(['accepted', 'tentative', 'declined']) }).strict();

function presentInvitation(invitation: InvitationView) {
  const answer = invitation.answer.toLowerCase();
  return {
    ...invitation,
    start: invitation.start?.toISOString() ?? null,
    answer: (['accepted', 'tentative', 'declined'].includes(answer) ? answer : 'needs-action') as
      | 'needs-action'
      | 'accepted'
      | 'tentative'
      | 'declined',
  };
}

export async function registerInvitationRoutes(api: TypedApp, services: AppServices): Promise<void> {
  const { invitations } = services;

  api.post(
    '/events/:id/attendees',
    {
      schema: {
        tags: ['invitations'],
        summary: 'Invite people to your event: each gets an invitation in Telegram, or by e-mail (iMIP)',
        params: idParams,
        body: inviteInput,
        response: { 200: eventOutput },
      },
    },
    async (request, reply) => {
      const event = await invitations.invite(requireUser(request), request.params.id, request.body.people);
      reply.header('etag', event.etag);
      return presentEvent(event);
    },
  );

  api.get(
    '/invitations',
    {
      schema: {
        tags: ['invitations'],
        summary: 'Events you are invited to (not cancelled), newest first',
        response: { 200: z.object({ invitations: z.array(invitationOutput) }) },
      },
    },
    async (request) => ({
      invitations: (await invitations.invitationsFor(requireUser(request))).map(presentInvitation),
    }),
  );

  api.post(
    '/invitations/:id/answer',
    {
      schema: {
        tags: ['invitations'],
        summary:
          "Answer an invitation: written into the organizer's event; accepted or tentative puts it in your calendar",
        params: idParams,
        body: answerInput,
        response: { 200: invitationOutput },
      },
    },
    async (request) =>
      presentInvitation(
        await invitations.answer(requireUser(request), request.params.id, answers[request.body.answer]),
      ),
  );
}
