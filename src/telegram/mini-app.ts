/**
 * Where Telegram opens the Mini App (the web app at /app/), or null when PUBLIC_URL is not https:
 * Telegram accepts only https addresses for Web App buttons and the menu button
 * (https://core.telegram.org/bots/api#webappinfo), so without one the bot keeps plain links and
 * callback buttons.
 */
export function miniAppUrl(publicUrl: string | undefined): string | null {
  if (!publicUrl?.startsWith('https://')) return null;
  return new URL('/app/', publicUrl).toString();
}

/**
 * The Mini App opened on one occurrence of an event. The query string carries it because Telegram
 * puts its own launch parameters (tgWebAppData…) in the hash; web/src/event-link.ts reads it back.
 */
export function miniAppEventUrl(appUrl: string, eventId: string, occurrenceStart: Date): string {
  const url = new URL(appUrl);
  url.searchParams.set('event', eventId);
  url.searchParams.set('at', occurrenceStart.toISOString());
  return url.toString();
}
