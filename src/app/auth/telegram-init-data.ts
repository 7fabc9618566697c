import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../errors.ts';

/** The Telegram account a sign-in proved, in our own field names. */
export interface TelegramUser {
  id: number;
  username?: string;
  firstName?: string;
  lastName?: string;
  languageCode?: string;
  photoUrl?: string;
}

/** What a verified Mini App `initData` tells us. */
export interface TelegramInitData {
  user: TelegramUser;
  authDate: Date;
  queryId?: string;
  startParam?: string;
}

export interface AuthDateOptions {
  maxAgeSeconds: number;
  now?: Date;
}

/** Values a signer may put into initData; objects (the `user` field) are sent as JSON. */
export type InitDataFields = Readonly<Record<string, string | number | Readonly<Record<string, unknown>>>>;

// https://core.telegram.org/bots/webapps#webappuser: extra fields (is_premium, photo_url…) are allowed.
const webAppUserSchema = z.object({
  id: z.number().int().positive(),
  username: z.string().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  language_code: z.string().optional(),
  photo_url: z.string().optional(),
});

const hexSha256 = /^[0-9a-f]{64}$/i;

/** Clocks of phones and servers drift; a signature dated slightly ahead of us is still believable. */
const allowedFutureSkewSeconds = 60;

/**
 * Verifies `Telegram.WebApp.initData` as https://core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app
 * describes it: secret_key = HMAC-SHA256(key "WebAppData", bot_token); hash = hex HMAC-SHA256(secret_key,
 * data-check-string), where the data-check-string is every received field except `hash` (so `signature`,
 * the Ed25519 third-party signature, is part of it), sorted by key, as `key=value` joined by "\n".
 */
export function verifyInitData(
  initData: string,
  botToken: string,
  options: AuthDateOptions,
): TelegramInitData {
  const fields = readFields(initData);
  const hash = fields.get('hash');
  if (hash === undefined || hash === '') throw invalid('The Telegram sign-in data carries no hash.');
  fields.delete('hash');
  if (!matchesHash(hash, initDataHash(fields, botToken))) {
    throw invalid('The Telegram sign-in data does not carry a valid signature.');
  }
  // Dates are checked only after the signature, so "expired" is only ever said of genuine data.
  const authDate = checkAuthDate(fields.get('auth_date'), options);

  const userJson = fields.get('user');
  if (userJson === undefined) throw invalid('The Telegram sign-in data names no user.');
  const user = parseUser(userJson);
  const queryId = fields.get('query_id');
  const startParam = fields.get('start_param');
  return {
    user,
    authDate,
    ...(queryId === undefined ? {} : { queryId }),
    ...(startParam === undefined ? {} : { startParam }),
  };
}

/** Produces initData as a Telegram client would receive it; for tests and the local Telegram emulator. */
export function signInitData(fields: InitDataFields, botToken: string): string {
  const values = new Map<string, string>();
  for (const [key, value] of Object.entries(fields)) {
    values.set(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  values.delete('hash');
  const params = new URLSearchParams([...values]);
  params.set('hash', initDataHash(values, botToken).toString('hex'));
  return params.toString();
}

/** The sorted `key=value` lines both Telegram schemes sign. */
export function dataCheckString(fields: ReadonlyMap<string, string>): string {
  // Plain code-unit order, as Telegram sorts; localeCompare would depend on the process locale.
  return [...fields]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');
}

/** Compares a received hex digest with the expected bytes without leaking where they differ. */
export function matchesHash(receivedHex: string, expected: Buffer): boolean {
  if (!hexSha256.test(receivedHex)) return false;
  const received = Buffer.from(receivedHex, 'hex');
  return received.length === expected.length && timingSafeEqual(received, expected);
}

/**
 * Reads `auth_date` (Unix seconds) and refuses data older than `maxAgeSeconds` (replay of a stolen
 * sign-in) or dated more than a minute in the future (not something Telegram signed for now).
 */
export function checkAuthDate(raw: string | undefined, options: AuthDateOptions): Date {
  if (raw === undefined || !/^\d{1,12}$/.test(raw))
    throw invalid('The Telegram sign-in data has no valid auth_date.');
  const authSeconds = Number(raw);
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (authSeconds - nowSeconds > allowedFutureSkewSeconds) {
    throw invalid('The Telegram sign-in data is dated in the future.');
  }
  if (nowSeconds - authSeconds > options.maxAgeSeconds) throw new AppError('expired-init-data');
  return new Date(authSeconds * 1000);
}

function initDataHash(fields: ReadonlyMap<string, string>, botToken: string): Buffer {
  const secretKey = createHmac('sha256', 'WebAppData').update(botToken).digest();
  return createHmac('sha256', secretKey).update(dataCheckString(fields)).digest();
}

function readFields(initData: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(initData)) {
    // Telegram never repeats a key; a repeated one could make us sign-check one value and read another.
    if (fields.has(key)) throw invalid(`The Telegram sign-in data repeats the field ${key}.`);
    fields.set(key, value);
  }
  return fields;
}

function parseUser(json: string): TelegramUser {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new AppError('invalid-init-data', 'The Telegram sign-in data has a malformed user field.', {
      cause: error,
    });
  }
  const parsed = webAppUserSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('invalid-init-data', 'The Telegram sign-in data has a malformed user field.', {
      cause: parsed.error,
    });
  }
  const { id, username, first_name, last_name, language_code, photo_url } = parsed.data;
  return {
    id,
    ...(username === undefined ? {} : { username }),
    ...(first_name === undefined ? {} : { firstName: first_name }),
    ...(last_name === undefined ? {} : { lastName: last_name }),
    ...(language_code === undefined ? {} : { languageCode: language_code }),
    ...(photo_url === undefined ? {} : { photoUrl: photo_url }),
  };
}

function invalid(detail: string): AppError {
  return new AppError('invalid-init-data', detail);
}
