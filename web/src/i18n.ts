// Every sentence the web app shows, in English and Russian. The language comes from Telegram's
// user.language_code inside Telegram, else from the browser.

const en = {
  appName: 'Televent',
  loading: 'Loading…',
  tagline: 'Your calendar in Telegram, and in every calendar app.',
  signInTitle: 'Sign in',
  signInWithTelegram: 'Sign in with Telegram',
  signInWithTelegramHint: 'Telegram asks you to confirm, then brings you back here.',
  signInWithLink: 'Or send /web to the Televent bot: it replies with a one-time login link.',
  signInBotOff:
    'This server has no Telegram bot. Ask its administrator for a login link: they run {command} on the server.',
  signingIn: 'Signing you in…',
  signInFailed: 'Signing in did not work: {reason}',
  linkProblem: 'That login link was already used or has expired. Send /web to the bot for a new one.',
  sessionEnded: 'Your session has ended. Sign in again.',
  signOut: 'Sign out',
  signedInAs: 'Signed in as {name}',
  today: 'Today',
  previous: 'Previous',
  next: 'Next',
  jumpToDate: 'Go to date',
  view: 'View',
  month: 'Month',
  week: 'Week',
  day: 'Day',
  agenda: 'Agenda',
  allDay: 'All day',
  noEvents: 'Nothing planned.',
  newEvent: 'New event',
  editEvent: 'Event',
  title: 'Title',
  starts: 'Starts',
  ends: 'Ends',
  timeZone: 'Time zone',
  location: 'Location',
  notes: 'Notes',
  repeat: 'Repeat',
  repeatNever: 'Does not repeat',
  repeatDaily: 'Every day',
  repeatWeekly: 'Every week on…',
  repeatMonthly: 'Every month',
  repeatYearly: 'Every year',
  repeatEnds: 'Ends',
  repeatEndsNever: 'Never',
  repeatEndsOn: 'On date',
  repeatEndsAfter: 'After a number of times',
  repeatUntil: 'Last date',
  repeatCount: 'Number of times',
  weekdays: 'Days of the week',
  reminders: 'Reminders',
  addReminder: 'Add reminder',
  removeReminder: 'Remove reminder',
  reminderAmount: 'Amount',
  reminderUnit: 'Unit',
  minutesBefore: 'minutes before',
  hoursBefore: 'hours before',
  daysBefore: 'days before',
  save: 'Save',
  saving: 'Saving…',
  cancel: 'Cancel',
  close: 'Close',
  delete: 'Delete',
  deleteConfirm: 'Delete “{title}”? This removes every occurrence.',
  deleted: 'Deleted.',
  saved: 'Saved.',
  untitled: '(no title)',
  repeats: 'Repeats',
  errorEndBeforeStart: 'The end must be after the start.',
  errorTitle: 'Give the event a title.',
  errorWeekdays: 'Choose at least one day of the week.',
  errorLoad: 'Could not load your calendar: {reason}',
  retry: 'Try again',
  changedElsewhere: 'This event was changed elsewhere; it has been reloaded.',
  timesShownIn: 'Times are shown in {zone}.',
  landingCaldav: 'Calendar apps (Apple Calendar, Thunderbird, DAVx5) connect to this server over CalDAV.',
};

export type MessageKey = keyof typeof en;
type Catalogue = Record<MessageKey, string>;

const ru: Catalogue = {
  appName: 'Televent',
  loading: 'Загрузка…',
  tagline: 'Ваш календарь в Telegram и в любом приложении-календаре.',
  signInTitle: 'Вход',
  signInWithTelegram: 'Войти через Telegram',
  signInWithTelegramHint: 'Telegram попросит подтвердить вход и вернёт вас сюда.',
  signInWithLink: 'Или отправьте /web боту Televent: он пришлёт одноразовую ссылку для входа.',
  signInBotOff:
    'У этого сервера нет бота Telegram. Попросите администратора дать ссылку для входа: он выполняет на сервере {command}.',
  signingIn: 'Входим…',
  signInFailed: 'Войти не удалось: {reason}',
  linkProblem: 'Эта ссылка для входа уже использована или устарела. Отправьте боту /web за новой.',
  sessionEnded: 'Сеанс завершён. Войдите снова.',
  signOut: 'Выйти',
  signedInAs: 'Вы вошли как {name}',
  today: 'Сегодня',
  previous: 'Назад',
  next: 'Вперёд',
  jumpToDate: 'Перейти к дате',
  view: 'Вид',
  month: 'Месяц',
  week: 'Неделя',
  day: 'День',
  agenda: 'Список',
  allDay: 'Весь день',
  noEvents: 'Ничего не запланировано.',
  newEvent: 'Новое событие',
  editEvent: 'Событие',
  title: 'Название',
  starts: 'Начало',
  ends: 'Конец',
  timeZone: 'Часовой пояс',
  location: 'Место',
  notes: 'Заметки',
  repeat: 'Повтор',
  repeatNever: 'Не повторять',
  repeatDaily: 'Каждый день',
  repeatWeekly: 'Каждую неделю по…',
  repeatMonthly: 'Каждый месяц',
  repeatYearly: 'Каждый год',
  repeatEnds: 'Окончание',
  repeatEndsNever: 'Никогда',
  repeatEndsOn: 'В дату',
  repeatEndsAfter: 'После нескольких повторов',
  repeatUntil: 'Последняя дата',
  repeatCount: 'Число повторов',
  weekdays: 'Дни недели',
  reminders: 'Напоминания',
  addReminder: 'Добавить напоминание',
  removeReminder: 'Убрать напоминание',
  reminderAmount: 'Сколько',
  reminderUnit: 'Единица',
  minutesBefore: 'минут до',
  hoursBefore: 'часов до',
  daysBefore: 'дней до',
  save: 'Сохранить',
  saving: 'Сохраняем…',
  cancel: 'Отмена',
  close: 'Закрыть',
  delete: 'Удалить',
  deleteConfirm: 'Удалить «{title}»? Будут удалены все повторы.',
  deleted: 'Удалено.',
  saved: 'Сохранено.',
  untitled: '(без названия)',
  repeats: 'Повторяется',
  errorEndBeforeStart: 'Конец должен быть позже начала.',
  errorTitle: 'Дайте событию название.',
  errorWeekdays: 'Выберите хотя бы один день недели.',
  errorLoad: 'Не удалось загрузить календарь: {reason}',
  retry: 'Повторить',
  changedElsewhere: 'Это событие изменили в другом месте; оно загружено заново.',
  timesShownIn: 'Время показано в поясе {zone}.',
  landingCaldav:
    'Приложения-календари (Apple Calendar, Thunderbird, DAVx5) подключаются к серверу по CalDAV.',
};

const catalogues: Record<string, Catalogue> = { en, ru };

export type Language = 'en' | 'ru';

/** The first supported language among Telegram's and the browser's preferences. */
export function pickLanguage(candidates: readonly (string | undefined)[]): Language {
  for (const candidate of candidates) {
    const base = candidate?.toLowerCase().split('-')[0];
    if (base === 'ru' || base === 'en') return base;
  }
  return 'en';
}

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

export function translator(language: Language): Translate {
  const catalogue = catalogues[language] ?? en;
  return (key, values) =>
    catalogue[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      values && name in values ? String(values[name]) : whole,
    );
}
