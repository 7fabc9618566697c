/**
 * Telegram's rules for what a bot sends, as the emulator enforces them: Bot API errors, the HTML
 * parse mode, inline keyboards and the bot_command entity of a user's text.
 */

export interface ApiFailure {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number };
}

export class ApiError extends Error {
  readonly failure: ApiFailure;
  constructor(failure: ApiFailure) {
    super(failure.description);
    this.failure = failure;
  }
}

export const badRequest = (description: string) =>
  new ApiError({ error_code: 400, description: `Bad Request: ${description}` });

const allowedTags = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'a',
  'code',
  'pre',
  'tg-spoiler',
  'span',
  'blockquote',
  'tg-emoji',
]);

/** Telegram's HTML style (https://core.telegram.org/bots/api#html-style): returns the plain text or throws. */
export function parseTelegramHtml(html: string): string {
  let plain = '';
  const open: string[] = [];
  let i = 0;
  while (i < html.length) {
    const ch = html[i];
    if (ch === '<') {
      const end = html.indexOf('>', i);
      if (end < 0) throw badRequest(`can't parse entities: unclosed start tag at byte offset ${i}`);
      const tag = html.slice(i + 1, end);
      const closing = tag.startsWith('/');
      const name = (closing ? tag.slice(1) : tag).split(/\s/)[0]?.toLowerCase() ?? '';
      if (!allowedTags.has(name)) {
        throw badRequest(`can't parse entities: Unsupported start tag "${name}" at byte offset ${i}`);
      }
      if (closing) {
        if (open.pop() !== name)
          throw badRequest(`can't parse entities: Unmatched end tag at byte offset ${i}`);
      } else {
        open.push(name);
      }
      i = end + 1;
    } else if (ch === '&') {
      const match = /^&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/i.exec(html.slice(i));
      if (!match) throw badRequest(`can't parse entities: Character entity expected at byte offset ${i}`);
      const entity = match[1]?.toLowerCase() ?? '';
      plain +=
        entity === 'lt'
          ? '<'
          : entity === 'gt'
            ? '>'
            : entity === 'amp'
              ? '&'
              : entity === 'quot'
                ? '"'
                : String.fromCodePoint(
                    entity.startsWith('#x') ? Number.parseInt(entity.slice(2), 16) : Number(entity.slice(1)),
                  );
      i += match[0].length;
    } else {
      plain += ch;
      i += 1;
    }
  }
  if (open.length > 0)
    throw badRequest(`can't parse entities: Can't find end tag corresponding to start tag "${open.at(-1)}"`);
  return plain;
}

export function checkKeyboard(markup: unknown): void {
  if (markup === undefined || markup === null) return;
  if (typeof markup !== 'object') throw badRequest("can't parse reply keyboard markup JSON object");
  const rows = (markup as { inline_keyboard?: unknown }).inline_keyboard;
  if (rows === undefined) return;
  if (!Array.isArray(rows))
    throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array');
  for (const row of rows) {
    if (!Array.isArray(row))
      throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
    for (const button of row as Array<Record<string, unknown>>) {
      if (typeof button.text !== 'string' || button.text === '')
        throw badRequest('text buttons are unallowed in the inline keyboard');
      const data = button.callback_data;
      if (data !== undefined && (typeof data !== 'string' || Buffer.byteLength(data) > 64 || data === '')) {
        throw badRequest('BUTTON_DATA_INVALID');
      }
    }
  }
}

export function commandEntities(text: string): Array<{ type: string; offset: number; length: number }> {
  const match = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
  return match ? [{ type: 'bot_command', offset: 0, length: match[0].length }] : [];
}

/** A text or caption as Telegram takes it: markup checked, length limits applied; throws like Telegram. */
export function renderText(
  text: unknown,
  parseMode: unknown,
  field = 'message text',
): { text: string; plain: string } {
  const raw = typeof text === 'string' ? text : text === undefined ? '' : String(text);
  if (raw.trim() === '' && field === 'message text') throw badRequest('message text is empty');
  const plain = parseMode === 'HTML' ? parseTelegramHtml(raw) : raw;
  if (plain.length > (field === 'message text' ? 4096 : 1024))
    throw badRequest(`${field === 'message text' ? 'message' : 'message caption'} is too long`);
  return { text: raw, plain };
}
