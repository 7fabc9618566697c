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
  /** When a requested deletion will erase everything (undo until then), or null. */
  deletionScheduledFor?: string | null;
}

export interface Occurrence {
  eventId: string;
  /** The calendar it is in (absent only from an older server). */
  calendarId?: string;
  recurrenceId: string | null;
  /** An ISO instant, or a YYYY-MM-DD date for all-day occurrences. */
  start: string;
  end: string;
  allDay: boolean;
  summary: string | null;
  location: string | null;
  description: string | null;
  timezone: string | null;
  /** The series' RRULE; null for a single event. */
  rrule: string | null;
  /** Minutes before the start of each reminder. */
  reminders: number[];
  status: string | null;
  isRecurring: boolean;
  /** The whole event's ETag: sent as If-Match with every change. */
  etag: string;
}

export interface CalendarEvent {
  id: string;
  calendarId?: string;
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

/** What POST /api/events takes; PATCH takes the same fields, all optional. */
export interface EventInput {
  summary: string;
  /** POST: the calendar to create in (the default one when absent); PATCH: move the whole event. */
  calendarId?: string;
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

/** Why the last fetch of a subscribed calendar failed. */
export interface SubscriptionProblem {
  reason: string;
  message: string;
}

/** A calendar followed from an external ICS address; the worker fetches it on a schedule. */
export interface Subscription {
  url: string;
  lastFetchedAt?: string | null;
  lastSuccessAt?: string | null;
  nextFetchAt?: string | null;
  error?: SubscriptionProblem | null;
}

/**
 * One of the user's calendars (GET /api/calendars); the first is the default one. `readOnly` and
 * `subscription` come from servers that follow external feeds: absent means writable and own.
 */
export interface CalendarInfo {
  id: string;
  name: string;
  /** '#RRGGBB' or '#RRGGBBAA', or null for the app's accent colour. */
  color: string | null;
  description: string | null;
  timezone: string | null;
  caldavUrl: string;
  readOnly?: boolean;
  /** Yours, or shared with you to change its events ('write') or only to read them. */
  access?: 'owner' | 'write' | 'read';
  /** Where new events go unless another calendar is chosen (the bot's /settings, PATCH isDefault). */
  isDefault?: boolean;
  subscription?: Subscription | null;
}

/** An event you are invited to (GET /api/invitations). */
export interface EventInvitation {
  id: string;
  organizer: { telegramId: number; name: string };
  summary: string | null;
  start: string | null;
  allDay: boolean;
  answer: 'needs-action' | 'accepted' | 'tentative' | 'declined';
  calendarId: string | null;
}

/** Whom an event invites: a Televent user by @username or Telegram id, anyone else by e-mail. */
export type Invitee = { username: string } | { telegramId: number } | { email: string };

/** A calendar shared with one person (GET /api/calendars/:id/shares, GET /api/shares). */
export interface CalendarShare {
  id: string;
  calendarId: string;
  calendarName: string;
  calendarColor: string | null;
  owner: { telegramId: number; name: string };
  /** Null for an invite link nobody has opened yet. */
  sharee: { telegramId: number; name: string } | null;
  access: 'read' | 'write';
  status: 'pending' | 'accepted';
}

/** What POST /api/calendars takes: a calendar of your own, or one that follows `subscriptionUrl`. */
export interface NewCalendar {
  /** Required for a calendar of your own; a subscribed one without it is named by its feed. */
  name?: string;
  color?: string | null;
  subscriptionUrl?: string;
}

/** A calendar's secret read-only feed (POST /api/calendars/:id/feed): shown once. */
export interface CalendarFeed {
  url: string;
  webcalUrl?: string;
}

/** How far a change to one occurrence of a recurring event reaches. */
export type Scope = 'this' | 'following' | 'all';

/** Which occurrence a PATCH or DELETE is about; null for a single event (or a whole series). */
export interface OccurrenceTarget {
  recurrenceId: string | null;
  scope: Scope;
}

export interface Preferences {
  /** Minutes before (0: at the start); null: no default reminder. */
  defaultReminderMinutes: number | null;
  digestEnabled: boolean;
  /** 'HH:mm', 24-hour, in the user's zone. */
  digestTime: string;
  email: string | null;
}

export interface Device {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface NewDevice extends Device {
  /** Shown once: the server keeps only its hash. */
  password: string;
  caldav: { url: string; username: string };
}

export interface ImportReport {
  created: number;
  updated: number;
  skipped: number;
  errors: { uid?: string; reason: string; message: string }[];
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

/** The headers every call carries: the Mini App's initData, when Telegram launched us. */
export function authHeaders(): Record<string, string> {
  return telegramInitData ? { authorization: `tma ${telegramInitData}` } : {};
}

/** One call to /api; a non-2xx answer is thrown as an ApiError. */
export async function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(`/api${path}`, {
    ...init,
    headers: { ...authHeaders(), ...(init.headers as Record<string, string> | undefined) },
    credentials: 'same-origin',
  });
  if (!response.ok) throw await problemOf(response);
  return response;
}

async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const all: Record<string, string> = { accept: 'application/json', ...headers };
  if (body !== undefined) all['content-type'] = 'application/json';
  const response = await apiFetch(path, {
    method,
    headers: all,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
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
  async preferences(): Promise<Preferences> {
    return (await request<Preferences>('GET', '/preferences')).body;
  },
  async updatePreferences(change: Partial<Preferences>): Promise<Preferences> {
    return (await request<Preferences>('PATCH', '/preferences', change)).body;
  },
  async setTimeZone(timezone: string): Promise<Me> {
    return (await request<Me>('PATCH', '/me', { timezone })).body;
  },
  async event(id: string): Promise<CalendarEvent> {
    return (await request<CalendarEvent>('GET', `/events/${encodeURIComponent(id)}`)).body;
  },
  async createEvent(input: EventInput): Promise<CalendarEvent> {
    return (await request<CalendarEvent>('POST', '/events', input)).body;
  },
  /**
   * Changes an event, or occurrences of a recurring one (`target`); `etag` makes it conditional:
   * a 412 ApiError when it was changed elsewhere since.
   */
  async patchEvent(
    id: string,
    change: Partial<EventInput>,
    target: OccurrenceTarget | null,
    etag: string,
  ): Promise<CalendarEvent> {
    const body = target?.recurrenceId ? { ...change, ...target } : change;
    return (
      await request<CalendarEvent>('PATCH', `/events/${encodeURIComponent(id)}`, body, { 'if-match': etag })
    ).body;
  },
  /** Deletes an event, or occurrences of a recurring one (`target`); conditional on `etag`. */
  async deleteEvent(id: string, target: OccurrenceTarget | null, etag?: string): Promise<void> {
    const query = target?.recurrenceId
      ? `?${new URLSearchParams({ recurrenceId: target.recurrenceId, scope: target.scope }).toString()}`
      : '';
    await request<undefined>(
      'DELETE',
      `/events/${encodeURIComponent(id)}${query}`,
      undefined,
      etag ? { 'if-match': etag } : {},
    );
  },
  async calendars(): Promise<CalendarInfo[]> {
    return (await request<CalendarInfo[]>('GET', '/calendars')).body;
  },
  async createCalendar(input: NewCalendar): Promise<CalendarInfo> {
    return (await request<CalendarInfo>('POST', '/calendars', input)).body;
  },
  async updateCalendar(id: string, change: { name?: string; color?: string | null }): Promise<CalendarInfo> {
    return (await request<CalendarInfo>('PATCH', `/calendars/${encodeURIComponent(id)}`, change)).body;
  },
  /** Deletes a calendar with all its events; the server refuses the default one. */
  async deleteCalendar(id: string): Promise<void> {
    await request<undefined>('DELETE', `/calendars/${encodeURIComponent(id)}`);
  },
  /** A new secret feed address for the calendar; any earlier one stops working. */
  async createFeed(id: string): Promise<CalendarFeed> {
    return (await request<CalendarFeed>('POST', `/calendars/${encodeURIComponent(id)}/feed`)).body;
  },
  async revokeFeed(id: string): Promise<void> {
    await request<undefined>('DELETE', `/calendars/${encodeURIComponent(id)}/feed`);
  },
  async shares(calendarId: string): Promise<CalendarShare[]> {
    return (
      await request<{ shares: CalendarShare[] }>('GET', `/calendars/${encodeURIComponent(calendarId)}/shares`)
    ).body.shares;
  },
  /** Offers the calendar to someone who has started the bot, by @username or Telegram id. */
  async shareCalendar(
    calendarId: string,
    target: { username: string } | { telegramId: number },
    access: 'read' | 'write',
  ): Promise<CalendarShare> {
    const path = `/calendars/${encodeURIComponent(calendarId)}/shares`;
    return (await request<CalendarShare>('POST', path, { ...target, access })).body;
  },
  async changeShare(share: CalendarShare, access: 'read' | 'write'): Promise<CalendarShare> {
    const path = `/calendars/${encodeURIComponent(share.calendarId)}/shares/${encodeURIComponent(share.id)}`;
    return (await request<CalendarShare>('PATCH', path, { access })).body;
  },
  async revokeShare(share: CalendarShare): Promise<void> {
    const path = `/calendars/${encodeURIComponent(share.calendarId)}/shares/${encodeURIComponent(share.id)}`;
    await request<undefined>('DELETE', path);
  },
  /** Calendars shared with you: invitations and accepted ones. */
  async sharesWithMe(): Promise<CalendarShare[]> {
    return (await request<{ shares: CalendarShare[] }>('GET', '/shares')).body.shares;
  },
  /** Accepts an invitation, or with `decline` refuses it (or leaves a calendar accepted earlier). */
  async answerShare(shareId: string, answer: 'accept' | 'decline'): Promise<void> {
    await request<unknown>('POST', `/shares/${encodeURIComponent(shareId)}/${answer}`);
  },
  /** Events you are invited to and have not had cancelled. */
  async invitations(): Promise<EventInvitation[]> {
    return (await request<{ invitations: EventInvitation[] }>('GET', '/invitations')).body.invitations;
  },
  /** Answers an invitation; accepted or tentative puts the event in your calendar. */
  async answerInvitation(
    id: string,
    answer: 'accepted' | 'tentative' | 'declined',
  ): Promise<EventInvitation> {
    return (
      await request<EventInvitation>('POST', `/invitations/${encodeURIComponent(id)}/answer`, { answer })
    ).body;
  },
  /** Invites people to one of your events; each gets an invitation in Telegram or by e-mail. */
  async inviteToEvent(eventId: string, people: readonly Invitee[]): Promise<void> {
    await request<unknown>('POST', `/events/${encodeURIComponent(eventId)}/attendees`, { people });
  },
  /** Asks the server to fetch a subscribed calendar again soon (202; at most once a minute). */
  async refreshCalendar(id: string): Promise<void> {
    await apiFetch(`/calendars/${encodeURIComponent(id)}/refresh`, { method: 'POST' });
  },
  async importIcs(text: string): Promise<ImportReport> {
    const response = await apiFetch('/import', {
      method: 'POST',
      headers: { 'content-type': 'text/calendar', accept: 'application/json' },
      body: text,
    });
    return (await response.json()) as ImportReport;
  },
  async devices(): Promise<Device[]> {
    return (await request<Device[]>('GET', '/devices')).body;
  },
  async createDevice(name: string): Promise<NewDevice> {
    return (await request<NewDevice>('POST', '/devices', { name })).body;
  },
  async revokeDevice(id: string): Promise<void> {
    await request<undefined>('DELETE', `/devices/${encodeURIComponent(id)}`);
  },
  /** An Apple configuration profile for the password just created (the server keeps only its hash). */
  async appleProfile(device: { name: string; password: string }): Promise<Blob> {
    const response = await apiFetch('/devices/apple-profile', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(device),
    });
    return response.blob();
  },
  /** GET /api/export (JSON) or /api/export.ics as a file, with the caller's credentials. */
  async download(path: '/export' | '/export.ics'): Promise<Blob> {
    return (await apiFetch(path)).blob();
  },
  async account(): Promise<Me> {
    return (await request<Me>('GET', '/account')).body;
  },
  async requestDeletion(): Promise<Me> {
    return (await request<Me>('POST', '/account/deletion')).body;
  },
  async cancelDeletion(): Promise<Me> {
    return (await request<Me>('DELETE', '/account/deletion')).body;
  },
};

/** Hands a blob to the browser as a download named `fileName`. */
export function saveFile(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
