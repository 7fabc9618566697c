"""Drives Televent with Debian's python3-caldav and prints what it saw as one JSON object.

Usage: flow.py URL USERNAME PASSWORD. The vitest file python-caldav.test.ts asserts on the output.
"""
import json
import sys
from datetime import datetime, timezone

import caldav
from caldav.elements import dav, ical

url, username, password = sys.argv[1:4]
out = {}

client = caldav.DAVClient(url=url, username=username, password=password)
principal = client.principal()
out["principal"] = str(principal.url)
calendars = principal.calendars()
out["calendars"] = [str(c.url) for c in calendars]
calendar = calendars[0]

WEEKLY = "\r\n".join([
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//python-caldav interop//EN",
    "BEGIN:VEVENT",
    "UID:py-weekly-1",
    "DTSTAMP:20260101T000000Z",
    "DTSTART;TZID=Europe/Berlin:20260302T090000",
    "DTEND;TZID=Europe/Berlin:20260302T100000",
    "RRULE:FREQ=WEEKLY;COUNT=6",
    "EXDATE;TZID=Europe/Berlin:20260309T090000",
    "SUMMARY:Weekly",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:py-weekly-1",
    "DTSTAMP:20260101T000000Z",
    "RECURRENCE-ID;TZID=Europe/Berlin:20260316T090000",
    "DTSTART;TZID=Europe/Berlin:20260318T140000",
    "DTEND;TZID=Europe/Berlin:20260318T150000",
    "SUMMARY:Weekly (moved)",
    "END:VEVENT",
    "END:VCALENDAR",
    "",
])

initial = calendar.objects_by_sync_token(load_objects=True)
token0 = initial.sync_token
out["initial_count"] = len(list(initial))

event = calendar.save_event(WEEKLY)
out["created_url"] = str(event.url)
# python-caldav re-serialises the text before its PUT (icalendar reorders properties); what it
# sent is what it holds now, and a fresh GET must return exactly that.
sent = event.data
event.load()
out["round_trip_identical"] = event.data == sent

found = calendar.search(
    start=datetime(2026, 3, 1, tzinfo=timezone.utc),
    end=datetime(2026, 3, 25, tzinfo=timezone.utc),
    event=True,
    expand=True,
)
starts = []
for item in found:
    for component in item.icalendar_instance.walk("VEVENT"):
        starts.append(component["DTSTART"].dt.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ"))
out["expanded_starts"] = sorted(starts)

event.data = event.data.replace("SUMMARY:Weekly\r\n", "SUMMARY:Weekly (renamed)\r\n").replace(
    "SUMMARY:Weekly\n", "SUMMARY:Weekly (renamed)\n"
)
event.save()
after_change = calendar.objects_by_sync_token(sync_token=token0, load_objects=True)
token1 = after_change.sync_token
out["changed_urls"] = sorted(str(o.url) for o in after_change)
out["changed_summary"] = [o.icalendar_instance.walk("VEVENT")[0]["SUMMARY"] for o in after_change]

event.delete()
after_delete = calendar.objects_by_sync_token(sync_token=token1, load_objects=False)
out["deleted_urls"] = sorted(str(o.url) for o in after_delete)
out["tokens_differ"] = len({token0, token1, after_delete.sync_token}) == 3

# A second calendar with an event and tasks, synced apart from the first (issue 13 item 6).
default_token = calendar.objects_by_sync_token().sync_token
work = principal.make_calendar(
    name="Py Work", cal_id="py-work", supported_calendar_component_set=["VEVENT", "VTODO"]
)
out["work_url"] = str(work.url)
out["work_components"] = sorted(work.get_supported_components())
work.set_properties([dav.DisplayName("Py Job"), ical.CalendarColor("#AA3300FF")])
out["work_name"] = work.get_display_name()
out["work_color"] = work.get_property(ical.CalendarColor())
work_token0 = work.objects_by_sync_token().sync_token


def todo_text(uid, summary, lines):
    return "\r\n".join(
        ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//python-caldav interop//EN", "BEGIN:VTODO",
         "UID:" + uid, "DTSTAMP:20260101T000000Z", "SUMMARY:" + summary]
        + lines
        + ["END:VTODO", "END:VCALENDAR", ""]
    )


work.save_event("\r\n".join([
    "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//python-caldav interop//EN", "BEGIN:VEVENT",
    "UID:py-work-event", "DTSTAMP:20260101T000000Z", "DTSTART:20260311T090000Z",
    "DTEND:20260311T100000Z", "SUMMARY:Stand-up", "END:VEVENT", "END:VCALENDAR", "",
]))
task = work.save_todo(todo_text("py-task", "Send the report", ["DUE:20260312T170000Z", "STATUS:NEEDS-ACTION"]))
work.save_todo(todo_text("py-done", "Book a room", [
    "STATUS:COMPLETED", "COMPLETED:20260309T080000Z", "PERCENT-COMPLETE:100",
]))
out["open_todos"] = sorted(str(t.icalendar_component["SUMMARY"]) for t in work.todos())
out["all_todos"] = sorted(str(t.icalendar_component["SUMMARY"]) for t in work.todos(include_completed=True))
work_sync = work.objects_by_sync_token(sync_token=work_token0, load_objects=False)
out["work_synced"] = sorted(str(o.url).rsplit("/", 1)[-1] for o in work_sync)
default_sync = calendar.objects_by_sync_token(sync_token=default_token, load_objects=False)
out["default_synced"] = sorted(str(o.url) for o in default_sync)
out["sync_tokens_apart"] = work_sync.sync_token not in (default_token, default_sync.sync_token)

task.complete(completion_timestamp=datetime(2026, 3, 11, 8, 0, tzinfo=timezone.utc))
out["open_todos_after_complete"] = sorted(str(t.icalendar_component["SUMMARY"]) for t in work.todos())
after_complete = work.objects_by_sync_token(sync_token=work_sync.sync_token, load_objects=True)
out["completed_sync"] = [
    [str(o.url).rsplit("/", 1)[-1], str(o.icalendar_component.get("STATUS"))] for o in after_complete
]

work.delete()
out["calendars_after_delete"] = [str(c.url) for c in principal.calendars()]
out["default_token_kept"] = calendar.objects_by_sync_token().sync_token == default_sync.sync_token

print(json.dumps(out))
