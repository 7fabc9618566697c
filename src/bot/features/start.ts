import { Composer, InlineKeyboard } from 'grammy';
import type { BotCommand } from 'grammy/types';
import { isValidTimeZone } from '../../domain/time/time-zone.ts';
import { encodeCallback } from '../../telegram/callback-data.ts';
import { escapeHtml } from '../../telegram/html.ts';
import { formatTime } from '../../telegram/when.ts';
import { onCallback } from '../callback-route.ts';
import { type BotContext, userIdOf } from '../context.ts';

export const botCommands: BotCommand[] = [
  { command: 'today', description: "Today's events" },
  { command: 'tomorrow', description: "Tomorrow's events" },
  { command: 'week', description: 'The next 7 days' },
  { command: 'list', description: 'Upcoming events' },
  { command: 'create', description: 'Add an event step by step' },
  { command: 'cancel', description: 'Delete an event, or stop what we are doing' },
  { command: 'timezone', description: 'Show or change your time zone' },
  { command: 'device', description: 'Passwords for calendar apps (add, list, revoke)' },
  { command: 'export', description: 'Download your calendar (.ics)' },
  { command: 'web', description: 'A login link for the web app' },
  { command: 'email', description: 'Set the address for exports and notices' },
  { command: 'deleteaccount', description: 'Delete your account and data' },
  { command: 'help', description: 'What I can do' },
];

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

function zoneKeyboard(): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  pickerZones.forEach((zone, index) => {
    keyboard.text(zone.replace(/_/g, ' '), encodeCallback({ kind: 'time-zone', zone }));
    // Two per row; no empty row after the last pair.
    if (index % 2 === 1 && index < pickerZones.length - 1) keyboard.row();
  });
  return keyboard;
}

async function askForTimeZone(ctx: BotContext, intro: string): Promise<void> {
  ctx.session.awaitingTimeZone = true;
  await ctx.reply(
    `${intro}\nPick one below, or type a zone name (like <code>Europe/Berlin</code>) or your city.`,
    { parse_mode: 'HTML', reply_markup: zoneKeyboard() },
  );
}

async function setZone(ctx: BotContext, zone: string): Promise<string> {
  const user = await ctx.deps.services.accounts.setTimeZone(userIdOf(ctx), zone);
  ctx.user = user;
  ctx.session.awaitingTimeZone = false;
  const now = formatTime(ctx.deps.now(), zone);
  return `Time zone set to <b>${escapeHtml(zone)}</b> (it is ${now} there now).`;
}

export const helpText = [
  '<b>What I can do</b>',
  '',
  '• Just type an event: <i>Lunch with Anna on Friday at 1pm for 1h at Cafe Central</i>',
  '• /create — add an event step by step',
  '• /today, /tomorrow, /week, /list — your agenda',
  '• /cancel — delete an event',
  '• /timezone — show or change your time zone',
  '• /device add &lt;name&gt; — a password for Apple Calendar, Thunderbird or DAVx5 (CalDAV sync)',
  '• /export — your calendar as an .ics file; send me an .ics file to import it',
  '• /web — a login link for the web app',
  '• /email you@example.com — get exports and account notices by email too',
  '• /deleteaccount — delete your account (30 days to change your mind)',
].join('\n');

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
  await ctx.reply(`Welcome to Televent${name}! Your calendar lives right here in this chat.\n\n${helpText}`, {
    parse_mode: 'HTML',
  });
  if (!ctx.user?.timeZone) await askForTimeZone(ctx, 'First, which time zone are you in?');
});

startFeature.command('help', async (ctx) => {
  await ctx.reply(helpText, { parse_mode: 'HTML' });
});

startFeature.command('timezone', async (ctx) => {
  const wanted = ctx.match.trim();
  if (wanted === '') {
    const current = ctx.user?.timeZone;
    await askForTimeZone(
      ctx,
      current
        ? `Your time zone is <b>${escapeHtml(current)}</b>. To change it:`
        : 'You have not set a time zone yet (I use UTC).',
    );
    return;
  }
  const zone = resolveTimeZone(wanted);
  if (!zone) {
    await ctx.reply(
      `I don't know the time zone "${escapeHtml(wanted)}". Try a name like <code>Europe/Berlin</code> or a big city near you.`,
      {
        parse_mode: 'HTML',
      },
    );
    return;
  }
  await ctx.reply(await setZone(ctx, zone), { parse_mode: 'HTML' });
});

onCallback(startFeature, 'time-zone', async (ctx, data) => {
  const zone = resolveTimeZone(data.zone);
  if (!zone) {
    await ctx.answerCallbackQuery({ text: 'Unknown time zone' });
    return;
  }
  const text = await setZone(ctx, zone);
  await ctx.answerCallbackQuery({ text: `Time zone: ${zone}` });
  await ctx.editMessageText(text, { parse_mode: 'HTML' });
});

// A typed zone or city right after the prompt; anything that is not one falls through (quick add).
startFeature.on('message:text', async (ctx, next) => {
  if (!ctx.session.awaitingTimeZone || ctx.msg.text.startsWith('/')) return next();
  const zone = resolveTimeZone(ctx.msg.text);
  if (!zone) {
    // A short word without digits was meant as a place, not as an event.
    if (/\d/.test(ctx.msg.text) || ctx.msg.text.trim().split(/\s+/).length > 3) return next();
    await ctx.reply(
      `I don't know the time zone "${escapeHtml(ctx.msg.text.trim())}". Try a name like <code>Europe/Berlin</code> or a big city near you.`,
      { parse_mode: 'HTML' },
    );
    return;
  }
  await ctx.reply(await setZone(ctx, zone), { parse_mode: 'HTML' });
});
