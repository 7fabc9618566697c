const hourMs = 3_600_000;
/** A feed's REFRESH-INTERVAL / X-PUBLISHED-TTL is clamped to [1 h, 1 day] (README "Calendar subscriptions"). */
export const minFeedRefreshMs = hourMs;
export const maxFeedRefreshMs = 24 * hourMs;

/**
 * The feed's name (X-WR-CALNAME) and how often it asks to be fetched (RFC 7986 §5.7
 * REFRESH-INTERVAL, or the older X-PUBLISHED-TTL), clamped to [1 h, 1 day].
 */
export function readFeedSettings(properties: readonly string[]): {
  name: string | null;
  refreshSeconds: number | null;
} {
  const propertyValue = (name: string) => {
    const line = properties.find(
      (p) => p.toUpperCase().startsWith(`${name}:`) || p.toUpperCase().startsWith(`${name};`),
    );
    const value = line?.slice(line.indexOf(':') + 1).trim();
    return value === undefined || value === '' ? null : value;
  };
  const rawName = propertyValue('X-WR-CALNAME');
  const name =
    rawName === null
      ? null
      : rawName
          .replace(/\\([,;\\])/g, '$1')
          .replace(/\\n/gi, ' ')
          .slice(0, 200);
  const interval = propertyValue('REFRESH-INTERVAL') ?? propertyValue('X-PUBLISHED-TTL');
  const ms = interval === null ? null : durationMs(interval);
  const refreshSeconds =
    ms === null ? null : Math.round(Math.min(Math.max(ms, minFeedRefreshMs), maxFeedRefreshMs) / 1000);
  return { name: name?.trim() ? name.trim() : null, refreshSeconds };
}

/** An RFC 5545 §3.3.6 duration (P1W, PT6H, P1DT12H) in milliseconds, or null. */
function durationMs(text: string): number | null {
  const match = /^\+?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i.exec(text);
  if (!match || text.toUpperCase().endsWith('P') || text.toUpperCase().endsWith('T')) return null;
  const [, w = '0', d = '0', h = '0', m = '0', s = '0'] = match;
  return ((Number(w) * 7 + Number(d)) * 86_400 + Number(h) * 3600 + Number(m) * 60 + Number(s)) * 1000;
}
