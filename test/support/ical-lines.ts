/** iCalendar text with folded lines joined again (RFC 5545 §3.1), so a property reads as one line. */
export function unfold(text: string | undefined): string {
  return (text ?? '').replace(/\r?\n[ \t]/g, '');
}

/** The ATTENDEE line of `address` (compared without case) in an event's text, or '' when it has none. */
export function attendeeLine(text: string, address: string): string {
  return (
    unfold(text)
      .split(/\r?\n/)
      .find(
        (line) => line.startsWith('ATTENDEE') && line.toLowerCase().endsWith(`:${address.toLowerCase()}`),
      ) ?? ''
  );
}
