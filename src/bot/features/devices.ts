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

export const devicesFeature = new Composer<BotContext>();

devicesFeature.command('device', async (ctx) => {
  const [action = '', ...rest] = ctx.match.trim().split(/\s+/);
  const userId = userIdOf(ctx);
  const devices = ctx.deps.services.devices;
  if (action === 'add') {
    const name = rest.join(' ').trim();
    if (name === '') {
      await ctx.reply(ctx.t('device-name-needed'), { parse_mode: 'HTML' });
      return;
    }
    const device = await devices.createDevice(userId, name);
    const base = serverBaseUrl(ctx);
    await ctx.reply(
      [
        ctx.t('device-password-for', { name: userText(device.name) }),
        `<code>${escapeHtml(device.password)}</code>`,
        '',
        ctx.t('device-server', { url: `<code>${escapeHtml(base)}/</code>` }),
        ctx.t('device-user-name', { id: `<code>${userId}</code>` }),
        '',
        ctx.t('device-apple'),
        ctx.t('device-thunderbird'),
        ctx.t('device-davx5'),
      ].join('\n'),
      { parse_mode: 'HTML' },
    );
    return;
  }
  if (action === 'list' || action === '') {
    const list = await devices.listDevices(userId);
    if (list.length === 0) {
      await ctx.reply(`${ctx.t('device-none')} ${ctx.t('device-usage')}`, { parse_mode: 'HTML' });
      return;
    }
    const zone = zoneOf(ctx);
    const day = (date: Date) => escapeHtml(formatDay(date, zone, ctx.language));
    const lines = list.map(
      (d) =>
        `• <b>${userText(d.name, 64)}</b> — ${ctx.t('device-created', { day: day(d.createdAt) })}, ${
          d.lastUsedAt ? ctx.t('device-last-used', { day: day(d.lastUsedAt) }) : ctx.t('device-never-used')
        }`,
    );
    await ctx.reply(`<b>${ctx.t('device-list-heading')}</b>\n${lines.join('\n')}`, { parse_mode: 'HTML' });
    return;
  }
  if (action === 'revoke') {
    const list = await devices.listDevices(userId);
    if (list.length === 0) {
      await ctx.reply(ctx.t('device-none-to-revoke'));
      return;
    }
    const keyboard = new InlineKeyboard();
    for (const d of list.slice(0, 20)) {
      keyboard.text(truncate(d.name, 40), encodeCallback({ kind: 'device-revoke', deviceId: d.id })).row();
    }
    keyboard.text(ctx.t('button-never-mind'), encodeCallback({ kind: 'device-keep' }));
    await ctx.reply(ctx.t('device-revoke-ask'), { reply_markup: keyboard });
    return;
  }
  await ctx.reply(ctx.t('device-usage'), { parse_mode: 'HTML' });
});

onCallback(devicesFeature, 'device-keep', async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(ctx.t('device-kept'));
});

onCallback(devicesFeature, 'device-revoke', async (ctx, { deviceId: id }) => {
  await ctx.answerCallbackQuery();
  const userId = userIdOf(ctx);
  const device = (await ctx.deps.services.devices.listDevices(userId)).find((d) => d.id === id);
  await ctx.deps.services.devices.revokeDevice(userId, id);
  await ctx.editMessageText(
    ctx.t('device-revoked', { name: userText(device?.name ?? ctx.t('device-the-device')) }),
    { parse_mode: 'HTML' },
  );
});
