import { Composer, InputFile } from 'grammy';
import { importIcs, maxImportBytes } from '../../app/ics-import.ts';
import { escapeHtml, truncate, userText } from '../../telegram/html.ts';
import { type BotContext, userIdOf } from '../context.ts';

export const exportImportFeature = new Composer<BotContext>();

exportImportFeature.command('export', async (ctx) => {
  const data = await ctx.deps.services.accounts.exportData(userIdOf(ctx));
  const { ics, ...rest } = data;
  await ctx.replyWithDocument(new InputFile(Buffer.from(ics, 'utf8'), 'televent.ics'), {
    caption: ctx.t('export-calendar-caption', { count: data.events.length }),
  });
  await ctx.replyWithDocument(
    new InputFile(Buffer.from(JSON.stringify(rest, null, 2), 'utf8'), 'televent-data.json'),
    { caption: ctx.t('export-data-caption') },
  );
});

/** An .ics document sent to the bot is imported into the user's calendar. */
exportImportFeature.on('message:document', async (ctx, next) => {
  const document = ctx.msg.document;
  const name = document.file_name ?? '';
  const isCalendar = /\.(ics|ical|ifb|icalendar)$/i.test(name) || document.mime_type === 'text/calendar';
  if (!isCalendar) return next();
  if ((document.file_size ?? 0) > maxImportBytes) {
    await ctx.reply(ctx.t('import-too-large'));
    return;
  }
  const file = await ctx.getFile();
  if (!file.file_path) {
    await ctx.reply(ctx.t('import-no-file'));
    return;
  }
  // Downloads use the same Bot API server as every call (TELEGRAM_API_ROOT).
  const root = ctx.deps.config.TELEGRAM_API_ROOT.replace(/\/+$/, '');
  const response = await fetch(`${root}/file/bot${ctx.api.token}/${file.file_path}`);
  if (!response.ok) {
    await ctx.reply(ctx.t('import-download-failed'));
    return;
  }
  const text = await response.text();
  const report = await importIcs(ctx.deps.services.calendars, userIdOf(ctx), text);
  const lines = [
    ctx.t('import-heading', { name: escapeHtml(truncate(name || ctx.t('import-the-file'), 60)) }),
    ctx.t('import-counts', { created: report.created, updated: report.updated, skipped: report.skipped }),
  ];
  if (report.problems.length > 0) {
    lines.push('', `<b>${ctx.t('import-problems', { count: report.problems.length })}</b>`);
    for (const problem of report.problems.slice(0, 10)) {
      const label = problem.summary ? userText(problem.summary, 60) : userText(problem.item, 60);
      lines.push(`• ${label}: ${userText(problem.message, 200)}`);
    }
    if (report.problems.length > 10) lines.push(ctx.t('import-more', { count: report.problems.length - 10 }));
  }
  await ctx.reply(lines.join('\n'), { parse_mode: 'HTML' });
});
