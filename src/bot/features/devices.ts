import { Composer, InlineKeyboard } from 'grammy';
import { encodeCallback } from '../../telegram/callback-data.ts';
import { escapeHtml, truncate, userText } from '../../telegram/html.ts';
import { formatDay } from '../../telegram/when.ts';
import { onCallback } from '../callback-route.ts';
import { type BotContext, userIdOf, zoneOf } from '../context.ts';

/** Where calendar apps reach the CalDAV server (PUBLIC_URL, or the listen address made reachable). */
export function serverBaseUrl(ctx: BotContext): string {
  return ctx.deps.publicBaseUrl;
}

const usage =
  'Use <code>/device add &lt;name&gt;</code>, <code>/device list</code> or <code>/device revoke</code>.';

export const devicesFeature = new Composer<BotContext>();

devicesFeature.command('device', async (ctx) => {
  const [action = '', ...rest] = ctx.match.trim().split(/\s+/);
  const userId = userIdOf(ctx);
  const devices = ctx.deps.services.devices;
  if (action === 'add') {
    const name = rest.join(' ').trim();
    if (name === '') {
      await ctx.reply('Give the device a name, e.g. <code>/device add iPhone</code>.', {
        parse_mode: 'HTML',
      });
      return;
    }
    const device = await devices.createDevice(userId, name);
    const base = serverBaseUrl(ctx);
    await ctx.reply(
      [
        `🔑 Password for <b>${userText(device.name)}</b> — shown only this once:`,
        `<code>${escapeHtml(device.password)}</code>`,
        '',
        `Server: <code>${escapeHtml(base)}/</code>`,
        `User name: <code>${userId}</code>`,
        '',
        '<b>Apple</b> (iPhone, Mac): Settings → Calendar → Accounts → Add Account → Other → Add CalDAV Account; enter the server, user name and password.',
        '<b>Thunderbird</b>: New Calendar → On the Network → user name and the server address → Find Calendars.',
        '<b>DAVx5</b> (Android): + → Login with URL and user name → the server, user name and password.',
      ].join('\n'),
      { parse_mode: 'HTML' },
    );
    return;
  }
  if (action === 'list' || action === '') {
    const list = await devices.listDevices(userId);
    if (list.length === 0) {
      await ctx.reply(`No device passwords yet. ${usage}`, { parse_mode: 'HTML' });
      return;
    }
    const zone = zoneOf(ctx);
    const lines = list.map(
      (d) =>
        `• <b>${userText(d.name, 64)}</b> — created ${escapeHtml(formatDay(d.createdAt, zone))}, ${
          d.lastUsedAt ? `last used ${escapeHtml(formatDay(d.lastUsedAt, zone))}` : 'never used'
        }`,
    );
    await ctx.reply(`<b>Device passwords</b>\n${lines.join('\n')}`, { parse_mode: 'HTML' });
    return;
  }
  if (action === 'revoke') {
    const list = await devices.listDevices(userId);
    if (list.length === 0) {
      await ctx.reply('There are no device passwords to revoke.');
      return;
    }
    const keyboard = new InlineKeyboard();
    for (const d of list.slice(0, 20)) {
      keyboard.text(truncate(d.name, 40), encodeCallback({ kind: 'device-revoke', deviceId: d.id })).row();
    }
    keyboard.text('Never mind', encodeCallback({ kind: 'device-keep' }));
    await ctx.reply('Which device password should stop working?', { reply_markup: keyboard });
    return;
  }
  await ctx.reply(usage, { parse_mode: 'HTML' });
});

onCallback(devicesFeature, 'device-keep', async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.editMessageText('OK, nothing was revoked.');
});

onCallback(devicesFeature, 'device-revoke', async (ctx, { deviceId: id }) => {
  await ctx.answerCallbackQuery();
  const userId = userIdOf(ctx);
  const device = (await ctx.deps.services.devices.listDevices(userId)).find((d) => d.id === id);
  await ctx.deps.services.devices.revokeDevice(userId, id);
  await ctx.editMessageText(
    `Revoked <b>${userText(device?.name ?? 'the device')}</b>; it can no longer sync.`,
    {
      parse_mode: 'HTML',
    },
  );
});
