import { Api, GrammyError, InputFile } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TelegramEmulator } from '../../support/telegram-emulator.ts';

describe('the local Bot API emulator', () => {
  let emulator: TelegramEmulator;
  let api: Api;
  const alice = { id: 1001, username: 'alice', first_name: 'Alice' };

  beforeEach(async () => {
    emulator = await TelegramEmulator.start();
    api = new Api(emulator.token, { apiRoot: emulator.apiRoot });
  });

  afterEach(async () => {
    await emulator.close();
  });

  it('answers getMe with the bot named by the token', async () => {
    const me = await api.getMe();
    expect(me.id).toBe(Number(emulator.token.split(':')[0]));
    expect(me.is_bot).toBe(true);
  });

  it('hands out queued updates and forgets them once the offset confirms them', async () => {
    const first = emulator.sendText(alice, '/start');
    emulator.sendText(alice, 'hello');
    const batch = await api.getUpdates({ offset: 0, timeout: 0 });
    expect(batch.map((u) => u.update_id)).toEqual([first, first + 1]);
    expect(batch[0]?.message?.entities?.[0]?.type).toBe('bot_command');
    const next = await api.getUpdates({ offset: first + 2, timeout: 0 });
    expect(next).toEqual([]);
    expect(emulator.pendingUpdateCount()).toBe(0);
  });

  it('holds a long poll open until an update arrives', async () => {
    const poll = api.getUpdates({ offset: 0, timeout: 10 });
    // The update arrives only once the poll is waiting for one, so it is the wake-up that answers.
    await emulator.whenPolling();
    expect(emulator.pendingUpdateCount()).toBe(0);
    emulator.sendText(alice, 'late');
    const batch = await poll;
    expect(batch[0]?.message?.text).toBe('late');
  });

  it('records sent messages with inline keyboards and reflects edits', async () => {
    const sent = await api.sendMessage(alice.id, '<b>Hi</b> &amp; welcome', {
      parse_mode: 'HTML',
      reply_markup: { inline_keyboard: [[{ text: 'Go', callback_data: 'go' }]] },
    });
    const seen = await emulator.waitForMessage(alice.id);
    expect(seen.plain_text).toBe('Hi & welcome');
    expect(seen.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Go', callback_data: 'go' }]] });
    await api.editMessageText(alice.id, sent.message_id, 'Done', {});
    const edited = await emulator.waitForMessage(alice.id);
    expect(edited).toMatchObject({ text: 'Done', edited: true, message_id: sent.message_id });
    expect(edited.reply_markup).toBeUndefined();
    expect(emulator.sentMessages(alice.id)).toHaveLength(1);
  });

  it('refuses an edit that changes nothing, broken HTML and oversized callback data like Telegram', async () => {
    const sent = await api.sendMessage(alice.id, 'same');
    await expect(api.editMessageText(alice.id, sent.message_id, 'same')).rejects.toThrow(
      /message is not modified/,
    );
    await expect(api.sendMessage(alice.id, '<b>&', { parse_mode: 'HTML' })).rejects.toThrow(
      /can't parse entities/,
    );
    await expect(
      api.sendMessage(alice.id, 'x', {
        reply_markup: { inline_keyboard: [[{ text: 'x', callback_data: 'x'.repeat(65) }]] },
      }),
    ).rejects.toThrow(/BUTTON_DATA_INVALID/);
  });

  it('keeps the bytes of an uploaded document and serves files the user sent', async () => {
    await api.sendDocument(alice.id, new InputFile(Buffer.from('BEGIN:VCALENDAR'), 'calendar.ics'), {
      caption: 'Your calendar',
    });
    const doc = await emulator.waitForMessage(alice.id, (m) => m.document !== undefined);
    expect(doc.document?.file_name).toBe('calendar.ics');
    expect(doc.document?.content.toString()).toBe('BEGIN:VCALENDAR');
    expect(doc.caption).toBe('Your calendar');

    emulator.sendDocument(alice, { fileName: 'in.ics', mimeType: 'text/calendar', content: 'DATA' });
    const [update] = await api.getUpdates({ timeout: 0 });
    const file = await api.getFile(update?.message?.document?.file_id ?? '');
    const response = await fetch(`${emulator.apiRoot}/file/bot${emulator.token}/${file.file_path}`);
    expect(await response.text()).toBe('DATA');
  });

  it('fails the next call of a method as asked, then behaves again', async () => {
    emulator.failNext('sendMessage', {
      error_code: 429,
      description: 'Too Many Requests: retry after 1',
      parameters: { retry_after: 1 },
    });
    const error = await api.sendMessage(alice.id, 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrammyError);
    expect((error as GrammyError).error_code).toBe(429);
    expect((error as GrammyError).parameters.retry_after).toBe(1);
    await expect(api.sendMessage(alice.id, 'x')).resolves.toMatchObject({ text: 'x' });
    emulator.block(alice.id);
    await expect(api.sendMessage(alice.id, 'y')).rejects.toThrow(/blocked by the user/);
  });

  it('delivers updates to a webhook with the secret header and refuses getUpdates meanwhile', async () => {
    const { createServer } = await import('node:http');
    const received: Array<{ secret: string | undefined; body: string }> = [];
    const hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        received.push({ secret: req.headers['x-telegram-bot-api-secret-token'] as string | undefined, body });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const port = (hook.address() as { port: number }).port;
    try {
      await api.setWebhook(`http://127.0.0.1:${port}/hook`, { secret_token: 's3cret' });
      await expect(api.getUpdates({ timeout: 0 })).rejects.toThrow(/Conflict/);
      const id = emulator.sendText(alice, 'via hook');
      await expect.poll(() => emulator.webhookDeliveries()).toEqual([{ update_id: id, status: 200 }]);
      expect(received[0]?.secret).toBe('s3cret');
      expect(JSON.parse(received[0]?.body ?? '{}').message.text).toBe('via hook');
      await api.deleteWebhook();
      await expect(api.getUpdates({ timeout: 0 })).resolves.toEqual([]);
    } finally {
      await new Promise<void>((resolve) => hook.close(() => resolve()));
    }
  });

  it('accepts form-urlencoded bodies and GET query strings', async () => {
    const form = await fetch(`${emulator.apiRoot}/bot${emulator.token}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ chat_id: String(alice.id), text: '42' }),
    });
    expect(await form.json()).toMatchObject({ ok: true, result: { text: '42' } });
    const get = await fetch(`${emulator.apiRoot}/bot${emulator.token}/getMe`);
    expect(await get.json()).toMatchObject({ ok: true, result: { is_bot: true } });
    const wrong = await fetch(`${emulator.apiRoot}/bot1:wrong/getMe`);
    expect(wrong.status).toBe(401);
  });
});
