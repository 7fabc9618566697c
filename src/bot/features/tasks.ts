import { Composer, InlineKeyboard } from 'grammy';
import type { TaskView } from '../../app/task-service.ts';
import { zonedToUtc } from '../../domain/time/time-zone.ts';
import { encodeCallback } from '../../telegram/callback-data.ts';
import { truncate, userText } from '../../telegram/html.ts';
import { formatDay, formatTime } from '../../telegram/when.ts';
import { answerExpiredButton, type CallbackContext, onCallback } from '../callback-route.ts';
import { type BotContext, userIdOf, zoneOf } from '../context.ts';
import { pageButtons } from '../page-buttons.ts';

/** Tasks per /tasks page: one ✓ button each, so a page stays a short keyboard. */
export const tasksPageSize = 8;

/** "Fri, 8 Mar 2030" for a whole-day due date, "Fri, 8 Mar 2030 10:00" for a timed one, in the user's zone. */
export function dueText(ctx: BotContext, due: string): string {
  const zone = zoneOf(ctx);
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(due);
  if (date) {
    const noon = new Date(Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]), 12));
    return formatDay(noon, 'UTC', ctx.language);
  }
  const at = new Date(due);
  return `${formatDay(at, zone, ctx.language)} ${formatTime(at, zone, ctx.language)}`;
}

/** When a task is due as an instant, to sort by: a whole day counts from its midnight in the zone. */
function dueInstant(due: string, zone: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(due) ? zonedToUtc(due, zone).getTime() : new Date(due).getTime();
}

/** Open tasks in the order /tasks shows them: those with a due date, soonest first, then undated ones. */
export function orderTasks(tasks: readonly TaskView[], zone: string): TaskView[] {
  const dated = tasks.filter((t) => t.due !== null);
  const undated = tasks.filter((t) => t.due === null);
  dated.sort((a, b) => dueInstant(a.due ?? '', zone) - dueInstant(b.due ?? '', zone));
  return [...dated, ...undated];
}

/** A task's title for a message (HTML-escaped, bounded like event titles in lists). */
export function taskTitle(ctx: BotContext, task: Pick<TaskView, 'summary'>): string {
  return userText(task.summary ?? ctx.t('no-title'), 120);
}

/** The same title for a button label (plain text). */
function taskButtonTitle(ctx: BotContext, task: Pick<TaskView, 'summary'>): string {
  return truncate((task.summary ?? ctx.t('no-title')).replace(/\s+/g, ' ').trim(), 28);
}

interface TasksScreen {
  text: string;
  /** Absent when there is no button to show (no open tasks, nothing to undo). */
  keyboard: InlineKeyboard | undefined;
  page: number;
}

/**
 * One page of open tasks: numbered lines with their due dates, a ✓ button per task, ‹ › when there
 * are more, and how to add one. `note` (HTML) leads the message, e.g. "✅ Done: Buy milk", with
 * `undoTaskId`'s [Undo] above the ✓ buttons.
 */
async function tasksScreen(
  ctx: BotContext,
  page: number,
  note?: { text: string; undoTaskId?: string },
): Promise<TasksScreen> {
  const open = await ctx.deps.services.tasks.list(userIdOf(ctx), 'open');
  const tasks = orderTasks(open, zoneOf(ctx));
  const pages = Math.max(1, Math.ceil(tasks.length / tasksPageSize));
  const current = Math.min(Math.max(page, 0), pages - 1);
  const slice = tasks.slice(current * tasksPageSize, (current + 1) * tasksPageSize);
  const lines = note ? [note.text, ''] : [];
  lines.push(`<b>${ctx.t('tasks-heading')}</b>`, '');
  const keyboard = new InlineKeyboard();
  if (note?.undoTaskId) {
    keyboard
      .text(ctx.t('button-undo'), encodeCallback({ kind: 'task-reopen', taskId: note.undoTaskId }))
      .row();
  }
  if (tasks.length === 0) lines.push(ctx.t('tasks-empty'));
  slice.forEach((task, index) => {
    const number = current * tasksPageSize + index + 1;
    const due = task.due ? ` — ${ctx.t('tasks-due', { when: dueText(ctx, task.due) })}` : '';
    lines.push(`${number}. ${taskTitle(ctx, task)}${due}`);
    keyboard
      .text(
        `✓ ${number}. ${taskButtonTitle(ctx, task)}`,
        encodeCallback({ kind: 'task-done', taskId: task.id }),
      )
      .row();
  });
  if (pages > 1) lines.push('', `<i>${ctx.t('page-of', { page: current + 1, pages })}</i>`);
  pageButtons(ctx, keyboard, current, pages, (p) => encodeCallback({ kind: 'tasks-page', page: p }));
  lines.push('', ctx.t('tasks-hint'));
  // The ✓ rows and pageButtons end with a row break; Telegram needs no empty rows.
  const rows = keyboard.inline_keyboard.filter((row) => row.length > 0);
  return {
    text: lines.join('\n'),
    keyboard: rows.length ? InlineKeyboard.from(rows) : undefined,
    page: current,
  };
}

const shownAs = (screen: TasksScreen) => ({
  parse_mode: 'HTML' as const,
  ...(screen.keyboard ? { reply_markup: screen.keyboard } : {}),
});

/** Whether the pressed button sits under the /tasks message the session remembers. */
function onTasksList(ctx: CallbackContext): boolean {
  const messageId = ctx.callbackQuery.message?.message_id;
  return messageId !== undefined && ctx.session.tasksList?.messageId === messageId;
}

async function refreshList(ctx: CallbackContext, page: number, note?: { text: string; undoTaskId?: string }) {
  const screen = await tasksScreen(ctx, page, note);
  const messageId = ctx.callbackQuery.message?.message_id;
  if (messageId !== undefined) ctx.session.tasksList = { messageId, page: screen.page };
  await ctx.editMessageText(screen.text, shownAs(screen));
}

/** [✓ Done] [🗑 Delete] under a single task (a new task's confirmation, or after [Undo]). */
export function taskKeyboard(ctx: BotContext, taskId: string): InlineKeyboard {
  return new InlineKeyboard()
    .text(ctx.t('button-task-done'), encodeCallback({ kind: 'task-done', taskId }))
    .text(ctx.t('button-delete'), encodeCallback({ kind: 'task-delete', taskId }));
}

/** Runs a task change; a task deleted meanwhile (or not this user's) makes the button an old one. */
async function changeTask<T>(ctx: CallbackContext, change: () => Promise<T>): Promise<T | undefined> {
  try {
    return await change();
  } catch (error) {
    if ((error as { reason?: unknown }).reason !== 'event-not-found') throw error;
    await answerExpiredButton(ctx);
    return undefined;
  }
}

/** `/tasks`: open tasks with a ✓ each; ticking one updates the list in place. */
export const tasksFeature = new Composer<BotContext>();

tasksFeature.command('tasks', async (ctx) => {
  const screen = await tasksScreen(ctx, 0);
  const sent = await ctx.reply(screen.text, shownAs(screen));
  ctx.session.tasksList = { messageId: sent.message_id, page: screen.page };
});

onCallback(tasksFeature, 'tasks-page', async (ctx, { page }) => {
  await ctx.answerCallbackQuery();
  await refreshList(ctx, page);
});

onCallback(tasksFeature, 'task-done', async (ctx, { taskId }) => {
  const task = await changeTask(ctx, () => ctx.deps.services.tasks.complete(userIdOf(ctx), taskId));
  if (!task) return;
  const done = ctx.t('tasks-done', { title: taskTitle(ctx, task) });
  await ctx.answerCallbackQuery({ text: ctx.t('tasks-done', { title: task.summary ?? ctx.t('no-title') }) });
  if (onTasksList(ctx)) {
    await refreshList(ctx, ctx.session.tasksList?.page ?? 0, { text: `✅ ${done}`, undoTaskId: task.id });
    return;
  }
  // Under a new task or a task reminder: the message now says it is done, with [Undo].
  await ctx.editMessageText(`✅ ${done}`, {
    parse_mode: 'HTML',
    reply_markup: new InlineKeyboard().text(
      ctx.t('button-undo'),
      encodeCallback({ kind: 'task-reopen', taskId: task.id }),
    ),
  });
});

onCallback(tasksFeature, 'task-reopen', async (ctx, { taskId }) => {
  const task = await changeTask(ctx, () => ctx.deps.services.tasks.reopen(userIdOf(ctx), taskId));
  if (!task) return;
  await ctx.answerCallbackQuery({
    text: ctx.t('tasks-reopened', { title: task.summary ?? ctx.t('no-title') }),
  });
  if (onTasksList(ctx)) {
    const text = `↩️ ${ctx.t('tasks-reopened', { title: taskTitle(ctx, task) })}`;
    await refreshList(ctx, ctx.session.tasksList?.page ?? 0, { text });
    return;
  }
  await ctx.editMessageText(`↩️ ${ctx.t('tasks-reopened', { title: taskTitle(ctx, task) })}`, {
    parse_mode: 'HTML',
    reply_markup: taskKeyboard(ctx, task.id),
  });
});

onCallback(tasksFeature, 'task-delete', async (ctx, { taskId }) => {
  const task = await changeTask(ctx, () => ctx.deps.services.tasks.delete(userIdOf(ctx), taskId));
  if (!task) return;
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(`🗑 ${ctx.t('tasks-deleted', { title: taskTitle(ctx, task) })}`, {
    parse_mode: 'HTML',
  });
});
