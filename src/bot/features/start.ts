import { Composer, InlineKeyboard } from 'grammy';
import type { BotCommand } from 'grammy/types';
import { isValidTimeZone } from '../../domain/time/time-zone.ts';
import { encodeCallback } from '../../telegram/callback-data.ts';
import { escapeHtml } from '../../telegram/html.ts';
import { type Language, translate } from '../../telegram/i18n.ts';
import { formatTime } from '../../telegram/when.ts';
import { onCallback } from '../callback-route.ts';
import { type BotContext, userIdOf } from '../context.ts';

/** The command menu, one per language (setMyCommands with language_code). */
export function botCommandsIn(language: Language): BotCommand[] {
  return commandNames.map((command) => ({ command, description: translate(language, `command-${command}`) }));
}

const commandNames = [
  'today',
  'tomorrow',
  'week',
  'list',
  'create',
  'tasks',
  'edit',
  'search',
  'cancel',
  'settings',
  'timezone',
  'device',
  'export',
  'subscribe',
  'share',
  'web',
  'email',
  'deleteaccount',
  'help',
] as const;

export const botCommands: BotCommand[] = botCommandsIn('en');

/** The zones the /timezone picker offers as buttons. */
export const pickerZones = [
  'Europe/London',
  'Europe/Berlin',
  'Europe/Moscow',
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'Asia/Dubai',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Australia/Sydney',
  'UTC',
];

/** Cities people type that are not the name of their zone. */
const cityAliases: Record<string, string> = {
  munich: 'Europe/Berlin',
  frankfurt: 'Europe/Berlin',
  hamburg: 'Europe/Berlin',
  'san francisco': 'America/Los_Angeles',
  seattle: 'America/Los_Angeles',
  boston: 'America/New_York',
  washington: 'America/New_York',
  miami: 'America/New_York',
  toronto: 'America/Toronto',
  beijing: 'Asia/Shanghai',
  delhi: 'Asia/Kolkata',
  'new delhi': 'Asia/Kolkata',
  mumbai: 'Asia/Kolkata',
  bangalore: 'Asia/Kolkata',
  'saint petersburg': 'Europe/Moscow',
  'st petersburg': 'Europe/Moscow',
  kyiv: 'Europe/Kyiv',
  kiev: 'Europe/Kyiv',
  москва: 'Europe/Moscow',
  'санкт-петербург': 'Europe/Moscow',
  питер: 'Europe/Moscow',
  киев: 'Europe/Kyiv',
  минск: 'Europe/Minsk',
  екатеринбург: 'Asia/Yekaterinburg',
  новосибирск: 'Asia/Novosibirsk',
  владивосток: 'Asia/Vladivostok',
  берлин: 'Europe/Berlin',
  лондон: 'Europe/London',
  gmt: 'UTC',
  utc: 'UTC',
};

let zoneNames: string[] | undefined;

/** An IANA name ("Europe/Berlin", any case) or a city ("berlin", "New York") to a zone. */
export function resolveTimeZone(input: string): string | undefined {
  const text = input.trim().replace(/\s+/g, ' ');
  if (text === '' || text.length > 64) return undefined;
  zoneNames ??= [...Intl.supportedValuesOf('timeZone'), 'UTC'];
  const exact = zoneNames.find((z) => z.toLowerCase() === text.toLowerCase());
  if (exact) return exact;
  if (text.includes('/') && isValidTimeZone(text)) return text;
  const alias = cityAliases[text.toLowerCase()];
  if (alias) return alias;
  const city = text.toLowerCase().replace(/ /g, '_');
  return zoneNames.find((z) => z.toLowerCase().split('/').at(-1) === city);
}

export function zoneKeyboard(): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  pickerZones.forEach((zone, index) => {
    keyboard.text(zone.replace(/_/g, ' '), encodeCallback({ kind: 'time-zone', zone }));
    // Two per row; no empty row after the last pair.
    if (index % 2 === 1 && index < pickerZones.length - 1) keyboard.row();
  });
  return keyboard;
}

export async function askForTimeZone(ctx: BotContext, intro: string): Promise<void> {
  ctx.session.awaitingTimeZone = true;
  await ctx.reply(`${intro}\n${ctx.t('timezone-pick')}`, {
    parse_mode: 'HTML',
    reply_markup: zoneKeyboard(),
  });
}

export async function setZone(ctx: BotContext, zone: string): Promise<string> {
  const user = await ctx.deps.services.accounts.setTimeZone(userIdOf(ctx), zone);
  ctx.user = user;
  ctx.session.awaitingTimeZone = false;
  const now = formatTime(ctx.deps.now(), zone, ctx.language);
  return ctx.t('timezone-set', { zone: escapeHtml(zone), now });
}

const helpLines = [
  'help-quick-add',
  'help-create',
  'help-agenda',
  'help-tasks',
  'help-edit',
  'help-search',
  'help-cancel',
  'help-settings',
  'help-timezone',
  'help-device',
  'help-export',
  'help-subscribe',
  'help-share',
  'help-web',
  'help-email',
  'help-deleteaccount',
];

/** The /help text (HTML) in a language. */
export function helpText(language: Language): string {
  const lines = helpLines.map((key) => `• ${translate(language, key)}`);
  return [`<b>${translate(language, 'help-heading')}</b>`, '', ...lines].join('\n');
}

export const startFeature = new Composer<BotContext>();

// Moving on to another command ends the time zone prompt: later short words are not read as places.
startFeature.on('message:text', async (ctx, next) => {
  if (ctx.session.awaitingTimeZone && /^\/(?!start\b|timezone\b)/.test(ctx.msg.text)) {
    ctx.session.awaitingTimeZone = false;
  }
  await next();
});

startFeature.command('start', async (ctx) => {
  const name = ctx.from?.first_name ? `, ${escapeHtml(ctx.from.first_name)}` : '';
  await ctx.reply(`${ctx.t('welcome', { name })}\n\n${helpText(ctx.language)}`, { parse_mode: 'HTML' });
  if (!ctx.user?.timeZone) await askForTimeZone(ctx, ctx.t('timezone-first'));
});

startFeature.command('help', async (ctx) => {
  await ctx.reply(helpText(ctx.language), { parse_mode: 'HTML' });
});

startFeature.command('timezone', async (ctx) => {
  const wanted = ctx.match.trim();
  if (wanted === '') {
    const current = ctx.user?.timeZone;
    await askForTimeZone(
      ctx,
      current ? ctx.t('timezone-current', { zone: escapeHtml(current) }) : ctx.t('timezone-unset'),
    );
    return;
  }
  const zone = resolveTimeZone(wanted);
  if (!zone) {
    await ctx.reply(ctx.t('timezone-unknown', { text: escapeHtml(wanted) }), { parse_mode: 'HTML' });
    return;
  }
  await ctx.reply(await setZone(ctx, zone), { parse_mode: 'HTML' });
});

onCallback(startFeature, 'time-zone', async (ctx, data) => {
  const zone = resolveTimeZone(data.zone);
  if (!zone) {
    await ctx.answerCallbackQuery({ text: ctx.t('timezone-unknown-short') });
    return;
  }
  const text = await setZone(ctx, zone);
  await ctx.answerCallbackQuery({ text: ctx.t('timezone-answer', { zone }) });
  await ctx.editMessageText(text, { parse_mode: 'HTML' });
});

// A typed zone or city right after the prompt; anything that is not one falls through (quick add).
startFeature.on('message:text', async (ctx, next) => {
  if (!ctx.session.awaitingTimeZone || ctx.msg.text.startsWith('/')) return next();
  const zone = resolveTimeZone(ctx.msg.text);
  if (!zone) {
    // A short word without digits was meant as a place, not as an event.
    if (/\d/.test(ctx.msg.text) || ctx.msg.text.trim().split(/\s+/).length > 3) return next();
    await ctx.reply(ctx.t('timezone-unknown', { text: escapeHtml(ctx.msg.text.trim()) }), {
      parse_mode: 'HTML',
    });
    return;
  }
  await ctx.reply(await setZone(ctx, zone), { parse_mode: 'HTML' });
});
