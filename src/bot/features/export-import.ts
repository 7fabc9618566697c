import { Composer, InputFile } from 'grammy';
import { importIcs, maxImportBytes } from '../../app/ics-import.ts';
import { escapeHtml, truncate, userText } from '../../telegram/html.ts';
import { type BotContext, userIdOf } from '../context.ts';

export const exportImportFeature = new Composer<BotContext>();

exportImportFeature.command('export', async (ctx) => {
  const data = await ctx.deps.services.accounts.exportData(userIdOf(ctx));
  const { ics, ...rest } = data;
  await ctx.replyWithDocument(new InputFile(Buffer.from(ics, 'utf8'), 'televent.ics'), {
    caption: `Your calendar: ${data.events.length} item${data.events.length === 1 ? '' : 's'}. Import it into any calendar app.`,
  });
  await ctx.replyWithDocument(
    new InputFile(Buffer.from(JSON.stringify(rest, null, 2), 'utf8'), 'televent-data.json'),
    {
      caption: 'All your data (account, settings, events, devices) as JSON.',
    },
  );
});

/** An .ics document sent to the bot is imported into the user's calendar. */
exportImportFeature.on('message:document', async (ctx, next) => {
  const document = ctx.msg.document;
  const name = document.file_name ?? '';
  const isCalendar = /\.(ics|ical|ifb|icalendar)$/i.test(name) || document.mime_type === 'text/calendar';
  if (!isCalendar) return next();
  if ((document.file_size ?? 0) > maxImportBytes) {
    await ctx.reply('That file is larger than 5 MB; please split it.');
    return;
  }
  const file = await ctx.getFile();
  if (!file.file_path) {
    await ctx.reply('Telegram did not let me download that file. Please send it again.');
    return;
  }
  // Downloads use the same Bot API server as every call (TELEGRAM_API_ROOT).
  const root = ctx.deps.config.TELEGRAM_API_ROOT.replace(/\/+$/, '');
  const response = await fetch(`${root}/file/bot${ctx.api.token}/${file.file_path}`);
  if (!response.ok) {
    await ctx.reply('I could not download that file. Please send it again.');
    return;
  }
  const text = await response.text();
  const report = await importIcs(ctx.deps.services.calendars, userIdOf(ctx), text);
  const lines = [
    `📥 Imported <b>${escapeHtml(truncate(name || 'the file', 60))}</b>:`,
    `${report.created} created, ${report.updated} updated, ${report.skipped} unchanged.`,
  ];
  if (report.problems.length > 0) {
    lines.push(
      '',
      `<b>${report.problems.length} item${report.problems.length === 1 ? '' : 's'} could not be imported:</b>`,
    );
    for (const problem of report.problems.slice(0, 10)) {
      const label = problem.summary ? userText(problem.summary, 60) : userText(problem.item, 60);
      lines.push(`• ${label}: ${userText(problem.message, 200)}`);
    }
    if (report.problems.length > 10) lines.push(`…and ${report.problems.length - 10} more.`);
  }
  await ctx.reply(lines.join('\n'), { parse_mode: 'HTML' });
});
