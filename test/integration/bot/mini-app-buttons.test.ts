import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotHarness, startBotHarness } from './bot-harness.ts';

type Button = { text: string; url?: string; web_app?: { url: string }; callback_data?: string };

function keyboardOf(message: { reply_markup?: unknown }): Button[][] {
  return (message.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? [];
}

describe('bot: /web with an https PUBLIC_URL (the Mini App)', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness({ env: { PUBLIC_URL: 'https://cal.example.org' } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers with a Web App button opening /app/ and keeps the login link for a browser', async () => {
    const user = { id: 7101, first_name: 'Mia' };
    const reply = await h.say(user, '/web');
    const [appRow, browserRow] = keyboardOf(reply);
    expect(appRow).toEqual([
      { text: '📅 Open the calendar', web_app: { url: 'https://cal.example.org/app/' } },
    ]);
    const link = /(https:\/\/cal\.example\.org\S+)/.exec(reply.plain_text ?? '')?.[1] ?? '';
    expect(reply.plain_text).toContain('works once, for 10 minutes');
    expect(browserRow).toEqual([{ text: 'Open in a browser', url: link }]);
    const token = new URL(link).searchParams.get('token') ?? new URL(link).pathname.split('/').at(-1) ?? '';
    expect((await h.services.logins.redeemLoginLink(token)).userId).toBe(user.id);
  });

  it('speaks the user’s language on the buttons', async () => {
    const user = { id: 7102, first_name: 'Оля', language_code: 'ru' };
    const reply = await h.say(user, '/web');
    expect(
      keyboardOf(reply)
        .flat()
        .map((b) => b.text),
    ).toEqual(['📅 Открыть календарь', 'Открыть в браузере']);
  });
});

describe('bot: /web without an https PUBLIC_URL', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness({ env: { PUBLIC_URL: 'http://calendar.test:8080' } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('sends the login link as text only: Telegram refuses http Web App and URL buttons', async () => {
    const reply = await h.say({ id: 7103, first_name: 'Ned' }, '/web');
    expect(reply.plain_text).toContain('http://calendar.test:8080/');
    expect(keyboardOf(reply)).toEqual([]);
  });
});
