import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerHandle } from '../../../src/worker/run-worker.ts';
import { attendeeLine } from '../../support/ical-lines.ts';
import { startInProcessWorker } from '../../support/in-process-worker.ts';
import { testEngine } from '../../support/test-database.ts';
import { restAndCaldavPerFile } from '../http/rest-caldav-support.ts';
import { expectProblem } from '../http/rest-support.ts';

// Invitations over REST (issue 14 items 3 and 4): the organizer invites by @username and by
// e-mail, the attendee lists and answers, and everyone else is answered as if nothing existed.

const olga = { id: 5901, username: 'olga_invites' };
const pavel = { id: 5902, username: 'pavel_invited' };
const stranger = { id: 5903, username: 'stranger_here' };

interface Invitation {
  id: string;
  summary: string;
  answer: string;
  calendarId: string | null;
}

describe(`invitations over REST [${testEngine}]`, () => {
  const suite = restAndCaldavPerFile();
  let worker: WorkerHandle;
  let eventId: string;
  let invitation: Invitation;

  beforeAll(async () => {
    worker = startInProcessWorker(suite.server.services);
  });
  afterAll(async () => {
    await worker?.stop();
  });

  const call = (user: { id: number }, method: 'GET' | 'POST', url: string, payload?: object) =>
    suite.server.rest(user, method, url, payload ? { payload } : {});
  const invitationsOf = async (user: { id: number }) =>
    ((await call(user, 'GET', '/api/invitations')).json() as { invitations: Invitation[] }).invitations;
  const storedText = async () => {
    const event = await suite.server.services.calendars.getEvent(olga.id, eventId);
    return (
      await suite.server.services.calendars.getObject(olga.id, event.calendarId, event.href)
    ).ical.replace(/\r\n /g, '');
  };

  it('invites a Televent user by @username and anyone else by e-mail', async () => {
    for (const user of [olga, pavel, stranger]) {
      await suite.server.services.accounts.ensureUser({
        telegramId: user.id,
        username: user.username,
        timeZone: 'UTC',
      });
    }
    const created = await call(olga, 'POST', '/api/events', {
      summary: 'Book club',
      start: '2026-12-20T18:00:00Z',
      end: '2026-12-20T20:00:00Z',
    });
    expect(created.statusCode, created.body).toBe(201);
    eventId = (created.json() as { id: string }).id;
    const invited = await call(olga, 'POST', `/api/events/${eventId}/attendees`, {
      people: [{ username: '@pavel_invited' }, { email: 'Ann@Example.org' }],
    });
    expect(invited.statusCode).toBe(200);
    const text = await storedText();
    expect(text).toContain('ORGANIZER;CN=@olga_invites:mailto:5901@telegram.invalid');
    const pavelLine = attendeeLine(text, 'mailto:5902@telegram.invalid');
    expect(pavelLine).toContain(
      'ATTENDEE;CN=@pavel_invited;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE',
    );
    expect(text).toContain('RSVP=TRUE:mailto:ann@example.org');

    await expect.poll(async () => (await invitationsOf(pavel)).length).toBe(1);
    [invitation] = (await invitationsOf(pavel)) as [Invitation];
    expect(invitation).toMatchObject({ summary: 'Book club', answer: 'needs-action', calendarId: null });
  });

  it("answers: the organizer's event says so and the event is in the attendee's agenda", async () => {
    const answered = await call(pavel, 'POST', `/api/invitations/${invitation.id}/answer`, {
      answer: 'tentative',
    });
    expect(answered.statusCode).toBe(200);
    expect(answered.json()).toMatchObject({ answer: 'tentative' });
    expect((answered.json() as Invitation).calendarId).not.toBeNull();
    expect(attendeeLine(await storedText(), 'mailto:5902@telegram.invalid')).toContain('PARTSTAT=TENTATIVE');
    const agenda = await call(
      pavel,
      'GET',
      '/api/events?start=2026-12-20T00:00:00Z&end=2026-12-21T00:00:00Z',
    );
    expect(
      (agenda.json() as { occurrences: { summary: string }[] }).occurrences.map((o) => o.summary),
    ).toEqual(['Book club']);
  });

  it('refuses bad invitations with a clear 4xx and changes nothing', async () => {
    const before = await storedText();
    expectProblem(await call(olga, 'POST', `/api/events/${eventId}/attendees`, { people: [] }), 400);
    expectProblem(
      await call(olga, 'POST', `/api/events/${eventId}/attendees`, { people: [{ email: 'not an address' }] }),
      400,
    );
    expectProblem(
      await call(olga, 'POST', `/api/events/${eventId}/attendees`, {
        people: [{ username: 'nobody_at_all_9' }],
      }),
      404,
      'user-not-found',
    );
    expectProblem(
      await call(olga, 'POST', `/api/events/${eventId}/attendees`, { people: [{ telegramId: olga.id }] }),
      400,
      'invalid-field',
    );
    expectProblem(
      await call(pavel, 'POST', `/api/invitations/${invitation.id}/answer`, { answer: 'maybe' }),
      400,
    );
    expect(await storedText()).toBe(before);
  });

  it('answers someone not invited as if the invitation and the event did not exist', async () => {
    expect(await invitationsOf(stranger)).toEqual([]);
    expectProblem(
      await call(stranger, 'POST', `/api/invitations/${invitation.id}/answer`, { answer: 'accepted' }),
      404,
      'invitation-not-found',
    );
    expectProblem(
      await call(stranger, 'POST', `/api/events/${eventId}/attendees`, {
        people: [{ telegramId: stranger.id }],
      }),
      404,
      'event-not-found',
    );
    expectProblem(
      await call(stranger, 'POST', '/api/invitations/not-a-uuid/answer', { answer: 'accepted' }),
      404,
      'invitation-not-found',
    );
    // The attendee's copy is theirs to keep, not to invite others to.
    const copy = (await invitationsOf(pavel))[0];
    const { occurrences } = (
      await call(pavel, 'GET', '/api/events?start=2026-12-20T00:00:00Z&end=2026-12-21T00:00:00Z')
    ).json() as { occurrences: { eventId: string }[] };
    expect(copy?.answer).toBe('tentative');
    expectProblem(
      await call(pavel, 'POST', `/api/events/${occurrences[0]?.eventId}/attendees`, {
        people: [{ telegramId: stranger.id }],
      }),
      400,
    );
  });
});
