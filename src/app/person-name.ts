/** The name a Telegram user goes by in messages and lists: their first name, else @username, else their id. */
export function personName(firstName: string | null, username: string | null, telegramId: number): string {
  return firstName || (username ? `@${username}` : String(telegramId));
}
