# Сообщения бота и воркера Televent, русский. Значения могут содержать HTML Telegram (<b>, <i>, <code>);
# аргументы с текстом пользователя приходят экранированными. Ключи общие с en.ftl (проверяет юнит-тест).

## Общие слова

no-title = (без названия)
all-day = весь день
list-and = и
page-of = Страница { $page } из { $pages }
unit-days = { $n } д
unit-hours = { $n } ч
unit-minutes = { $n } мин
reminder-before = за { $lead }
saved = ✅ Сохранено: { $title }

## Кнопки

button-earlier = ‹ Раньше
button-later = Позже ›
button-skip = Пропустить
button-save = Сохранить
button-edit = Изменить
button-cancel = Отмена
button-back = ‹ Назад
button-no = Нет
button-never-mind = Не надо
button-keep-it = Оставить
button-yes-delete = Да, удалить
button-this-one = Только это
button-whole-series = Всю серию
button-snooze = Отложить на 10 мин
button-open = Открыть
button-default-reminder = Как обычно
button-expired = Эта кнопка устарела.

## Команды (меню рядом с полем ввода)

command-today = События на сегодня
command-tomorrow = События на завтра
command-week = Ближайшие 7 дней
command-list = Предстоящие события
command-create = Добавить событие по шагам
command-search = Найти события по словам
command-cancel = Удалить событие или прервать текущий шаг
command-settings = Часовой пояс, напоминания, сводка, почта, язык
command-timezone = Показать или сменить часовой пояс
command-device = Пароли для календарных приложений
command-export = Скачать календарь (.ics)
command-web = Ссылка для входа в веб-приложение
command-email = Адрес для выгрузок и уведомлений
command-deleteaccount = Удалить аккаунт и данные
command-help = Что я умею

## /start и /help

welcome = Добро пожаловать в Televent{ $name }! Ваш календарь живёт прямо в этом чате.
help-heading = Что я умею
help-quick-add = Просто напишите событие: <i>Обед с Анной в пятницу в 13:00 на час</i> или повторяющееся: <i>Спортзал каждый понедельник в 7 утра</i>
help-create = /create — добавить событие по шагам
help-agenda = /today, /tomorrow, /week, /list — ваше расписание
help-search = /search &lt;слова&gt; — найти события по названию, месту или заметкам
help-cancel = /cancel — удалить событие
help-settings = /settings — часовой пояс, напоминание по умолчанию, утренняя сводка, почта, язык
help-timezone = /timezone — показать или сменить часовой пояс
help-device = /device add &lt;имя&gt; — пароль для Apple Calendar, Thunderbird или DAVx5 (синхронизация CalDAV)
help-export = /export — календарь файлом .ics; пришлите мне файл .ics, и я его импортирую
help-web = /web — ссылка для входа в веб-приложение
help-email = /email you@example.com — получать выгрузки и уведомления ещё и на почту
help-deleteaccount = /deleteaccount — удалить аккаунт (30 дней, чтобы передумать)

## Часовой пояс

timezone-first = Для начала: в каком вы часовом поясе?
timezone-pick = Выберите ниже или напишите название пояса (например, <code>Europe/Moscow</code>) или свой город.
timezone-set = Часовой пояс: <b>{ $zone }</b> (там сейчас { $now }).
timezone-current = Ваш часовой пояс — <b>{ $zone }</b>. Чтобы сменить:
timezone-unset = Часовой пояс ещё не выбран (я считаю по UTC).
timezone-unknown = Я не знаю часовой пояс «{ $text }». Попробуйте название вроде <code>Europe/Moscow</code> или крупный город рядом с вами.
timezone-unknown-short = Неизвестный часовой пояс
timezone-answer = Часовой пояс: { $zone }

## Расписание, сводка, напоминания

agenda-today = Сегодня
agenda-today-empty = На сегодня ничего не запланировано. Напишите событие, чтобы добавить его.
agenda-tomorrow = Завтра
agenda-tomorrow-empty = На завтра ничего не запланировано.
agenda-week = Ближайшие 7 дней
agenda-week-empty = На этой неделе ничего не запланировано.
agenda-list = Предстоящие
agenda-list-empty = Предстоящих событий нет. Напишите, например: «Стоматолог завтра в 9:00».
agenda-utc-note = (UTC — укажите свой пояс через /timezone)
digest-empty = Сегодня в календаре ничего нет.
digest-more = … и ещё { $count }
reminder-in = через { $minutes } мин
reminder-now = сейчас
reminder-started = началось { $minutes } мин назад
reminder-late = с опозданием на { $minutes } мин
snooze-answer = Отложено до { $time }
snooze-done = ⏰ Отложено: напомню снова в { $time }.

## Быстрое добавление и /create

quick-add-confirm = Сохранить это событие?
quick-add-no-title = Время есть, а названия нет. Например: <i>Стоматолог завтра в 9:00</i>.
quick-add-expired = Это предложение устарело. Напишите событие ещё раз.
quick-add-discarded = Отменено — ничего не сохранено.
quick-add-editing = Редактирую <b>{ $title }</b>…
create-ask-title = Как называется событие? (/cancel — прервать)
create-ask-title-again = Как называется событие? (сейчас: <b>{ $title }</b> — /skip, чтобы оставить)
create-when-now = (сейчас: { $when } — /skip, чтобы оставить)
create-ask-when =
    Когда оно?{ $now }
    Например: <i>завтра в 10:00</i>, <i>в пятницу в 14:30</i>, <i>2026-12-01 09:00</i> или <i>каждый понедельник в 7 утра</i>. Одна дата без времени — событие на весь день.
create-ask-duration = Сколько оно длится? Например: <i>30m</i>, <i>1h30</i> или <i>2 hours</i>. /skip — 1 час.
create-ask-repeat = Оно повторяется?
create-ask-reminders = Когда напомнить? /skip — как обычно.
create-ask-description = Добавить заметки? Пришлите их или /skip.
create-ask-location = Где это? Пришлите место или /skip.
create-missing = Чего-то не хватает.
create-bad-title = В названии от 1 до { $max } символов. Например: <i>Планёрка</i>.
create-bad-when = Не получилось понять дату или время.
create-bad-duration = Такую длительность я не понимаю (не больше 7 дней).
create-bad-description = В заметках не больше { $max } символов.
create-bad-location = В месте не больше { $max } символов.
create-title-required = Название пропустить нельзя.
create-when-required = Время пропустить нельзя.
create-cancelled = Отменено — ничего не сохранено.
repeat-choice-none = Не повторять
repeat-choice-daily = Каждый день
repeat-choice-weekly = Каждую неделю
repeat-choice-monthly = Каждый месяц
repeat-choice-yearly = Каждый год

## Правила повторения словами

repeat-daily = { $n ->
    [1] каждый день
    [one] каждый { $n } день
    [few] каждые { $n } дня
   *[other] каждые { $n } дней
}
repeat-weekdays = по будням
repeat-weekly = { $n ->
    [1] каждую неделю
    [one] каждую { $n } неделю
    [few] каждые { $n } недели
   *[other] каждые { $n } недель
}
repeat-weekly-on = { $n ->
    [1] { $days }
    [one] каждую { $n } неделю { $days }
    [few] каждые { $n } недели { $days }
   *[other] каждые { $n } недель { $days }
}
repeat-monthly = { $n ->
    [1] каждый месяц
    [one] каждый { $n } месяц
    [few] каждые { $n } месяца
   *[other] каждые { $n } месяцев
}
repeat-monthly-on = { $n ->
    [1] каждый месяц { $day } числа
    [one] каждый { $n } месяц { $day } числа
    [few] каждые { $n } месяца { $day } числа
   *[other] каждые { $n } месяцев { $day } числа
}
repeat-yearly = { $n ->
    [1] каждый год
    [one] каждый { $n } год
    [few] каждые { $n } года
   *[other] каждые { $n } лет
}
repeat-yearly-on = каждый год { $date }
repeat-at = { $rule } в { $time }
repeat-until = { $rule } до { $date }
repeat-count = { $rule }, { $count ->
    [one] { $count } раз
    [few] { $count } раза
   *[other] { $count } раз
}
repeat-custom = особое правило повторения
weekday-MO = понедельник
weekday-TU = вторник
weekday-WE = среда
weekday-TH = четверг
weekday-FR = пятница
weekday-SA = суббота
weekday-SU = воскресенье
weekday-on = по
weekday-each-MO = каждый понедельник
weekday-each-TU = каждый вторник
weekday-each-WE = каждую среду
weekday-each-TH = каждый четверг
weekday-each-FR = каждую пятницу
weekday-each-SA = каждую субботу
weekday-each-SU = каждое воскресенье
weekday-plural-MO = понедельникам
weekday-plural-TU = вторникам
weekday-plural-WE = средам
weekday-plural-TH = четвергам
weekday-plural-FR = пятницам
weekday-plural-SA = субботам
weekday-plural-SU = воскресеньям

## /cancel и /search

cancel-ask = Какое событие удалить?
cancel-ask-matching = Какое событие со словами «{ $words }» удалить?
cancel-search-hint = <i>Отправьте /cancel и несколько слов из названия, чтобы сузить список.</i>
cancel-none = Предстоящих событий для удаления нет.
cancel-none-matching = Нет предстоящих событий со словами «{ $words }» в названии.
cancel-kept = Хорошо, ничего не удалено.
cancel-ask-series = { $title } повторяется. Удалить только событие { $day } или всю серию?
cancel-ask-one = Удалить { $title }{ $span }?
cancel-deleted = 🗑 Удалено: <b>{ $title }</b>.
cancel-deleted-one = 🗑 Удалено: <b>{ $title }</b> { $day }; остальная серия осталась.
search-usage = Отправьте <code>/search</code> и несколько слов, например <code>/search стоматолог</code>. Я ищу в названиях, местах и заметках, в прошлом и будущем.
search-heading = События со словами «{ $words }»
search-none = Нет событий со словами «{ $words }» в названии, месте или заметках.
search-truncated = Совпадений много; добавьте слово, чтобы увидеть остальные.

## /settings

settings-heading = Настройки
settings-zone = Часовой пояс: <b>{ $zone }</b>
settings-zone-unset = не выбран (UTC)
settings-reminder = Напоминание по умолчанию: <b>{ $value }</b>
settings-digest = Утренняя сводка: <b>{ $value }</b>
settings-digest-on = включена, в { $time }
settings-digest-off = выключена
settings-email = Почта: <b>{ $value }</b>
settings-language = Язык: <b>{ $value }</b>
settings-none = нет
settings-button-zone = 🌍 Часовой пояс
settings-button-reminder = 🔔 Напоминание
settings-button-digest = ☀️ Утренняя сводка
settings-button-language = 🗣 Язык
settings-button-email = ✉️ Почта
settings-ask-reminder = За сколько до события напоминать, если в самом событии не указано? (События на весь день: в 09:00 в этот день или в 18:00 накануне для «1 д».)
settings-ask-digest = Утренняя сводка — события дня одним сообщением. Включите, выключите или выберите время:
settings-digest-turn-on = Включить
settings-digest-turn-off = Выключить
settings-ask-language = На каком языке мне говорить?
settings-ask-email = Пришлите адрес сейчас или вернитесь назад.
settings-email-remove = Удалить мою почту
settings-reminder-saved = Напоминание по умолчанию: { $value }.
settings-digest-saved-on = Утренняя сводка включена, в { $time }.
settings-digest-saved-off = Утренняя сводка выключена.
settings-language-saved = Буду говорить: { $language }.
language-en = английский
language-ru = русский
language-auto = Язык Telegram
language-auto-current = { $language } (как в Telegram)

## Почта, устройства, выгрузка, веб, аккаунт

email-current = Ваш адрес почты: <b>{ $email }</b>.
email-unset = Вы не указали адрес почты (это необязательно).
email-usage = Отправьте <code>/email you@example.com</code>, чтобы получать /export и уведомления ещё и на почту, или <code>/email off</code>, чтобы перестать.
email-removed = Готово: я забыл ваш адрес и не буду писать на почту.
email-saved = Сохранено: <b>{ $email }</b>.
email-mail-on = Выгрузки /export и уведомления об аккаунте будут приходить и туда.
email-mail-off = На этом сервере почта пока не настроена, так что письма не отправляются.
device-usage = Используйте <code>/device add &lt;имя&gt;</code>, <code>/device list</code> или <code>/device revoke</code>.
device-name-needed = Дайте устройству имя, например <code>/device add iPhone</code>.
device-password-for = 🔑 Пароль для <b>{ $name }</b> — показываю только один раз:
device-server = Сервер: { $url }
device-user-name = Имя пользователя: { $id }
device-apple = <b>Apple</b> (iPhone, Mac): Настройки → Календарь → Учётные записи → Добавить → Другое → Учётная запись CalDAV; введите сервер, имя пользователя и пароль.
device-thunderbird = <b>Thunderbird</b>: Новый календарь → В сети → имя пользователя и адрес сервера → Найти календари.
device-davx5 = <b>DAVx5</b> (Android): + → Вход по URL и имени пользователя → сервер, имя пользователя и пароль.
device-none = Паролей для устройств пока нет.
device-list-heading = Пароли устройств
device-created = создан { $day }
device-last-used = последний раз { $day }
device-never-used = ни разу не использовался
device-none-to-revoke = Отзывать нечего: паролей для устройств нет.
device-revoke-ask = Какой пароль устройства отозвать?
device-kept = Хорошо, ничего не отозвано.
device-revoked = Пароль <b>{ $name }</b> отозван; синхронизация с ним больше не работает.
device-the-device = устройства
export-calendar-caption = { $count ->
    [one] Ваш календарь: { $count } запись. Импортируйте его в любое календарное приложение.
    [few] Ваш календарь: { $count } записи. Импортируйте его в любое календарное приложение.
   *[other] Ваш календарь: { $count } записей. Импортируйте его в любое календарное приложение.
}
export-data-caption = Все ваши данные (аккаунт, настройки, события, устройства) в JSON.
import-too-large = Файл больше 5 МБ; пожалуйста, разделите его.
import-no-file = Telegram не дал скачать этот файл. Пришлите его ещё раз.
import-download-failed = Не получилось скачать файл. Пришлите его ещё раз.
import-heading = 📥 Импортирован <b>{ $name }</b>:
import-the-file = файл
import-counts = создано: { $created }, обновлено: { $updated }, без изменений: { $skipped }.
import-problems = Не удалось импортировать: { $count }
import-more = …и ещё { $count }.
web-login-link = Ваша ссылка для входа (одноразовая, действует 10 минут):
web-open-button = Открыть Televent
web-app-button = 📅 Открыть календарь
web-browser-button = Открыть в браузере
account-pending = Ваш аккаунт будет удалён <b>{ $day }</b>. Отправьте /undelete, чтобы сохранить его.
account-undo-button = Отменить — оставить аккаунт
account-delete-ask = Будут удалены аккаунт, календарь и пароли устройств. У вас будет { $days } дней, чтобы передумать. Продолжить?
account-delete-yes = Да, удалить аккаунт
account-in-days = через { $days } дней
account-scheduled = Ваш аккаунт будет стёрт <b>{ $day }</b>. До тех пор это можно отменить через /undelete.
account-not-pending = Удаление аккаунта не запланировано.
account-undeleted = С возвращением — аккаунт не будет удалён.
account-kept = Хорошо — ничего не меняется.
fallback-unknown-command = Я не знаю команду { $command }. Отправьте /help, чтобы узнать, что я умею.
fallback-no-date = Я не нашёл здесь даты или времени. Чтобы добавить событие, напишите, например, <i>Обед с Анной в пятницу в 13:00</i> или воспользуйтесь /create. Всё остальное — в /help.
fallback-other-message = Я понимаю текстовые сообщения и файлы календаря .ics. Отправьте /help, чтобы узнать, что я умею.

## Ошибки

error-deletion-pending = Ваш аккаунт запланирован к удалению. Отправьте /undelete, чтобы сохранить его.
error-telegram = Telegram сейчас не принял мой ответ. Пожалуйста, попробуйте ещё раз через минуту.
error-unexpected = Извините, у меня что-то пошло не так. Я это записал; пожалуйста, попробуйте ещё раз.
error-kind-not-found = Не нашёл — возможно, это уже удалили.
error-kind-conflict = Это противоречит тому, что у вас уже есть.
error-kind-precondition-failed = Это только что изменилось в другом месте; попробуйте ещё раз.
error-kind-invalid-input = Что-то здесь не так.
error-kind-unauthorized = Для этого нужно войти.
error-kind-forbidden = Сейчас это нельзя.
error-kind-too-large = Это слишком много для меня.
error-kind-rate-limited = Слишком много сразу — подождите немного и попробуйте снова.
error-reason-invalid-time-zone = Я не знаю такой часовой пояс. Например: Europe/Moscow.
error-reason-invalid-field = Это значение не подходит. Для почты — адрес вида you@example.com.
error-reason-device-name-taken = Пароль устройства с таким именем уже есть.
error-reason-event-not-found = Такого события нет — возможно, его уже удалили.
error-reason-task-not-found = Такой задачи нет — возможно, её уже удалили.

## /edit (изменение события)

command-edit = Изменить событие
help-edit = /edit — изменить событие: название, время, длительность, место, заметки, напоминания, повтор
edit-ask = Какое событие изменить?
edit-ask-matching = Какое событие со словами «{ $words }» изменить?
edit-search-hint = <i>Отправьте /edit и несколько слов из названия, чтобы сузить список.</i>
edit-none = Предстоящих событий для изменения нет.
edit-none-matching = Нет предстоящих событий со словами «{ $words }» в названии.
edit-ask-agenda = Какое из них изменить?
edit-menu = ✏️ Что изменить?
edit-occurrence-note = <i>Событие повторяется; это повторение от { $day }</i>
edit-button-title = Название
edit-button-when = Время
edit-button-duration = Длительность
edit-button-location = Место
edit-button-description = Заметки
edit-button-reminders = Напоминания
edit-button-repeat = Повтор
edit-button-done = Готово
edit-button-more = ✏️ Изменить ещё
edit-button-remove-location = Убрать место
edit-button-remove-description = Убрать заметки
edit-button-no-reminder = Без напоминания
edit-ask-title = Отправьте новое название. Сейчас: <b>{ $title }</b>
edit-ask-when = Когда оно должно быть? Например: <i>завтра в 10:00</i>, <i>в пятницу в 14:30</i> или <i>в пятницу</i> — в то же время в другой день. Сейчас: { $when }
edit-ask-duration = Сколько оно должно длиться? Например: <i>45m</i> или <i>1h30</i>.
edit-ask-location = Отправьте новое место.
edit-ask-description = Отправьте новые заметки.
edit-ask-reminders = Когда напомнить? Выберите или отправьте срок, например <i>20m</i>.
edit-ask-repeat = Как повторять? Выберите или напишите: <i>каждый понедельник</i>, <i>по будням</i>, <i>каждые 2 недели до 31 марта</i>.
edit-now = Сейчас: { $value }
edit-bad-repeat = Не получилось понять, как повторять.
edit-bad-reminder = Такой срок я не понимаю.
edit-ask-scope = { $title } повторяется. Изменить только событие { $day }, его и следующие или все?
edit-ask-scope-repeat = { $title } повторяется. Изменить повтор начиная с { $day } или для всей серии?
edit-scope-this = Только это
edit-scope-following = Это и следующие
edit-scope-all = Все
edit-saved = ✅ Изменено
edit-saved-this = Изменено только событие { $day }; остальная серия осталась.
edit-saved-following = Изменено начиная с { $day }; прежние остались как были.
edit-saved-all = Изменено для всей серии.
edit-finished = Готово: { $title } сохранено.
edit-stopped = Изменение события прекращено.

## task reminders

task-reminder = ☑️ Срок задачи: { $title } — { $when }
task-reminder-today = сегодня
task-reminder-tomorrow = завтра
task-reminder-done = ✓ Готово

## subscriptions

command-subscribe = Подписаться на внешний календарь (ICS)
help-subscribe = /subscribe &lt;адрес&gt; — подписаться на календарь (праздники, календарь команды); он только для чтения и обновляется сам
subscribe-usage = Отправьте <code>/subscribe</code> с адресом календаря, например:
    <code>/subscribe https://example.com/holidays.ics</code>
    Я создам календарь только для чтения и буду проверять его каждые несколько часов. Адреса <code>webcal://</code> тоже подходят.
subscribe-done = ✅ Подписка на <b>{ $name }</b> оформлена. Я уже загружаю его — события появятся через минуту и дальше будут обновляться сами. Календарь только для чтения: меняйте события в источнике.
subscription-failing = ⚠️ Не удалось обновить календарь <b>{ $calendar }</b> с адреса { $url }: { $reason } Я буду пробовать реже и больше не напишу, пока всё не заработает.
subscription-reason-feed-address-refused = адрес ведёт во внутреннюю сеть.
subscription-reason-feed-unreachable = сервер недоступен.
subscription-reason-feed-timeout = сервер не ответил вовремя.
subscription-reason-feed-too-large = календарь больше 5 МБ.
subscription-reason-feed-too-many-redirects = слишком много перенаправлений.
subscription-reason-feed-http-error = сервер ответил ошибкой.
subscription-reason-feed-invalid = по адресу не календарь (.ics).
error-reason-calendar-read-only = Этот календарь подписан на внешний источник и доступен только для чтения: меняйте события в источнике.
error-reason-feed-url-refused = По этому адресу нельзя подписаться: нужен публичный адрес http://, https:// или webcal:// без имени и пароля.

## tasks and calendars

command-tasks = Ваши открытые задачи
help-tasks = /tasks — открытые задачи; напишите <i>задача купить молоко</i> или <i>напомни позвонить Анне в пятницу</i>, чтобы добавить
calendar-line = 📅 Календарь: <b>{ $calendar }</b>
create-ask-calendar = В какой календарь его добавить? (/skip — в <b>{ $calendar }</b>)
settings-calendar = Календарь по умолчанию: <b>{ $value }</b>
settings-button-calendar = 📅 Календарь по умолчанию
settings-ask-calendar = В какой календарь добавлять новые события, если вы не выбрали другой?
settings-calendar-saved = Новые события попадут в { $calendar }.
tasks-heading = Открытые задачи
tasks-empty = Открытых задач нет.
tasks-hint = Чтобы добавить задачу, напишите, например, <i>задача купить молоко</i> или <i>напомни позвонить Анне в пятницу</i>.
tasks-due = срок { $when }
tasks-due-line = Срок: { $when }
tasks-done = Готово: { $title }
tasks-reopened = Снова открыта: { $title }
tasks-deleted = Удалена: { $title }
task-added = Задача добавлена: <b>{ $title }</b>
task-no-title = Какая задача? Например: <i>задача купить молоко</i>.
task-title-too-long = Название задачи — не больше { $max } символов.
task-no-calendar = Ни один ваш календарь не хранит задачи. Добавьте такой в приложении календаря и попробуйте снова.
button-undo = ↩️ Отменить
button-task-done = ✓ Готово
button-delete = 🗑 Удалить

## Общие календари (issue 14)
command-share = Поделиться календарём
help-share = /share — поделиться календарём с тем, кто пользуется этим ботом, для просмотра или изменений; здесь же ответы на приглашения
share-pick-calendar = Каким календарём поделиться?
share-how = Поделиться <b>{ $calendar }</b>: пришлите контакт или @username того, кто уже запускал этого бота (он сможет смотреть; нажмите ✏️, чтобы разрешить изменения), или создайте ссылку-приглашение для одного человека.
share-list-heading = Доступ есть у:
share-list-line = • { $person } — { $access }{ $pending }
share-pending-mark = , ещё не ответил(а)
share-link-unopened = ссылка-приглашение, которую ещё никто не открыл
share-button-link-read = 🔗 Ссылка: просмотр
share-button-link-write = 🔗 Ссылка: просмотр и изменения
share-button-allow-write = ✏️ { $person }: разрешить изменения
share-button-read-only = 👀 { $person }: только просмотр
share-button-stop = ✖️ Закрыть доступ для { $person }
share-link-made = Отправьте эту ссылку одному человеку. Кто откроет её первым, получит приглашение в <b>{ $calendar }</b> ({ $access }):
    { $link }
share-offered = 📨 Я пригласил { $person } в <b>{ $calendar }</b> ({ $access }). Календарь появится у него после согласия.
share-access-read = только просмотр
share-access-write = может менять события
share-access-changed = { $person } — { $access } в <b>{ $calendar }</b>.
share-revoked-owner = Доступ к <b>{ $calendar }</b> для { $person } закрыт.
share-not-a-user = Этого контакта нет в Telegram, поделиться с ним нельзя. Отправьте ссылку-приглашение.
share-notice-offered = 📅 { $person } поделился(ась) с вами календарём <b>{ $calendar }</b> ({ $access }).
share-notice-accepted = ✅ { $person } принял(а) <b>{ $calendar }</b>.
share-notice-declined = { $person } отказался(ась) от <b>{ $calendar }</b>.
share-notice-left = { $person } больше не пользуется <b>{ $calendar }</b>.
share-notice-revoked = { $person } закрыл(а) вам доступ к <b>{ $calendar }</b>.
share-button-accept = ✅ Принять
share-button-decline = Отказаться
share-accepted = ✅ <b>{ $calendar }</b> теперь среди ваших календарей: в /today и /week, в веб-приложении и в приложениях календаря.
share-declined = Вы отказались от <b>{ $calendar }</b>.
error-reason-share-not-found = Такого приглашения нет — возможно, его отменили или на него уже ответили.
error-reason-share-exists = С этим человеком календарь уже общий.
error-reason-share-limit-reached = Календарём можно поделиться не больше чем со 100 людьми.
error-reason-not-calendar-owner = Менять, открывать доступ и удалять календарь может только его владелец.
error-reason-calendar-shared-read-only = Этот календарь открыт вам только для просмотра; попросите владельца разрешить изменения.
error-reason-user-not-found = Этот человек ещё не запускал бота — попросите его сначала открыть бота или отправьте ссылку-приглашение.

## Календари групп (issue 14 item 2)
command-groupcalendar = Календарь этой группы: создать или показать
command-group-help = Что я умею в группе
group-hello = 👋 Привет! Я веду календари. Отправьте /groupcalendar, и у группы появится свой календарь: все, кто запускал меня, увидят его рядом со своими, а я буду рассказывать группе о новых событиях и напоминать о них.
group-help = В группе я веду её календарь: /groupcalendar создаёт или показывает его, /today, /tomorrow и /week — что запланировано. Всё остальное — в личном чате со мной.
group-none = У этой группы пока нет календаря. Отправьте /groupcalendar, чтобы его создать.
group-card-made = ✅ Теперь у группы есть календарь: <b>{ $calendar }</b>.
group-card-shown = 📅 Календарь этой группы: <b>{ $calendar }</b>.
group-card-back = 👋 Я вернулся. Календарь группы <b>{ $calendar }</b> на месте: нажмите ➕, чтобы снова добавить его к своим.
group-card-how = Все, кто запускал меня, видят его рядом со своими календарями: в /today и /week в личном чате со мной, в веб-приложении и в приложениях календаря. Нажмите ➕, если его у вас ещё нет.
group-card-access-write = Участники могут добавлять и менять события.
group-card-access-read = Участники видят события; добавляют и меняют их администраторы группы.
group-card-tells = Я рассказываю группе о новых и изменённых событиях и напоминаю о них; /today и /week здесь показывают, что запланировано.
group-card-members = Участников с календарём: { $count }
group-button-join = ➕ Добавить к моим календарям
group-button-read = 👀 Участники: только просмотр
group-button-write = ✏️ Участники: могут менять события
group-joined-toast = «{ $calendar }» теперь среди ваших календарей.
group-already-toast = Этот календарь у вас уже есть.
group-not-member-toast = Добавить календарь группы могут только её участники.
group-not-admin-toast = Это могут менять только администраторы группы.
group-access-toast-read = Теперь участники только видят события.
group-access-toast-write = Теперь участники могут добавлять и менять события.
group-joined = ✅ <b>{ $calendar }</b>, календарь вашей группы, теперь среди ваших календарей: в /today и /week, в веб-приложении и в приложениях календаря.
group-link-unknown = У этой группы нет календаря (больше нет).
group-link-not-member = Добавить <b>{ $calendar }</b> могут только участники группы; сначала вступите в неё.
group-someone = Кто-то
group-told-heading = Изменения в <b>{ $calendar }</b>:
group-told-created = { $person } добавляет { $event }
group-told-modified = { $person } меняет { $event }
group-told-deleted = { $person } отменяет { $event }
group-told-more = …и ещё { $count }.
error-reason-group-not-found = У этой группы пока нет календаря: отправьте /groupcalendar в группе, чтобы его создать.
error-reason-not-group-member = Добавить календарь группы могут только её участники.
error-reason-not-group-admin = Это могут менять только администраторы группы.
error-reason-group-member-limit-reached = В календаре группы может быть не больше 1000 участников.

## Приглашения (issue 14 item 3)
invitation-invited = 📨 { $person } приглашает вас: { $event }.
invitation-changed = ✏️ { $person } изменяет { $event }. Вы придёте?
invitation-cancelled = ✖️ { $person } отменяет { $event }.
invitation-answered-accepted = ✅ { $person } принимает приглашение: { $event }.
invitation-answered-tentative = 🤔 { $person }, возможно, придёт: { $event }.
invitation-answered-declined = { $person } отклоняет приглашение: { $event }.
invitation-button-accepted = ✅ Приду
invitation-button-tentative = 🤔 Возможно
invitation-button-declined = Не приду
invitation-you-accepted = ✅ Вы приняли приглашение: { $event } — теперь в вашем календаре.
invitation-you-tentative = 🤔 Вы ответили «возможно»: { $event } — в вашем календаре как предварительное.
invitation-you-declined = Вы отклонили приглашение: { $event }.
error-reason-invitation-not-found = Такого приглашения нет.
error-reason-invitation-cancelled = Организатор отменил это событие.
edit-button-invite = 👥 Пригласить
invite-how = Кого позвать на { $event }? Отправьте контакт, @username того, кто пользуется этим ботом, или адрес электронной почты. Они получат приглашение и смогут ответить.
invite-done = 📨 { $person } приглашён(а) на { $event }. Я сообщу, что ответят.
invite-contact-not-on-telegram = Этого контакта нет в Telegram — отправьте его адрес электронной почты.
invite-not-understood = Отправьте контакт, @username или адрес почты — или другую команду, чтобы закончить.
