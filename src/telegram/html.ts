/** Telegram HTML parse mode needs only <, > and & escaped (https://core.telegram.org/bots/api#html-style). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Shortens user text for a list line or a button, counting code points, not UTF-16 units. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Escaped and shortened: the only way user text enters a message. */
export function userText(text: string, max = 200): string {
  return escapeHtml(truncate(text.replace(/\s+/g, ' ').trim(), max));
}
