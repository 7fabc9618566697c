import { Composer } from 'grammy';
import { parseTaskPhrase, type TaskDue } from '../../domain/time/task-phrase.ts';
import { userText } from '../../telegram/html.ts';
import { type BotContext, userIdOf, zoneOf } from '../context.ts';
import { dueText, taskKeyboard } from './tasks.ts';

/** Longest task title, the same bound as an event title in /create. */
const maxTaskTitle = 200;

/** The `due` TaskService.create reads: a date, or an instant with its offset. */
function dueField(due: TaskDue | null): string | undefined {
  if (!due) return undefined;
  return 'date' in due ? due.date : due.at.toISOString();
}

/**
 * Plain text that asks for a task ("todo buy milk", "remind me to call Anna on friday", "задача …",
 * "напомни …", "надо …") makes one, with a due date when the text has one; it runs before quick
 * add, so these lines are never read as events. The task goes into the default calendar when that
 * holds tasks, else into the first calendar that does.
 */
export const taskQuickAddFeature = new Composer<BotContext>();

taskQuickAddFeature.on('message:text', async (ctx, next) => {
  const text = ctx.msg.text.trim();
  if (text.startsWith('/')) return next();
  const phrase = parseTaskPhrase(text, {
    timeZone: zoneOf(ctx),
    now: ctx.deps.now(),
    language: ctx.language,
  });
  if (!phrase) return next();
  if (phrase.title === '') {
    await ctx.reply(ctx.t('task-no-title'), { parse_mode: 'HTML' });
    return;
  }
  if ([...phrase.title].length > maxTaskTitle) {
    await ctx.reply(ctx.t('task-title-too-long', { max: String(maxTaskTitle) }), { parse_mode: 'HTML' });
    return;
  }
  const userId = userIdOf(ctx);
  const calendar = await ctx.deps.services.preferences.calendarFor(userId, 'VTODO');
  if (!calendar) {
    await ctx.reply(ctx.t('task-no-calendar'), { parse_mode: 'HTML' });
    return;
  }
  const task = await ctx.deps.services.tasks.create(userId, {
    summary: phrase.title,
    due: dueField(phrase.due),
    calendarId: calendar.id,
  });
  const title = userText(task.summary ?? phrase.title);
  const lines = [`☑️ ${ctx.t('task-added', { title })}`];
  if (task.due) lines.push(ctx.t('tasks-due-line', { when: dueText(ctx, task.due) }));
  await ctx.reply(lines.join('\n'), { parse_mode: 'HTML', reply_markup: taskKeyboard(ctx, task.id) });
});
