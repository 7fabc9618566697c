# Televent's bot and worker messages, English. Values may hold Telegram HTML (<b>, <i>, <code>);
# arguments that carry user text arrive escaped. Keys are shared with ru.ftl (a unit test checks).

## Shared words

no-title = (no title)
all-day = all day
list-and = and
page-of = Page { $page } of { $pages }
unit-days = { $n } d
unit-hours = { $n } h
unit-minutes = { $n } min
reminder-before = { $lead } before
saved = ✅ Saved { $title }

## Buttons

button-earlier = ‹ Earlier
button-later = Later ›
button-skip = Skip
button-save = Save
button-edit = Edit
button-cancel = Cancel
button-back = ‹ Back
button-no = No
button-never-mind = Never mind
button-keep-it = Keep it
button-yes-delete = Yes, delete
button-this-one = This one
button-whole-series = Whole series
button-snooze = Snooze 10 min
button-open = Open
button-default-reminder = My default
button-expired = This button has expired.

## Commands (the menu next to the message field)

command-today = Today's events
command-tomorrow = Tomorrow's events
command-week = The next 7 days
command-list = Upcoming events
command-create = Add an event step by step
command-search = Find events by words
command-cancel = Delete an event, or stop what we are doing
command-settings = Time zone, reminders, digest, email, language
command-timezone = Show or change your time zone
command-device = Passwords for calendar apps (add, list, revoke)
command-export = Download your calendar (.ics)
command-web = A login link for the web app
command-email = Set the address for exports and notices
command-deleteaccount = Delete your account and data
command-help = What I can do

## /start and /help

welcome = Welcome to Televent{ $name }! Your calendar lives right here in this chat.
help-heading = What I can do
help-quick-add = Just type an event: <i>Lunch with Anna on Friday at 1pm for 1h at Cafe Central</i>, or one that repeats: <i>Gym every monday at 7am</i>
help-create = /create — add an event step by step
help-agenda = /today, /tomorrow, /week, /list — your agenda
help-search = /search &lt;words&gt; — find events by title, place or notes
help-cancel = /cancel — delete an event
help-settings = /settings — time zone, default reminder, morning digest, email, language
help-timezone = /timezone — show or change your time zone
help-device = /device add &lt;name&gt; — a password for Apple Calendar, Thunderbird or DAVx5 (CalDAV sync)
help-export = /export — your calendar as an .ics file; send me an .ics file to import it
help-web = /web — a login link for the web app
help-email = /email you@example.com — get exports and account notices by email too
help-deleteaccount = /deleteaccount — delete your account (30 days to change your mind)

## Time zone

timezone-first = First, which time zone are you in?
timezone-pick = Pick one below, or type a zone name (like <code>Europe/Berlin</code>) or your city.
timezone-set = Time zone set to <b>{ $zone }</b> (it is { $now } there now).
timezone-current = Your time zone is <b>{ $zone }</b>. To change it:
timezone-unset = You have not set a time zone yet (I use UTC).
timezone-unknown = I don't know the time zone "{ $text }". Try a name like <code>Europe/Berlin</code> or a big city near you.
timezone-unknown-short = Unknown time zone
timezone-answer = Time zone: { $zone }

## Agenda, digest, reminders

agenda-today = Today
agenda-today-empty = Nothing planned today. Type an event to add one.
agenda-tomorrow = Tomorrow
agenda-tomorrow-empty = Nothing planned tomorrow.
agenda-week = The next 7 days
agenda-week-empty = Nothing planned this week.
agenda-list = Upcoming
agenda-list-empty = No upcoming events. Type one, e.g. "Dentist tomorrow at 9am".
agenda-utc-note = (UTC — set yours with /timezone)
digest-empty = Nothing on your calendar today.
digest-more = … and { $count } more
reminder-in = in { $minutes } min
reminder-now = now
reminder-started = started { $minutes } min ago
reminder-late = late by { $minutes } min
snooze-answer = Snoozed until { $time }
snooze-done = ⏰ Snoozed: I will remind you again at { $time }.

## Quick add and /create

quick-add-confirm = Save this event?
quick-add-no-title = That has a time but no title. Try e.g. <i>Dentist tomorrow at 9am</i>.
quick-add-expired = This suggestion has expired. Type the event again.
quick-add-discarded = Discarded — nothing was saved.
quick-add-editing = Editing <b>{ $title }</b>…
create-ask-title = What is the event called? (/cancel to stop)
create-ask-title-again = What is the event called? (now: <b>{ $title }</b> — /skip to keep it)
create-when-now = (now: { $when } — /skip to keep it)
create-ask-when =
    When is it?{ $now }
    For example <i>tomorrow 10am</i>, <i>friday 14:30</i>, <i>2026-12-01 09:00</i> or <i>every monday at 7am</i>. A date alone makes an all-day event.
create-ask-duration = How long is it? For example <i>30m</i>, <i>1h30</i> or <i>2 hours</i>. /skip for 1 hour.
create-ask-repeat = Does it repeat?
create-ask-reminders = When should I remind you? /skip for your default.
create-ask-description = Any notes to add? Send them, or /skip.
create-ask-location = Where is it? Send a place, or /skip.
create-missing = Something is missing.
create-bad-title = A title has 1 to { $max } characters. For example <i>Team meeting</i>.
create-bad-when = I couldn't read that as a date or time.
create-bad-duration = That is not a length I understand (up to 7 days).
create-bad-description = Notes can have up to { $max } characters.
create-bad-location = A place can have up to { $max } characters.
create-title-required = The title cannot be skipped.
create-when-required = The time cannot be skipped.
create-cancelled = Cancelled — nothing was saved.
repeat-choice-none = Does not repeat
repeat-choice-daily = Daily
repeat-choice-weekly = Weekly
repeat-choice-monthly = Monthly
repeat-choice-yearly = Yearly

## Repeat rules spelled out

repeat-daily = { $n ->
    [1] every day
   *[other] every { $n } days
}
repeat-weekdays = on weekdays
repeat-weekly = { $n ->
    [1] every week
   *[other] every { $n } weeks
}
repeat-weekly-on = { $n ->
    [1] every { $days }
   *[other] every { $n } weeks on { $days }
}
repeat-monthly = { $n ->
    [1] every month
   *[other] every { $n } months
}
repeat-monthly-on = { $n ->
    [1] every month on the { $day }
   *[other] every { $n } months on the { $day }
}
repeat-yearly = { $n ->
    [1] every year
   *[other] every { $n } years
}
repeat-yearly-on = every year on { $date }
repeat-at = { $rule } at { $time }
repeat-until = { $rule } until { $date }
repeat-count = { $rule }, { $count ->
    [one] once
   *[other] { $count } times
}
repeat-custom = custom rule
weekday-MO = Monday
weekday-TU = Tuesday
weekday-WE = Wednesday
weekday-TH = Thursday
weekday-FR = Friday
weekday-SA = Saturday
weekday-SU = Sunday
weekday-on = on
weekday-each-MO = every Monday
weekday-each-TU = every Tuesday
weekday-each-WE = every Wednesday
weekday-each-TH = every Thursday
weekday-each-FR = every Friday
weekday-each-SA = every Saturday
weekday-each-SU = every Sunday
weekday-plural-MO = Mondays
weekday-plural-TU = Tuesdays
weekday-plural-WE = Wednesdays
weekday-plural-TH = Thursdays
weekday-plural-FR = Fridays
weekday-plural-SA = Saturdays
weekday-plural-SU = Sundays

## /cancel and /search

cancel-ask = Which event should I delete?
cancel-ask-matching = Which event with "{ $words }" should I delete?
cancel-search-hint = <i>Send /cancel and a few words of the title to narrow the list.</i>
cancel-none = You have no upcoming events to delete.
cancel-none-matching = No upcoming event has "{ $words }" in its title.
cancel-kept = OK, nothing was deleted.
cancel-ask-series = { $title } repeats. Delete only the one on { $day }, or the whole series?
cancel-ask-one = Delete { $title }{ $span }?
cancel-deleted = 🗑 Deleted <b>{ $title }</b>.
cancel-deleted-one = 🗑 Deleted <b>{ $title }</b> on { $day }; the rest of the series stays.
search-usage = Send <code>/search</code> and some words, e.g. <code>/search dentist</code>. I look in titles, places and notes, past and future.
search-heading = Events with "{ $words }"
search-none = No event has "{ $words }" in its title, place or notes.
search-truncated = Many events match; add a word to see the rest.

## /settings

settings-heading = Settings
settings-zone = Time zone: <b>{ $zone }</b>
settings-zone-unset = not set (UTC)
settings-reminder = Default reminder: <b>{ $value }</b>
settings-digest = Morning digest: <b>{ $value }</b>
settings-digest-on = on, at { $time }
settings-digest-off = off
settings-email = Email: <b>{ $value }</b>
settings-language = Language: <b>{ $value }</b>
settings-none = none
settings-button-zone = 🌍 Time zone
settings-button-reminder = 🔔 Default reminder
settings-button-digest = ☀️ Morning digest
settings-button-language = 🗣 Language
settings-button-email = ✉️ Email
settings-ask-reminder = How long before an event should I remind you, when the event does not say itself? (All-day events: at 09:00 on the day, or at 18:00 the evening before for "1 d".)
settings-ask-digest = The morning digest lists the day's events. Turn it on or off, or pick its time:
settings-digest-turn-on = Turn on
settings-digest-turn-off = Turn off
settings-ask-language = Which language should I speak?
settings-ask-email = Send me the address now, or go back.
settings-email-remove = Remove my email
settings-reminder-saved = Default reminder: { $value }.
settings-digest-saved-on = Morning digest on, at { $time }.
settings-digest-saved-off = Morning digest off.
settings-language-saved = I will speak { $language }.
language-en = English
language-ru = Russian
language-auto = Telegram's language
language-auto-current = { $language } (Telegram's)

## Email, devices, export, web, account

email-current = Your email address is <b>{ $email }</b>.
email-unset = You have not given me an email address (it is optional).
email-usage = Send <code>/email you@example.com</code> to get your /export and account notices by email too, or <code>/email off</code> to stop.
email-removed = Done: I forgot your email address and will not send you email.
email-saved = Saved: <b>{ $email }</b>.
email-mail-on = Your /export and account notices will be emailed there too.
email-mail-off = This server has no mail set up yet, so nothing is emailed for now.
device-usage = Use <code>/device add &lt;name&gt;</code>, <code>/device list</code> or <code>/device revoke</code>.
device-name-needed = Give the device a name, e.g. <code>/device add iPhone</code>.
device-password-for = 🔑 Password for <b>{ $name }</b> — shown only this once:
device-server = Server: { $url }
device-user-name = User name: { $id }
device-apple = <b>Apple</b> (iPhone, Mac): Settings → Calendar → Accounts → Add Account → Other → Add CalDAV Account; enter the server, user name and password.
device-thunderbird = <b>Thunderbird</b>: New Calendar → On the Network → user name and the server address → Find Calendars.
device-davx5 = <b>DAVx5</b> (Android): + → Login with URL and user name → the server, user name and password.
device-none = No device passwords yet.
device-list-heading = Device passwords
device-created = created { $day }
device-last-used = last used { $day }
device-never-used = never used
device-none-to-revoke = There are no device passwords to revoke.
device-revoke-ask = Which device password should stop working?
device-kept = OK, nothing was revoked.
device-revoked = Revoked <b>{ $name }</b>; it can no longer sync.
device-the-device = the device
export-calendar-caption = { $count ->
    [one] Your calendar: { $count } item. Import it into any calendar app.
   *[other] Your calendar: { $count } items. Import it into any calendar app.
}
export-data-caption = All your data (account, settings, events, devices) as JSON.
import-too-large = That file is larger than 5 MB; please split it.
import-no-file = Telegram did not let me download that file. Please send it again.
import-download-failed = I could not download that file. Please send it again.
import-heading = 📥 Imported <b>{ $name }</b>:
import-the-file = the file
import-counts = { $created } created, { $updated } updated, { $skipped } unchanged.
import-problems = { $count ->
    [one] { $count } item could not be imported:
   *[other] { $count } items could not be imported:
}
import-more = …and { $count } more.
web-login-link = Your login link (works once, for 10 minutes):
web-open-button = Open Televent
web-app-button = 📅 Open the calendar
web-browser-button = Open in a browser
account-pending = Your account is scheduled for deletion on <b>{ $day }</b>. Send /undelete to keep it.
account-undo-button = Undo — keep my account
account-delete-ask = This deletes your account, calendar and device passwords. You have { $days } days to change your mind. Continue?
account-delete-yes = Yes, delete my account
account-in-days = { $days } days
account-scheduled = Your account will be erased on <b>{ $day }</b>. Until then you can undo this with /undelete.
account-not-pending = Your account is not scheduled for deletion.
account-undeleted = Welcome back — your account will not be deleted.
account-kept = Good — nothing changes.
fallback-unknown-command = I don't know the command { $command }. Send /help to see what I can do.
fallback-no-date = I could not find a date or time in that. To add an event, write something like <i>Lunch with Anna on Friday at 1pm</i>, or use /create. /help lists everything.
fallback-other-message = I can read text messages and .ics calendar files. Send /help to see what I can do.

## Errors

error-deletion-pending = Your account is scheduled for deletion. Send /undelete to keep it.
error-telegram = Telegram did not accept my answer just now. Please try again in a moment.
error-unexpected = Sorry, something went wrong on my side. It has been logged; please try again.
error-kind-not-found = I could not find that — it may have been deleted in the meantime.
error-kind-conflict = That clashes with something you already have.
error-kind-precondition-failed = That changed elsewhere a moment ago; please try again.
error-kind-invalid-input = That did not look right.
error-kind-unauthorized = You are not signed in for that.
error-kind-forbidden = That is not allowed right now.
error-kind-too-large = That is too large for me.
error-kind-rate-limited = That was a lot at once — please wait a moment and try again.

## /edit (changing an event)

command-edit = Change an event
help-edit = /edit — change an event: title, time, length, place, notes, reminders, repeat
edit-ask = Which event should I change?
edit-ask-matching = Which event with "{ $words }" should I change?
edit-search-hint = <i>Send /edit and a few words of the title to narrow the list.</i>
edit-none = You have no upcoming events to change.
edit-none-matching = No upcoming event has "{ $words }" in its title.
edit-ask-agenda = Which one should I change?
edit-menu = ✏️ What should I change?
edit-occurrence-note = <i>It repeats; this is the one on { $day }.</i>
edit-button-title = Title
edit-button-when = Time
edit-button-duration = Length
edit-button-location = Place
edit-button-description = Notes
edit-button-reminders = Reminders
edit-button-repeat = Repeat
edit-button-done = Done
edit-button-more = ✏️ Change more
edit-button-remove-location = Remove the place
edit-button-remove-description = Remove the notes
edit-button-no-reminder = No reminder
edit-ask-title = Send the new title. Now: <b>{ $title }</b>
edit-ask-when = When should it be? For example <i>tomorrow 10am</i>, <i>friday 14:30</i>, or <i>friday</i> for the same time on another day. Now: { $when }
edit-ask-duration = How long should it be? For example <i>45m</i> or <i>1h30</i>.
edit-ask-location = Send the new place.
edit-ask-description = Send the new notes.
edit-ask-reminders = When should I remind you? Pick one, or send a lead time like <i>20m</i>.
edit-ask-repeat = How should it repeat? Pick one, or write it: <i>every monday</i>, <i>weekdays</i>, <i>every 2 weeks until march 31</i>.
edit-now = Now: { $value }
edit-bad-repeat = I couldn't read that as a repeat.
edit-bad-reminder = That is not a lead time I understand.
edit-ask-scope = { $title } repeats. Change only the one on { $day }, this one and the ones after it, or all of them?
edit-ask-scope-repeat = { $title } repeats. Change the repeat from { $day } on, or for the whole series?
edit-scope-this = Only this one
edit-scope-following = This and following
edit-scope-all = All of them
edit-saved = ✅ Changed
edit-saved-this = Only the one on { $day } changed; the rest of the series stays.
edit-saved-following = Changed from { $day } on; the earlier ones stay as they were.
edit-saved-all = Changed for the whole series.
edit-finished = Done: { $title } is up to date.
edit-stopped = Stopped changing the event.

## task reminders

task-reminder = ☑️ Task due: { $title } — { $when }
task-reminder-today = today
task-reminder-tomorrow = tomorrow
task-reminder-done = ✓ Done

## subscriptions

command-subscribe = Follow an external calendar feed (ICS)
help-subscribe = /subscribe &lt;url&gt; — follow a calendar feed (holidays, a team's calendar); it stays read-only and updates by itself
subscribe-usage = Send <code>/subscribe</code> with the address of a calendar feed, for example:
    <code>/subscribe https://example.com/holidays.ics</code>
    I make a read-only calendar that follows it and check it every few hours. <code>webcal://</code> addresses work too.
subscribe-done = ✅ Following <b>{ $name }</b>. I'm fetching it now; its events appear in a minute, and it stays up to date by itself. It is read-only: change its events at their source.
subscription-failing = ⚠️ I could not update the calendar <b>{ $calendar }</b> from { $url }: { $reason } I'll keep trying, less often, and tell you nothing more until it works again.
subscription-reason-feed-address-refused = the address leads into a private network.
subscription-reason-feed-unreachable = the server could not be reached.
subscription-reason-feed-timeout = the server did not answer in time.
subscription-reason-feed-too-large = the feed is larger than 5 MB.
subscription-reason-feed-too-many-redirects = the address redirects too many times.
subscription-reason-feed-http-error = the server answered with an error.
subscription-reason-feed-invalid = what it sends is not a calendar (.ics).

## tasks and calendars

command-tasks = Your open tasks
help-tasks = /tasks — your open tasks; type <i>todo buy milk</i> or <i>remind me to call Anna on friday</i> to add one
calendar-line = 📅 Calendar: <b>{ $calendar }</b>
create-ask-calendar = Which calendar should it go into? (/skip for <b>{ $calendar }</b>)
settings-calendar = Default calendar: <b>{ $value }</b>
settings-button-calendar = 📅 Default calendar
settings-ask-calendar = Which calendar should new events go into when you don't pick one?
settings-calendar-saved = New events go into { $calendar }.
tasks-heading = Open tasks
tasks-empty = No open tasks.
tasks-hint = To add one, write e.g. <i>todo buy milk</i> or <i>remind me to call Anna on friday</i>.
tasks-due = due { $when }
tasks-due-line = Due: { $when }
tasks-done = Done: { $title }
tasks-reopened = Open again: { $title }
tasks-deleted = Deleted: { $title }
task-added = Task added: <b>{ $title }</b>
task-no-title = What is the task? Try e.g. <i>todo buy milk</i>.
task-title-too-long = A task title has at most { $max } characters.
task-no-calendar = None of your calendars holds tasks. Add one that does in your calendar app, then try again.
button-undo = ↩️ Undo
button-task-done = ✓ Done
button-delete = 🗑 Delete

## Sharing calendars (issue 14)
command-share = Share a calendar with someone
help-share = /share — share a calendar with someone who uses this bot, to read or to change; answer invitations here too
share-pick-calendar = Which calendar do you want to share?
share-how = Share <b>{ $calendar }</b>: send me a contact or the @username of someone who has started this bot (they can read it; tap ✏️ afterwards to let them change it), or make an invite link for one person.
share-list-heading = Shared with:
share-list-line = • { $person } — { $access }{ $pending }
share-pending-mark = , not answered yet
share-link-unopened = an invite link nobody has opened yet
share-button-link-read = 🔗 Invite link: read
share-button-link-write = 🔗 Invite link: read & change
share-button-allow-write = ✏️ { $person }: allow changes
share-button-read-only = 👀 { $person }: read only
share-button-stop = ✖️ Stop sharing with { $person }
share-link-made = Send this link to one person. Whoever opens it first is invited to <b>{ $calendar }</b> ({ $access }):
    { $link }
share-offered = 📨 I've invited { $person } to <b>{ $calendar }</b> ({ $access }). It appears for them once they accept.
share-access-read = read only
share-access-write = can change events
share-access-changed = { $person } — { $access } in <b>{ $calendar }</b>.
share-revoked-owner = Stopped sharing <b>{ $calendar }</b> with { $person }.
share-not-a-user = That contact is not on Telegram, so I can't share with them. Send an invite link instead.
share-notice-offered = 📅 { $person } shared the calendar <b>{ $calendar }</b> with you ({ $access }).
share-notice-accepted = ✅ { $person } accepted <b>{ $calendar }</b>.
share-notice-declined = { $person } declined <b>{ $calendar }</b>.
share-notice-left = { $person } left <b>{ $calendar }</b>.
share-notice-revoked = { $person } stopped sharing <b>{ $calendar }</b> with you.
share-button-accept = ✅ Accept
share-button-decline = Decline
share-accepted = ✅ <b>{ $calendar }</b> is in your calendars now: in /today and /week, the web app and your calendar apps.
share-declined = Declined <b>{ $calendar }</b>.

## Group calendars (issue 14 item 2)
command-groupcalendar = This group's calendar: make it or show it
command-group-help = What I do in a group
group-hello = 👋 Hi! I keep calendars. Send /groupcalendar to give this group one: everyone here who has started me sees it beside their own calendars, and I'll tell the group about new events and remind it before they start.
group-help = In a group I keep the group's calendar: /groupcalendar makes it or shows it, /today, /tomorrow and /week show what's on. Everything else happens in a private chat with me.
group-none = This group has no calendar yet. Send /groupcalendar to make one.
group-card-made = ✅ This group has a calendar now: <b>{ $calendar }</b>.
group-card-shown = 📅 This group's calendar: <b>{ $calendar }</b>.
group-card-back = 👋 I'm back. This group's calendar <b>{ $calendar }</b> is still here: tap ➕ to add it to your calendars again.
group-card-how = Everyone here who has started me finds it beside their own calendars: in /today and /week in a private chat with me, in the web app and in their calendar apps. Tap ➕ if you don't have it yet.
group-card-access-write = Members can add and change events.
group-card-access-read = Members can see the events; the group's admins add and change them.
group-card-tells = I tell this group about new and changed events and remind it before they start; /today and /week here show what's on.
group-card-members = Members with the calendar: { $count }
group-button-join = ➕ Add to my calendars
group-button-read = 👀 Members: read only
group-button-write = ✏️ Members: can change events
group-joined-toast = “{ $calendar }” is in your calendars now.
group-already-toast = You have this calendar already.
group-not-member-toast = Only members of this group can add its calendar.
group-not-admin-toast = Only the group's admins can change that.
group-access-toast-read = Members can only see the events now.
group-access-toast-write = Members can add and change events now.
group-joined = ✅ <b>{ $calendar }</b>, your group's calendar, is in your calendars now: in /today and /week, the web app and your calendar apps.
group-link-unknown = That group has no calendar (any more).
group-link-not-member = Only members of the group can add <b>{ $calendar }</b>; join the group first.
group-someone = Someone
group-told-heading = Changes in <b>{ $calendar }</b>:
group-told-created = { $person } added { $event }
group-told-modified = { $person } changed { $event }
group-told-deleted = { $person } cancelled { $event }
group-told-more = …and { $count } more.

## Invitations (issue 14 item 3)
invitation-invited = 📨 { $person } invites you to { $event }.
invitation-changed = ✏️ { $person } changed { $event }. Still coming?
invitation-cancelled = ✖️ { $person } cancelled { $event }.
invitation-answered-accepted = ✅ { $person } accepted { $event }.
invitation-answered-tentative = 🤔 { $person } might come to { $event }.
invitation-answered-declined = { $person } declined { $event }.
invitation-button-accepted = ✅ Accept
invitation-button-tentative = 🤔 Maybe
invitation-button-declined = Decline
invitation-you-accepted = ✅ You accepted { $event }: it is in your calendar.
invitation-you-tentative = 🤔 You said maybe to { $event }: it is in your calendar, marked tentative.
invitation-you-declined = You declined { $event }.
edit-button-invite = 👥 Invite people
invite-how = Who should come to { $event }? Send me a contact, the @username of someone who uses this bot, or an e-mail address. They get an invitation to accept or decline.
invite-done = 📨 Invited { $person } to { $event }. I'll tell you what they answer.
invite-contact-not-on-telegram = That contact is not on Telegram: send their e-mail address instead.
invite-not-understood = Send a contact, an @username or an e-mail address — or another command to stop inviting.
