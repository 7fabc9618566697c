import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotHarness, buttonsOf, startBotHarness } from './bot-harness.ts';
import { Transcript } from './edit-support.ts';

// Monday 4 March 2030, 07:30 UTC: 10:30 in Moscow, 08:30 in Berlin.
const now = new Date('2030-03-04T07:30:00Z');

describe('bot: the user language and /settings', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness({ now: () => now });
  });
  afterAll(async () => {
    await h.close();
  });

  it('speaks Russian from /start on to a Russian-speaking user, and reads Russian dates', async () => {
    const user = { id: 7001, first_name: 'Ольга', language_code: 'ru' };
    const chat = new Transcript(h, user);
    const welcome = await chat.say('/start');
    expect(welcome.plain_text).toContain('Добро пожаловать в Televent, Ольга!');
    expect(welcome.plain_text).toContain('Что я умею');
    const zonePrompt = await h.next(user);
    chat.shown(zonePrompt);
    expect(zonePrompt.plain_text).toContain('в каком вы часовом поясе?');
    const zoneSet = await chat.say('Москва');
    expect(zoneSet.plain_text).toBe('Часовой пояс: Europe/Moscow (там сейчас 10:30).');

    const preview = await chat.say('Встреча завтра в 15:00 на час');
    expect(preview.plain_text).toContain('Встреча');
    expect(preview.plain_text).toMatch(/вт, 5 мар.* 15:00–16:00/);
    expect(preview.plain_text).toContain('Сохранить это событие?');
    expect(buttonsOf(preview).map((b) => b.text)).toEqual(['Сохранить', 'Изменить', 'Отмена']);
    const saved = await chat.press(preview, 'qa:save');
    expect(saved.plain_text).toContain('✅ Сохранено: Встреча');
    const today = await chat.say('/tomorrow');
    expect(today.plain_text).toContain('Завтра');
    expect(today.plain_text).toContain('15:00–16:00  Встреча');
    // The command menu has a Russian version for Russian Telegram clients.
    const menus = h.emulator.calls('setMyCommands');
    const russian = menus.find((c) => c.params.language_code === 'ru')?.params.commands as Array<{
      description: string;
    }>;
    expect(russian.map((c) => c.description)).toContain('События на сегодня');

    chat.writeIfAsked(
      'russian-first-minute.md',
      [
        '# A Russian-speaking user’s first minute',
        '',
        'Recorded through the Bot API emulator by `test/integration/bot/language-and-settings.test.ts`',
        '(`WRITE_TRANSCRIPTS=1`): a new user whose Telegram speaks Russian (`language_code: ru`) starts',
        'the bot on Monday 4 March 2030, names her city, adds a meeting in plain Russian and looks at',
        'tomorrow. Every text comes from the Russian catalogue (`src/telegram/locales/ru.ftl`).',
      ].join('\n'),
    );
  });

  it('shows every setting, and changes each one in place by editing the message', async () => {
    const user = { id: 7002, first_name: 'Sam' };
    await h.say(user, '/timezone Europe/Berlin');
    const menu = await h.say(user, '/settings');
    expect(menu.plain_text).toContain('Time zone: Europe/Berlin');
    expect(menu.plain_text).toContain('Default reminder: 15 min before');
    expect(menu.plain_text).toContain('Morning digest: on, at 08:00');
    expect(menu.plain_text).toContain('Email: none');
    expect(menu.plain_text).toContain("Language: English (Telegram's)");
    expect(buttonsOf(menu).map((b) => b.data)).toEqual([
      'st:zone',
      'st:reminder',
      'st:digest',
      'st:language',
      'st:email',
    ]);

    // Default reminder: every offered lead, then None.
    const reminder = await h.press(user, menu, 'st:reminder');
    expect(reminder.message_id).toBe(menu.message_id);
    expect(buttonsOf(reminder).map((b) => b.data)).toEqual([
      'st:rem:0',
      'st:rem:5',
      'st:rem:10',
      'st:rem:15',
      'st:rem:30',
      'st:rem:60',
      'st:rem:1440',
      'st:menu',
    ]);
    const hour = await h.press(user, reminder, 'st:rem:60');
    expect(hour.message_id).toBe(menu.message_id);
    expect(hour.plain_text).toContain('✅ Default reminder: 1 h before.');
    expect(await h.services.preferences.getPreferences(user.id)).toMatchObject({
      defaultReminderMinutes: 60,
      defaultReminderEnabled: true,
    });
    const none = await h.press(user, await h.press(user, hour, 'st:reminder'), 'st:rem:0');
    expect(none.plain_text).toContain('Default reminder: none');
    expect((await h.services.preferences.getPreferences(user.id)).defaultReminderEnabled).toBe(false);

    // Morning digest: off, then back on at another time.
    const digest = await h.press(user, none, 'st:digest');
    expect(buttonsOf(digest).map((b) => b.data)).toContain('st:dg:off');
    const off = await h.press(user, digest, 'st:dg:off');
    expect(off.plain_text).toContain('✅ Morning digest off.');
    expect((await h.services.preferences.getPreferences(user.id)).digestEnabled).toBe(false);
    const at = await h.press(user, await h.press(user, off, 'st:digest'), 'st:dt:07:30');
    expect(at.plain_text).toContain('✅ Morning digest on, at 07:30.');
    expect(await h.services.preferences.getPreferences(user.id)).toMatchObject({
      digestEnabled: true,
      digestTime: '07:30',
    });

    // Email: typed after the button, then removed with a button.
    const email = await h.press(user, at, 'st:email');
    expect(email.plain_text).toContain('Send me the address now');
    expect((await h.say(user, 'sam@example.com')).plain_text).toContain('Saved: sam@example.com');
    const menuAgain = await h.say(user, '/settings');
    expect(menuAgain.plain_text).toContain('Email: sam@example.com');
    const emailScreen = await h.press(user, menuAgain, 'st:email');
    const removed = await h.press(user, emailScreen, 'st:email-off');
    expect(removed.plain_text).toContain('I forgot your email address');
    expect((await h.services.preferences.getPreferences(user.id)).email).toBeNull();

    // Time zone: the picker in place, a zone confirmed in place.
    const zone = await h.press(user, removed, 'st:zone');
    expect(zone.message_id).toBe(menuAgain.message_id);
    const tokyo = await h.press(user, zone, 'tz:Asia/Tokyo');
    expect(tokyo.message_id).toBe(menuAgain.message_id);
    expect(tokyo.plain_text).toContain('Time zone set to Asia/Tokyo');
    expect((await h.services.accounts.getUser(user.id)).timeZone).toBe('Asia/Tokyo');

    // Language: Russian from the confirmation on, then back to following Telegram.
    const languages = await h.press(user, await h.say(user, '/settings'), 'st:language');
    expect(buttonsOf(languages).map((b) => b.text)).toEqual([
      'English',
      'Русский',
      "Telegram's language",
      '‹ Back',
    ]);
    const russian = await h.press(user, languages, 'st:lg:ru');
    expect(russian.plain_text).toContain('✅ Буду говорить: русский.');
    expect(russian.plain_text).toContain('Язык: русский');
    expect((await h.say(user, '/help')).plain_text).toContain('Что я умею');
    const auto = await h.press(
      user,
      await h.press(user, await h.say(user, '/settings'), 'st:language'),
      'st:lg:auto',
    );
    expect(auto.plain_text).toContain('✅ I will speak English.');
    expect((await h.services.accounts.getUser(user.id)).language).toBeNull();
  });

  it('answers a Russian speaker’s mistakes in Russian', async () => {
    const user = { id: 7003, first_name: 'Иван', language_code: 'ru' };
    await h.say(user, '/help');
    expect((await h.say(user, 'купить хлеб')).plain_text).toContain('Я не нашёл здесь даты или времени');
    expect((await h.say(user, '/nonsense')).plain_text).toContain('Я не знаю команду /nonsense');
  });
});
