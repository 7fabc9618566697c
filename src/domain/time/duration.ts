import { InvalidDateText } from '../errors.ts';

const maxMinutes = 7 * 24 * 60;

const unitMinutes: Array<[RegExp, number]> = [
  [/^(?:d|days?)$/, 24 * 60],
  [/^(?:h|hrs?|hours?)$/, 60],
  [/^(?:m|mins?|minutes?)$/, 1],
];

const part = /(\d+(?:[.,]\d+)?)\s*([a-z]+)/gy;

/**
 * Minutes in a duration a person typed: "30", "30m", "1h30m", "1.5h", "2 hours", "45 min", "1:30".
 * Anything else, zero, negative or longer than seven days is refused.
 */
export function parseDuration(text: string): number {
  const input = text.trim().toLowerCase();
  const minutes = readMinutes(input);
  if (minutes === null || !Number.isFinite(minutes) || minutes < 1 || minutes > maxMinutes) {
    throw new InvalidDateText('unparsable-duration', text);
  }
  return minutes;
}

function readMinutes(input: string): number | null {
  if (/^\d{1,5}$/.test(input)) return Number(input);
  const clock = /^(\d{1,3}):([0-5]\d)$/.exec(input);
  if (clock) return Number(clock[1]) * 60 + Number(clock[2]);

  // "1h30" reads naturally as an hour and a half.
  const compact = input
    .replace(/^(\d+)\s*h\s*(\d{1,2})$/, '$1h$2m')
    .replace(/\s*(?:,|\band\b)\s*/g, ' ')
    .replace(/\s+/g, ' ');
  let total = 0;
  let index = 0;
  part.lastIndex = 0;
  while (index < compact.length) {
    if (compact[index] === ' ') {
      index++;
      part.lastIndex = index;
      continue;
    }
    const match = part.exec(compact);
    if (!match) return null;
    const factor = unitMinutes.find(([pattern]) => pattern.test(match[2] ?? ''))?.[1];
    if (factor === undefined) return null;
    total += Number((match[1] ?? '').replace(',', '.')) * factor;
    index = part.lastIndex;
  }
  return index === 0 ? null : Math.round(total);
}
