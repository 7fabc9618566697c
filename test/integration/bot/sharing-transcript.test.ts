import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerHandle } from '../../../src/worker/run-worker.ts';
import { attendeeLine } from '../../support/ical-lines.ts';
import { startInProcessWorker } from '../../support/in-process-worker.ts';
import type { SentMessage } from '../../support/telegram-emulator.ts';
import { testEngine } from '../../support/test-database.ts';
import { type BotHarness, buttonsOf, startBotHarness } from './bot-harness.ts';
import { Transcript } from './edit-support.ts';

// Two people in one story, as the chat shows it to each (docs/transcripts/sharing-and-invitation.md
// with WRITE_TRANSCRIPTS=1): Olga shares her calendar with Pavel by @username, he accepts and
// sees her events; then she invites him to an event from /edit and he accepts, which writes his
// answer into her event and puts the event in his own calendar.

const olga = { id: 5901, first_name: 'Olga', username: 'olga_story' };
const pavel = { id: 5902, first_name: 'Pavel', username: 'pavel_story' };

describe(`bot: two people share a calendar and answer an invitation [${testEngine}]`, () => {
  let h: BotHarness;
  let worker: WorkerHandle;

  beforeAll(async () => {
    h = await startBotHarness();
    worker = startInProcessWorker(h.services, { config: h.config });
    for (const user of [olga, pavel]) await h.say(user, '/help');
    await h.say(olga, '/timezone Europe/Berlin');
    await h.say(pavel, '/timezone Europe/Berlin');
  });
  afterAll(async () => {
    await worker?.stop();
    await h?.close();
  });

  const labelled = (message: SentMessage, label: string) => {
    const found = buttonsOf(message).find((b) => b.text.includes(label));
    if (!found) throw new Error(`no button "${label}" in ${JSON.stringify(buttonsOf(message))}`);
    return found.data;
  };

  it('shares, accepts, invites and answers, each step seen by both', async () => {
    const lines: string[] = [];
    const o = new Transcript(h, olga, { name: 'Olga', lines });
    const p = new Transcript(h, pavel, { name: 'Pavel', lines });
    const start = new Date(Date.now() + 2 * 86_400_000);
    start.setUTCHours(17, 0, 0, 0);
    const dinner = await h.services.calendars.createEvent(olga.id, {
      summary: 'Dinner at Olga’s',
      start,
      end: new Date(start.getTime() + 2 * 3_600_000),
      timeZone: 'Europe/Berlin',
    });

    o.note('Olga shares her calendar with Pavel, who has started the bot');
    await o.say('/share');
    const offered = await o.say('@pavel_story');
    expect(offered.plain_text).toContain("I've invited Pavel");
    const offer = await p.next();
    expect(offer.plain_text).toContain('Olga shared the calendar');
    expect((await p.press(offer, labelled(offer, 'Accept'))).plain_text).toContain(
      'is in your calendars now',
    );
    expect((await o.next()).plain_text).toContain('Pavel accepted');
    expect((await p.say('/week')).plain_text).toContain('Dinner at Olga’s');

    o.note('Olga invites Pavel to the dinner from /edit');
    const list = await o.say('/edit');
    const menu = await o.press(list, `ed:${dinner.id}:0`);
    await o.press(menu, labelled(menu, 'Invite people'));
    expect((await o.say('@pavel_story')).plain_text).toContain('Invited @pavel_story');
    const invitation = await p.next();
    expect(invitation.plain_text).toContain('Olga invites you to Dinner at Olga’s');
    expect((await p.press(invitation, labelled(invitation, 'Accept'))).plain_text).toContain('You accepted');
    expect((await o.next()).plain_text).toContain('Pavel accepted Dinner at Olga’s');

    // What their calendar apps see: his answer in her event, the event in his own calendar.
    const stored = await h.services.calendars.getEvent(olga.id, dinner.id);
    const organizerCopy = (await h.services.calendars.getObject(olga.id, stored.calendarId, stored.href))
      .ical;
    expect(attendeeLine(organizerCopy.replace(/\r\n /g, ''), 'mailto:5902@telegram.invalid')).toContain(
      'PARTSTAT=ACCEPTED',
    );
    const own = await h.services.calendars.defaultCalendar(pavel.id);
    const listed = await h.services.calendars.listOccurrences(pavel.id, {
      start: new Date(start.getTime() - 86_400_000),
      end: new Date(start.getTime() + 86_400_000),
    });
    expect(listed.occurrences.filter((x) => x.calendarId === own.id).map((x) => x.summary)).toEqual([
      'Dinner at Olga’s',
    ]);

    o.writeIfAsked(
      'sharing-and-invitation.md',
      '# Two people: a shared calendar and an invitation\n\nRecorded through the Bot API emulator by `test/integration/bot/sharing-transcript.test.ts` (`WRITE_TRANSCRIPTS=1`).',
    );
  });
});
