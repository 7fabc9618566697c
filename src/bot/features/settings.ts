import { Composer, InlineKeyboard } from 'grammy';
import type { PreferencesView } from '../../app/preference-service.ts';
import { encodeCallback, type SettingsItem } from '../../telegram/callback-data.ts';
import { escapeHtml } from '../../telegram/html.ts';
import { languageFor } from '../../telegram/i18n.ts';
import { formatMinutes } from '../../telegram/when.ts';
import {
  calendarButtonName,
  calendarName,
  chosenCalendar,
  eventCalendarChoice,
  offersChoice,
} from '../calendar-choice.ts';
import { answerExpiredButton, onCallback } from '../callback-route.ts';
import { type BotContext, speak, userIdOf } from '../context.ts';
import { zoneKeyboard } from './start.ts';

/** The default reminders /settings offers, in minutes; 0 is "None". */
export const defaultReminderChoices = [0, 5, 10, 15, 30, 60, 1440] as const;
/** The morning digest times /settings offers. */
export const digestTimeChoices = ['06:00', '07:00', '07:30', '08:00', '08:30', '09:00', '10:00'] as const;

const item = (i: SettingsItem) => encodeCallback({ kind: 'settings', item: i });

function reminderText(ctx: BotContext, preferences: PreferencesView): string {
  return preferences.defaultReminderEnabled
    ? ctx.t('reminder-before', { lead: formatMinutes(preferences.defaultReminderMinutes, ctx.language) })
    : ctx.t('settings-none');
}

/** The overview: every setting with its value, and a button per setting. */
async function menu(
  ctx: BotContext,
  confirmation?: string,
): Promise<{ text: string; keyboard: InlineKeyboard }> {
  const [preferences, choice] = await Promise.all([
    ctx.deps.services.preferences.getPreferences(userIdOf(ctx)),
    eventCalendarChoice(ctx),
  ]);
  // "Default calendar" only when there is more than one calendar to put events in.
  const calendar = offersChoice(choice) ? chosenCalendar(choice, undefined) : undefined;
  const lines = [
    `<b>${ctx.t('settings-heading')}</b>`,
    '',
    `🌍 ${ctx.t('settings-zone', { zone: escapeHtml(ctx.user?.timeZone ?? ctx.t('settings-zone-unset')) })}`,
    `🔔 ${ctx.t('settings-reminder', { value: escapeHtml(reminderText(ctx, preferences)) })}`,
    `☀️ ${ctx.t('settings-digest', {
      value: preferences.digestEnabled
        ? ctx.t('settings-digest-on', { time: preferences.digestTime })
        : ctx.t('settings-digest-off'),
    })}`,
    `✉️ ${ctx.t('settings-email', { value: escapeHtml(preferences.email ?? ctx.t('settings-none')) })}`,
    `🗣 ${ctx.t('settings-language', {
      value: ctx.t(ctx.user?.language ? `language-${ctx.language}` : 'language-auto-current', {
        language: ctx.t(`language-${ctx.language}`),
      }),
    })}`,
    ...(calendar ? [`📅 ${ctx.t('settings-calendar', { value: calendarName(calendar) })}`] : []),
  ];
  const keyboard = new InlineKeyboard()
    .text(ctx.t('settings-button-zone'), item('zone'))
    .text(ctx.t('settings-button-reminder'), item('reminder'))
    .row()
    .text(ctx.t('settings-button-digest'), item('digest'))
    .text(ctx.t('settings-button-language'), item('language'))
    .row()
    .text(ctx.t('settings-button-email'), item('email'));
  if (calendar) keyboard.text(ctx.t('settings-button-calendar'), item('calendar'));
  const text = confirmation ? `✅ ${confirmation}\n\n${lines.join('\n')}` : lines.join('\n');
  return { text, keyboard };
}

const back = (ctx: BotContext, keyboard: InlineKeyboard) =>
  keyboard.row().text(ctx.t('button-back'), item('menu'));

async function showMenu(ctx: BotContext, confirmation?: string): Promise<void> {
  const { text, keyboard } = await menu(ctx, confirmation);
  await ctx.editMessageText(text, { parse_mode: 'HTML', reply_markup: keyboard });
}

async function showScreen(ctx: BotContext, screen: SettingsItem): Promise<void> {
  const userId = userIdOf(ctx);
  const keyboard = new InlineKeyboard();
  let text: string;
  switch (screen) {
    case 'menu':
      return showMenu(ctx);
    case 'zone':
      ctx.session.awaitingTimeZone = true;
      text = `${ctx.t(ctx.user?.timeZone ? 'timezone-current' : 'timezone-unset', {
        zone: escapeHtml(ctx.user?.timeZone ?? ''),
      })}\n${ctx.t('timezone-pick')}`;
      await ctx.editMessageText(text, { parse_mode: 'HTML', reply_markup: back(ctx, zoneKeyboard()) });
      return;
    case 'reminder':
      defaultReminderChoices.forEach((minutes, index) => {
        const label = minutes === 0 ? ctx.t('settings-none') : formatMinutes(minutes, ctx.language);
        keyboard.text(label, encodeCallback({ kind: 'settings-reminder', minutes }));
        if (index % 4 === 3) keyboard.row();
      });
      text = ctx.t('settings-ask-reminder');
      break;
    case 'digest': {
      const { digestEnabled } = await ctx.deps.services.preferences.getPreferences(userId);
      keyboard
        .text(
          ctx.t(digestEnabled ? 'settings-digest-turn-off' : 'settings-digest-turn-on'),
          encodeCallback({
            kind: 'settings-digest',
            enabled: !digestEnabled,
          }),
        )
        .row();
      digestTimeChoices.forEach((time, index) => {
        keyboard.text(time, encodeCallback({ kind: 'settings-digest-time', time }));
        if (index % 4 === 3) keyboard.row();
      });
      text = ctx.t('settings-ask-digest');
      break;
    }
    case 'language':
      keyboard
        .text('English', encodeCallback({ kind: 'settings-language', language: 'en' }))
        .text('Русский', encodeCallback({ kind: 'settings-language', language: 'ru' }))
        .row()
        .text(ctx.t('language-auto'), encodeCallback({ kind: 'settings-language', language: 'auto' }));
      text = ctx.t('settings-ask-language');
      break;
    case 'email': {
      const { email } = await ctx.deps.services.preferences.getPreferences(userId);
      ctx.session.awaitingEmail = true;
      if (email) keyboard.text(ctx.t('settings-email-remove'), item('email-off'));
      text = `${email ? ctx.t('email-current', { email: escapeHtml(email) }) : ctx.t('email-unset')}\n${ctx.t('settings-ask-email')}`;
      break;
    }
    case 'calendar': {
      const choice = await eventCalendarChoice(ctx);
      for (const [index, calendar] of choice.calendars.entries()) {
        const mark = calendar.id === choice.defaultId ? ' ✓' : '';
        if (index > 0) keyboard.row();
        keyboard.text(
          `📅 ${calendarButtonName(calendar)}${mark}`,
          encodeCallback({ kind: 'settings-calendar', calendarId: calendar.id }),
        );
      }
      text = ctx.t('settings-ask-calendar');
      break;
    }
    case 'email-off':
      await ctx.deps.services.preferences.updatePreferences(userId, { email: null });
      delete ctx.session.awaitingEmail;
      return showMenu(ctx, ctx.t('email-removed'));
  }
  await ctx.editMessageText(text, { parse_mode: 'HTML', reply_markup: back(ctx, keyboard) });
}

/** `/settings`: time zone, default reminder, morning digest, email and language, each changed in place. */
export const settingsFeature = new Composer<BotContext>();

settingsFeature.command('settings', async (ctx) => {
  delete ctx.session.awaitingEmail;
  const { text, keyboard } = await menu(ctx);
  await ctx.reply(text, { parse_mode: 'HTML', reply_markup: keyboard });
});

onCallback(settingsFeature, 'settings', async (ctx, { item: screen }) => {
  await ctx.answerCallbackQuery();
  if (screen !== 'email') delete ctx.session.awaitingEmail;
  if (screen !== 'zone') ctx.session.awaitingTimeZone = false;
  await showScreen(ctx, screen);
});

onCallback(settingsFeature, 'settings-reminder', async (ctx, { minutes }) => {
  await ctx.answerCallbackQuery();
  const preferences = await ctx.deps.services.preferences.updatePreferences(userIdOf(ctx), {
    defaultReminderEnabled: minutes > 0,
    ...(minutes > 0 ? { defaultReminderMinutes: minutes } : {}),
  });
  await showMenu(ctx, ctx.t('settings-reminder-saved', { value: reminderText(ctx, preferences) }));
});

onCallback(settingsFeature, 'settings-digest', async (ctx, { enabled }) => {
  await ctx.answerCallbackQuery();
  const { digestTime } = await ctx.deps.services.preferences.updatePreferences(userIdOf(ctx), {
    digestEnabled: enabled,
  });
  await showMenu(
    ctx,
    enabled ? ctx.t('settings-digest-saved-on', { time: digestTime }) : ctx.t('settings-digest-saved-off'),
  );
});

onCallback(settingsFeature, 'settings-digest-time', async (ctx, { time }) => {
  await ctx.answerCallbackQuery();
  await ctx.deps.services.preferences.updatePreferences(userIdOf(ctx), {
    digestEnabled: true,
    digestTime: time,
  });
  await showMenu(ctx, ctx.t('settings-digest-saved-on', { time }));
});

onCallback(settingsFeature, 'settings-language', async (ctx, { language }) => {
  await ctx.answerCallbackQuery();
  const user = await ctx.deps.services.accounts.setLanguage(
    userIdOf(ctx),
    language === 'auto' ? null : language,
  );
  ctx.user = user;
  // From here on this update speaks the new language, so the confirmation is already in it.
  speak(ctx, user.language, user.locale ?? ctx.from?.language_code);
  await showMenu(
    ctx,
    ctx.t('settings-language-saved', {
      language: ctx.t(`language-${languageFor(user.language, user.locale)}`),
    }),
  );
});

onCallback(settingsFeature, 'settings-calendar', async (ctx, { calendarId }) => {
  const choice = await eventCalendarChoice(ctx);
  const calendar = choice.calendars.find((c) => c.id === calendarId);
  // A calendar deleted (or turned into a feed) since the screen was shown.
  if (!calendar) return answerExpiredButton(ctx);
  await ctx.answerCallbackQuery();
  await ctx.deps.services.preferences.setDefaultCalendar(userIdOf(ctx), calendar.id);
  await showMenu(ctx, ctx.t('settings-calendar-saved', { calendar: calendarName(calendar) }));
});

// A typed address right after Settings → Email; a command ends the wait.
settingsFeature.on('message:text', async (ctx, next) => {
  if (!ctx.session.awaitingEmail) return next();
  delete ctx.session.awaitingEmail;
  if (ctx.msg.text.startsWith('/')) return next();
  // An invalid address raises AppError('invalid-field'), answered with its sentence; nothing stored.
  const { email } = await ctx.deps.services.preferences.updatePreferences(userIdOf(ctx), {
    email: ctx.msg.text.trim(),
  });
  const mailOn = Boolean(ctx.deps.config.SMTP_URL);
  await ctx.reply(
    `${ctx.t('email-saved', { email: escapeHtml(email ?? '') })} ${ctx.t(mailOn ? 'email-mail-on' : 'email-mail-off')}`,
    { parse_mode: 'HTML' },
  );
});
