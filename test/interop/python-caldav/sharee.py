"""A sharee's view of a shared calendar through Debian's python3-caldav; prints one JSON object.

Usage: sharee.py URL USERNAME PASSWORD NAME UID. Finds the calendar called NAME in the user's own
calendar home, lists its events and tries to add one with UID; python-caldav-sharing.test.ts asserts.
"""
import json
import sys

import caldav

url, username, password, name, uid = sys.argv[1:6]
out = {}

principal = caldav.DAVClient(url=url, username=username, password=password).principal()
calendars = {c.name: c for c in principal.calendars()}
out["calendar_names"] = sorted(n for n in calendars if n)
shared = calendars.get(name)
out["shared_url"] = str(shared.url) if shared else None
if shared:
    out["summaries"] = sorted(str(e.vobject_instance.vevent.summary.value) for e in shared.events())
    try:
        shared.save_event("\r\n".join([
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//python-caldav interop//EN",
            "BEGIN:VEVENT",
            f"UID:{uid}",
            "DTSTAMP:20260101T000000Z",
            "DTSTART:20260312T090000Z",
            "DTEND:20260312T100000Z",
            "SUMMARY:Added by the sharee",
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]))
        out["write"] = "stored"
    except Exception as error:  # python-caldav raises PutError / AuthorizationError on a 403
        out["write"] = "refused: " + type(error).__name__
print(json.dumps(out))
