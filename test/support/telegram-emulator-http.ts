import type { IncomingMessage, ServerResponse } from 'node:http';

/** The HTTP side of the Bot API: parameters from a query string, JSON, form or multipart body. */

export type Params = Record<string, unknown>;
export type Uploads = Map<string, { name: string; type: string; content: Buffer }>;

// Fields that stay strings even when they look like JSON (a text "42" is text, not a number).
const stringFields = new Set([
  'text',
  'caption',
  'callback_query_id',
  'url',
  'secret_token',
  'file_id',
  'parse_mode',
  'document',
]);

interface MultipartPart {
  name: string;
  filename?: string;
  type: string;
  content: Buffer;
}

/**
 * A small multipart/form-data reader (RFC 7578). Written here rather than using fetch's
 * formData() because grammY sends `filename=x.ics` unquoted, which undici rejects but
 * Telegram accepts.
 */
function parseMultipart(body: Buffer, contentType: string): MultipartPart[] {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) throw new Error('multipart body without boundary');
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const after = start + delimiter.length;
    if (body.subarray(after, after + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, after);
    if (next < 0) break;
    // The part sits between the CRLF after the delimiter and the CRLF before the next one.
    const raw = body.subarray(after + 2, next - 2);
    const headerEnd = raw.indexOf('\r\n\r\n');
    const headerText = raw.subarray(0, headerEnd).toString('utf8');
    const content = raw.subarray(headerEnd + 4);
    const disposition = /content-disposition:\s*form-data\s*;(.*)/i.exec(headerText)?.[1] ?? '';
    const name = /(?:^|;)\s*name="?([^";\r\n]+)"?/i.exec(disposition)?.[1] ?? '';
    const filename = /filename="?([^";\r\n]*)"?/i.exec(disposition)?.[1];
    const type = /content-type:\s*([^\r\n]+)/i.exec(headerText)?.[1]?.trim() ?? '';
    parts.push({
      name,
      ...(filename === undefined ? {} : { filename }),
      type,
      content: Buffer.from(content),
    });
    start = next;
  }
  return parts;
}

function coerce(key: string, value: string): unknown {
  if (stringFields.has(key)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** A method's parameters from the query string and the body (JSON, form-urlencoded or multipart). */
export async function readParams(
  req: IncomingMessage,
  url: URL,
): Promise<{ params: Params; uploads: Uploads }> {
  const params: Params = {};
  const uploads: Uploads = new Map();
  for (const [key, value] of url.searchParams) params[key] = coerce(key, value);
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  if (body.length === 0) return { params, uploads };
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('application/json')) {
    Object.assign(params, JSON.parse(body.toString('utf8')) as Params);
  } else if (type.startsWith('application/x-www-form-urlencoded')) {
    for (const [key, value] of new URLSearchParams(body.toString('utf8'))) params[key] = coerce(key, value);
  } else if (type.startsWith('multipart/form-data')) {
    for (const part of parseMultipart(body, type)) {
      if (part.filename === undefined) params[part.name] = coerce(part.name, part.content.toString('utf8'));
      else uploads.set(part.name, { name: part.filename, type: part.type, content: part.content });
    }
  }
  return { params, uploads };
}

/** A Bot API answer: 200 with `ok: true`, or the error's code. */
export function replyJson(res: ServerResponse, body: Params): void {
  const status = body.ok === true ? 200 : Number(body.error_code ?? 500);
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
