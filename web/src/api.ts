// The web app's one door to the server: every call to /api goes through here, with the Mini App's
// `Authorization: tma <initData>` when Telegram launched us, or the session cookie a login link set.
// Shapes mirror the REST contract (src/http/api/contract.ts); the web app talks HTTP only.

export interface Me {
  telegramId: number;
  username: string | null;
  firstName: string | null;
  lastName: string | null;
  timezone: string | null;
  locale: string | null;
}

export interface Occurrence {
  eventId: string;
  recurrenceId: string | null;
  /** An ISO instant, or a YYYY-MM-DD date for all-day occurrences. */
  start: string;
  end: string;
  allDay: boolean;
  summary: string | null;
  location: string | null;
  description: string | null;
  timezone: string | null;
  isRecurring: boolean;
  etag: string;
}

export interface CalendarEvent {
  id: string;
  etag: string;
  summary: string | null;
  start: string | null;
  end: string | null;
  allDay: boolean;
  timezone: string | null;
  description: string | null;
  location: string | null;
  rrule: string | null;
  reminders: number[];
}

/** What POST /api/events takes; PATCH (issue 11, item 9) will take the same fields, all optional. */
export interface EventInput {
  summary: string;
  /** A local 'YYYY-MM-DDTHH:mm' read in `timezone`, or a date for all-day events. */
  start: string;
  end: string;
  allDay: boolean;
  timezone: string;
  location: string | null;
  description: string | null;
  rrule: string | null;
  reminders: number[];
}

export interface SignInOptions {
  /** The Telegram Login Widget, when the server has a bot token. */
  telegramLogin: { botId: number } | null;
}

export interface LoginWidgetPayload {
  id: number | string;
  first_name?: string;
  last_name?: string;
  username?: string;
  photo_url?: string;
  auth_date: number | string;
  hash: string;
}

/** An RFC 9457 problem from the API: `reason` is the stable name from /problems/<reason>. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string | undefined,
    message: string,
    readonly field: string | undefined,
  ) {
    super(message);
  }
}

let telegramInitData: string | undefined;

/** From now on every call carries `Authorization: tma <initData>` (Mini App sign-in). */
export function sendTelegramInitData(initData: string | undefined): void {
  telegramInitData = initData;
}

async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const all: Record<string, string> = { accept: 'application/json', ...headers };
  if (telegramInitData) all.authorization = `tma ${telegramInitData}`;
  if (body !== undefined) all['content-type'] = 'application/json';
  const response = await fetch(`/api${path}`, {
    method,
    headers: all,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (!response.ok) throw await problemOf(response);
  if (response.status === 204) return { body: undefined as T, etag: response.headers.get('etag') };
  return { body: (await response.json()) as T, etag: response.headers.get('etag') };
}

async function problemOf(response: Response): Promise<ApiError> {
  try {
    const problem = (await response.json()) as {
      type?: string;
      detail?: string;
      title?: string;
      field?: string;
    };
    const reason = problem.type?.startsWith('/problems/')
      ? problem.type.slice('/problems/'.length)
      : undefined;
    return new ApiError(
      response.status,
      reason,
      problem.detail ?? problem.title ?? response.statusText,
      problem.field,
    );
  } catch {
    return new ApiError(response.status, undefined, response.statusText, undefined);
  }
}

export const api = {
  async signInOptions(): Promise<SignInOptions> {
    return (await request<SignInOptions>('GET', '/auth/options')).body;
  },
  async signInWithTelegramWidget(payload: LoginWidgetPayload): Promise<Me> {
    return (await request<Me>('POST', '/auth/telegram-login', payload)).body;
  },
  async signOut(): Promise<void> {
    await request<undefined>('POST', '/auth/logout');
  },
  async me(): Promise<Me> {
    return (await request<Me>('GET', '/me')).body;
  },
  /**
   * Occurrences overlapping [start, end), recurring events expanded by the server; the bounds are
   * ISO instants with an offset, or local date-times the server reads in the user's time zone.
   */
  async occurrences(start: string, end: string): Promise<{ occurrences: Occurrence[]; truncated: boolean }> {
    const query = new URLSearchParams({ start, end });
    return (
      await request<{ occurrences: Occurrence[]; truncated: boolean }>('GET', `/events?${query.toString()}`)
    ).body;
  },
  async preferences(): Promise<{ defaultReminderMinutes: number }> {
    return (await request<{ defaultReminderMinutes: number }>('GET', '/preferences')).body;
  },
  async event(id: string): Promise<CalendarEvent> {
    return (await request<CalendarEvent>('GET', `/events/${encodeURIComponent(id)}`)).body;
  },
  async createEvent(input: EventInput): Promise<CalendarEvent> {
    return (await request<CalendarEvent>('POST', '/events', input)).body;
  },
  /** Deletes the whole event (every occurrence); `etag` makes it conditional (412 if changed). */
  async deleteEvent(id: string, etag?: string): Promise<void> {
    await request<undefined>(
      'DELETE',
      `/events/${encodeURIComponent(id)}`,
      undefined,
      etag ? { 'if-match': etag } : {},
    );
  },
};
