import { z } from 'zod';

// Request and response shapes of calendar sharing (issue 14 item 1).

const access = z
  .enum(['read', 'write'])
  .describe('read: see the events; write: also add, change and delete them');

const person = z.object({ telegramId: z.number(), name: z.string() });

export const shareOutput = z.object({
  id: z.string(),
  calendarId: z.string(),
  calendarName: z.string(),
  calendarColor: z.string().nullable(),
  owner: person,
  sharee: person.nullable().describe('null while an invite link is not yet opened'),
  access,
  status: z.enum(['pending', 'accepted']),
  createdAt: z.string(),
  acceptedAt: z.string().nullable(),
});

export const shareListOutput = z.object({ shares: z.array(shareOutput) });

/** POST /api/calendars/:id/shares: a Telegram id (e.g. from a shared contact) or an @username, and the access. */
export const shareInput = z
  .object({
    telegramId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
    username: z
      .string()
      .regex(/^@?[A-Za-z0-9_]{5,32}$/, 'must be a Telegram @username')
      .transform((name) => name.replace(/^@/, ''))
      .optional(),
    access,
  })
  .strict()
  .refine((body) => (body.telegramId === undefined) !== (body.username === undefined), {
    message: 'give either telegramId or username',
  });

export const sharePatch = z.object({ access }).strict();

export const inviteInput = z.object({ access }).strict();

export const inviteOutput = z.object({
  share: shareOutput,
  /** Open the bot with this /start parameter to get the invitation: t.me/<bot>?start=<startParameter>. */
  startParameter: z.string(),
});

export const calendarShareParams = z.object({
  id: z.string().min(1).max(64),
  shareId: z.string().min(1).max(64),
});
