"""One step of an invitation through Debian's python3-caldav; prints one JSON object.

Usage: invitation.py URL USERNAME PASSWORD ACTION UID [ARGUMENT]. ACTION is
  invite ADDRESS   store an event in the first calendar, organised by the user's own first
                   calendar-user address (as the server advertises it) and inviting ADDRESS;
  show             the event with UID in the first calendar, and each attendee's PARTSTAT;
  answer PARTSTAT  set the user's own PARTSTAT in their copy of the event and save it;
  delete           delete the event.
python-caldav-invitations.test.ts asserts on the output.
"""
import json
import sys

import caldav

url, username, password, action, uid = sys.argv[1:6]
argument = sys.argv[6] if len(sys.argv) > 6 else None
out = {}

principal = caldav.DAVClient(url=url, username=username, password=password).principal()
own_address = str(principal.calendar_user_address_set()[0])
out["own_address"] = own_address
calendar = principal.calendars()[0]


def find():
    try:
        return calendar.event_by_uid(uid)
    except caldav.error.NotFoundError:
        return None


if action == "invite":
    calendar.save_event("\r\n".join([
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//python-caldav interop//EN",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        "DTSTAMP:20260101T000000Z",
        "DTSTART:20260315T150000Z",
        "DTEND:20260315T160000Z",
        "SUMMARY:Planning",
        f"ORGANIZER:{own_address}",
        f"ATTENDEE;PARTSTAT=ACCEPTED:{own_address}",
        f"ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:{argument}",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]))
    out["stored"] = True
elif action == "show":
    event = find()
    out["found"] = event is not None
    if event is not None:
        vevent = event.vobject_instance.vevent
        out["summary"] = str(vevent.summary.value)
        out["partstats"] = {
            str(a.value).lower(): a.params.get("PARTSTAT", ["NEEDS-ACTION"])[0]
            for a in vevent.contents.get("attendee", [])
        }
elif action == "answer":
    event = find()
    vevent = event.vobject_instance.vevent
    for attendee in vevent.contents.get("attendee", []):
        if str(attendee.value).lower() == own_address.lower():
            attendee.params["PARTSTAT"] = [argument]
    event.save()
    out["answered"] = argument
elif action == "delete":
    find().delete()
    out["deleted"] = True
print(json.dumps(out))
