import { createHash, createHmac } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import {
  type AuthDateOptions,
  checkAuthDate,
  dataCheckString,
  matchesHash,
  type TelegramUser,
} from './telegram-init-data.ts';

/** What a verified Telegram Login Widget callback tells us. */
export interface TelegramLoginWidgetData {
  user: TelegramUser;
  authDate: Date;
}

/** The widget's callback: the query parameters of data-auth-url, or the object given to data-onauth. */
export type LoginWidgetPayload = Readonly<Record<string, string | number>>;

// https://core.telegram.org/widgets/login#receiving-authorization-data
const widgetUserSchema = z.object({
  id: z.coerce.number().int().positive(),
  username: z.string().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  photo_url: z.string().optional(),
});

/**
 * Verifies a Login Widget callback as https://core.telegram.org/widgets/login#checking-authorization
 * describes it: hash = hex HMAC-SHA256(key SHA256(bot_token), data-check-string), where the
 * data-check-string is every received field except `hash`, sorted by key, as `key=value` joined by "\n".
 */
export function verifyLoginWidget(
  payload: LoginWidgetPayload,
  botToken: string,
  options: AuthDateOptions,
): TelegramLoginWidgetData {
  const fields = new Map(Object.entries(payload).map(([key, value]) => [key, String(value)]));
  const hash = fields.get('hash');
  if (hash === undefined || hash === '') throw invalid('The Telegram sign-in data carries no hash.');
  fields.delete('hash');
  if (!matchesHash(hash, loginWidgetHash(fields, botToken))) {
    throw invalid('The Telegram sign-in data does not carry a valid signature.');
  }
  const authDate = checkAuthDate(fields.get('auth_date'), options);

  const parsed = widgetUserSchema.safeParse(Object.fromEntries(fields));
  if (!parsed.success) {
    throw new AppError('invalid-init-data', 'The Telegram sign-in data has a malformed user.', {
      cause: parsed.error,
    });
  }
  const { id, username, first_name, last_name, photo_url } = parsed.data;
  return {
    user: {
      id,
      ...(username === undefined ? {} : { username }),
      ...(first_name === undefined ? {} : { firstName: first_name }),
      ...(last_name === undefined ? {} : { lastName: last_name }),
      ...(photo_url === undefined ? {} : { photoUrl: photo_url }),
    },
    authDate,
  };
}

/** Produces a callback payload as the widget would deliver it; for tests and the local emulator. */
export function signLoginWidget(
  fields: LoginWidgetPayload,
  botToken: string,
): Record<string, string | number> & { hash: string } {
  const { hash: _ignored, ...unsigned } = fields;
  const values = new Map(Object.entries(unsigned).map(([key, value]) => [key, String(value)]));
  return { ...unsigned, hash: loginWidgetHash(values, botToken).toString('hex') };
}

function loginWidgetHash(fields: ReadonlyMap<string, string>, botToken: string): Buffer {
  const secretKey = createHash('sha256').update(botToken).digest();
  return createHmac('sha256', secretKey).update(dataCheckString(fields)).digest();
}

function invalid(detail: string): AppError {
  return new AppError('invalid-init-data', detail);
}
