import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngine } from '../../support/test-database.ts';
import { type BotHarness, startBotHarness } from './bot-harness.ts';

describe(`bot: /subscribe follows a calendar feed [${testEngine}]`, () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('/subscribe alone explains how to use it', async () => {
    const user = { id: 5301, first_name: 'Pia' };
    await h.say(user, '/help');
    const answer = await h.say(user, '/subscribe');
    expect(answer.plain_text).toContain('/subscribe https://example.com/holidays.ics');
    expect(answer.plain_text).toContain('webcal://');
    expect(await h.services.calendars.listCalendars(user.id)).toHaveLength(1);
  });

  it('/subscribe <url> makes a read-only calendar named after the host and queues its fetch', async () => {
    const user = { id: 5302, first_name: 'Quinn' };
    await h.say(user, '/help');
    const answer = await h.say(user, '/subscribe webcal://holidays.example.com/de.ics');
    expect(answer.plain_text).toContain('Following holidays.example.com');
    const calendars = await h.services.calendars.listCalendars(user.id);
    expect(calendars.map((c) => [c.name, c.readOnly])).toEqual([
      [calendars[0]?.name, false],
      ['holidays.example.com', true],
    ]);
    const feed = await h.services.calendarSubscriptions.subscriptionOf(user.id, calendars[1]?.id ?? '');
    expect(feed?.url).toBe('https://holidays.example.com/de.ics');
  });

  it('refuses a private address in the user’s language and makes nothing', async () => {
    const user = { id: 5303, first_name: 'Roma', language_code: 'ru' };
    await h.say(user, '/help');
    const answer = await h.say(user, '/subscribe http://192.168.1.10/feed.ics');
    expect(answer.plain_text).toContain('По этому адресу нельзя подписаться');
    expect(await h.services.calendars.listCalendars(user.id)).toHaveLength(1);
  });

  it('lists /subscribe in /help', async () => {
    const answer = await h.say({ id: 5304, first_name: 'Sam' }, '/help');
    expect(answer.plain_text).toContain('/subscribe <url>');
  });
});
