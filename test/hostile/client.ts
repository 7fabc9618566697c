import type { LiveServer } from './live-server.ts';
import { type Answer, send } from './probe.ts';

// The suite's user-side moves: accounts made with the CLI as an operator would, CalDAV with a
// device password, REST with a web session from a login link.

export interface Account {
  userId: number;
  authorization: string;
  /** The calendar collection's path, e.g. /calendars/1001/default/. */
  calendarPath: string;
}

function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? '';
}

/** `televent user create` and `device add` (the password is the last line printed). */
export async function createAccount(
  server: LiveServer,
  userId: number,
  deviceName: string,
): Promise<Account> {
  const user = await server.cli([
    'user',
    'create',
    '--telegram-id',
    String(userId),
    '--timezone',
    'Europe/Berlin',
  ]);
  if (user.code !== 0) throw new Error(`user create ${userId} failed: ${user.stderr}`);
  const device = await server.cli(['device', 'add', '--telegram-id', String(userId), '--name', deviceName]);
  if (device.code !== 0) throw new Error(`device add ${userId} failed: ${device.stderr}`);
  const password = lastLine(device.stdout);
  const authorization = `Basic ${Buffer.from(`${userId}:${password}`).toString('base64')}`;
  return { userId, authorization, calendarPath: await findCalendarPath(server, userId, authorization) };
}

/** The first calendar collection in the user's home (RFC 4791 §6.2.1), found as a client would. */
async function findCalendarPath(server: LiveServer, userId: number, authorization: string): Promise<string> {
  const home = `/calendars/${userId}/`;
  const answer = await send(`${server.baseUrl}${home}`, {
    method: 'PROPFIND',
    headers: { authorization, depth: '1', 'content-type': 'application/xml; charset=utf-8' },
    body: '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/></d:prop></d:propfind>',
  });
  const hrefs = [...answer.body.matchAll(/<(?:\w+:)?href>([^<]+)<\/(?:\w+:)?href>/gi)].map((m) => m[1] ?? '');
  const calendarPath = hrefs.find((href) => href !== home && href.startsWith(home));
  if (!calendarPath)
    throw new Error(`no calendar under ${home}: ${answer.status} ${answer.body.slice(0, 500)}`);
  return calendarPath;
}

/** A web session for `userId`: `televent login-link`, then the link opened without following its redirect. */
export async function signIn(server: LiveServer, userId: number): Promise<string> {
  const link = await server.cli(['login-link', '--telegram-id', String(userId)]);
  if (link.code !== 0) throw new Error(`login-link failed: ${link.stderr}`);
  const path = new URL(lastLine(link.stdout)).pathname;
  const answer = await send(`${server.baseUrl}${path}`, { method: 'GET' });
  const cookie = answer.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] ?? '')
    .find((c) => c.startsWith('televent_session='));
  if (!cookie) throw new Error(`no session cookie from the login link (${answer.status})`);
  return cookie;
}

export function objectPath(account: Account, name: string): string {
  return `${account.calendarPath}${encodeURIComponent(name)}`;
}

export function putObject(server: LiveServer, account: Account, name: string, ics: string): Promise<Answer> {
  return send(`${server.baseUrl}${objectPath(account, name)}`, {
    method: 'PUT',
    headers: { authorization: account.authorization, 'content-type': 'text/calendar; charset=utf-8' },
    body: ics,
  });
}

export function getObject(server: LiveServer, account: Account, name: string): Promise<Answer> {
  return send(`${server.baseUrl}${objectPath(account, name)}`, {
    method: 'GET',
    headers: { authorization: account.authorization },
  });
}

/** A DAV request with an XML body (PROPFIND, REPORT). */
export function davRequest(
  server: LiveServer,
  account: Account,
  request: { method: string; path: string; depth: string; body: string },
): Promise<Answer> {
  return send(`${server.baseUrl}${request.path}`, {
    method: request.method,
    headers: {
      authorization: account.authorization,
      depth: request.depth,
      'content-type': 'application/xml; charset=utf-8',
    },
    body: request.body,
  });
}

/** A REST call with the session cookie; unsafe methods carry the same-origin Origin header. */
export function restCall(
  server: LiveServer,
  cookie: string,
  request: { method: string; path: string; body?: unknown },
): Promise<Answer> {
  const headers: Record<string, string> = { cookie };
  if (request.method !== 'GET') headers.origin = server.baseUrl;
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  return send(`${server.baseUrl}${request.path}`, {
    method: request.method,
    headers,
    ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
  });
}
