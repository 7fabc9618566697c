import { InvalidDateText } from '../errors.ts';
import { type NaturalDateContext, parseNaturalDate } from './natural-date.ts';
import { utcToZoned } from './time-zone.ts';

/** When a task is due: a whole day (`YYYY-MM-DD` in the user's zone) or an instant. */
export type TaskDue = { date: string } | { at: Date };

/** A line of text that asks for a task ("todo buy milk", "remind me to call Anna on friday"). */
export interface TaskPhrase {
  /** What is left once the lead words and the date are taken out; may be empty. */
  title: string;
  due: TaskDue | null;
}

/** Longest text whose date is looked for; a longer one is not parsed (hostile input) and its title is too long. */
export const maxTaskPhraseLength = 600;

// The lead words, each with the language its date is read in. "to do: x", "todo x", "task: x".
// A bare "task x" needs its colon or dash: "Task force meeting at 3pm" is an event.
const leads: ReadonlyArray<{ pattern: RegExp; language: 'en' | 'ru' }> = [
  { pattern: /^to[\s-]?do(?:\s*[:\-–—]\s*|\s+)/iu, language: 'en' },
  { pattern: /^task\s*[:\-–—]\s*/iu, language: 'en' },
  { pattern: /^remind\s+me\s+to\s+/iu, language: 'en' },
  { pattern: /^задача(?:\s*[:\-–—]\s*|\s+)/iu, language: 'ru' },
  { pattern: /^напомни(?:те)?(?:\s+мне)?(?:\s*[:\-–—]\s*|\s+)/iu, language: 'ru' },
  { pattern: /^(?:надо|нужно)(?:\s*[:\-–—]\s*|\s+)/iu, language: 'ru' },
];

// Words that tied the date to the title ("call Anna on friday", "сдать отчёт до пятницы").
const edgeWordsEn = /^(?:\s|,|-|on|at|by|before|due)+(?=\s|$)|(?:\s|,|-|\bon|\bat|\bby|\bbefore|\bdue)+$/giu;
// \b does not see Cyrillic letters as word characters, so Russian words are bounded by spaces.
const edgeWordsRu = /^(?:\s|,|-|(?:в|во|на|до|к|ко)(?=\s|$))+|(?:\s|,|-|(?<=\s|^)(?:в|во|на|до|к|ко))+$/giu;

function tidyTitle(text: string, language: 'en' | 'ru'): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(language === 'ru' ? edgeWordsRu : edgeWordsEn, '')
    .trim();
}

/**
 * The task in a line of text, or null when the line does not start with a task's lead words (then
 * it may be an event). The due date is read with the quick-add date parser (chrono) in the user's
 * zone, in the language of the lead words; a date without a time makes a whole-day due date.
 * Text longer than maxTaskPhraseLength comes back whole as the title, unparsed, for the caller to refuse.
 */
export function parseTaskPhrase(text: string, context: NaturalDateContext): TaskPhrase | null {
  const input = text.trim();
  const lead = leads.find(({ pattern }) => pattern.test(input));
  if (!lead) return null;
  const rest = input.replace(lead.pattern, '');
  if ([...input].length > maxTaskPhraseLength) return { title: rest, due: null };
  const dateContext = { ...context, language: lead.language };
  let when: ReturnType<typeof parseNaturalDate>;
  try {
    when = parseNaturalDate(rest, dateContext);
  } catch (error) {
    if (!(error instanceof InvalidDateText)) throw error;
    return { title: tidyTitle(rest, lead.language), due: null };
  }
  const at = rest.indexOf(when.matchedText);
  const remainder = at < 0 ? rest : `${rest.slice(0, at)} ${rest.slice(at + when.matchedText.length)}`;
  const title = tidyTitle(remainder, lead.language);
  if (when.hasTime) return { title, due: { at: when.start } };
  const day = utcToZoned(when.start, context.timeZone);
  const date = `${day.year}-${String(day.month).padStart(2, '0')}-${String(day.day).padStart(2, '0')}`;
  return { title, due: { date } };
}
