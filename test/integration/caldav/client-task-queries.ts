// The calendar-query bodies real task clients send for VTODOs (RFC 4791 §7.8.9), kept byte for byte
// apart from the time range, so the tests run exactly what the clients send.

/**
 * Thunderbird/Lightning (calendar/providers/caldav, getItems with ITEM_FILTER_COMPLETED_NO and a
 * range): open tasks in the shown range. The COMPLETED prop-filter comes before the time-range,
 * in the default CalDAV namespace.
 */
export function thunderbirdOpenTasksInRange(start: string, end: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<calendar-query xmlns:D="DAV:" xmlns="urn:ietf:params:xml:ns:caldav">
  <D:prop>
    <D:getetag/>
    <calendar-data/>
  </D:prop>
  <filter>
    <comp-filter name="VCALENDAR">
      <comp-filter name="VTODO">
        <prop-filter name="COMPLETED">
          <is-not-defined/>
        </prop-filter>
        <time-range start="${start}" end="${end}"/>
      </comp-filter>
    </comp-filter>
  </filter>
</calendar-query>`;
}

/**
 * python-caldav's todo search without completed ones (search.py, `ignore_completed1`, "in line with
 * RFC 4791 section 7.8.9"): COMPLETED not defined, STATUS neither COMPLETED nor CANCELLED. A
 * prop-filter with a text-match needs the property (§9.7.2), so a task without STATUS is not
 * matched; python-caldav's `ignore_completed2` query covers those.
 */
export const pythonCaldavOpenTasks = `<?xml version='1.0' encoding='utf-8'?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:calendar-data/></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VTODO"><C:prop-filter name="COMPLETED"><C:is-not-defined/></C:prop-filter><C:prop-filter name="STATUS"><C:text-match negate-condition="yes">COMPLETED</C:text-match></C:prop-filter><C:prop-filter name="STATUS"><C:text-match negate-condition="yes">CANCELLED</C:text-match></C:prop-filter></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`;

/**
 * DAVx5 for tasks.org and jtx Board, when the calendar has no sync-collection (dav4jvm
 * `calendarQuery("VTODO", start, end)`): every VTODO, or those in a range.
 */
export function davx5Tasks(range?: { start: string; end?: string }): string {
  const timeRange = range
    ? `<CAL:time-range start="${range.start}"${range.end ? ` end="${range.end}"` : ''}/>`
    : '';
  return `<?xml version='1.0' encoding='UTF-8' ?><CAL:calendar-query xmlns="DAV:" xmlns:CAL="urn:ietf:params:xml:ns:caldav"><prop><getetag /></prop><CAL:filter><CAL:comp-filter name="VCALENDAR"><CAL:comp-filter name="VTODO">${timeRange}</CAL:comp-filter></CAL:comp-filter></CAL:filter></CAL:calendar-query>`;
}
