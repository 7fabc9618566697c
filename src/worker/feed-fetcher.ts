import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { FeedFailure, type FeedRequest, type FetchedFeed } from '../app/calendar-subscriptions.ts';
import { isAppError } from '../app/errors.ts';
import { checkLiteralAddress, isPublicAddress, parseFeedUrl } from '../app/feed-address.ts';

/** The bounds of one feed fetch (README "Calendar subscriptions"). */
export interface FeedFetchLimits {
  /** The whole fetch, redirects and body included. */
  timeoutMs: number;
  /** Bytes of body read at most; the import limit of an .ics file. */
  maxBytes: number;
  maxRedirects: number;
  /** FEED_FETCH_ALLOW_PRIVATE: follow feeds on loopback and private networks (a test or an intranet). */
  allowPrivateAddresses: boolean;
}

export const defaultFeedFetchLimits: FeedFetchLimits = {
  timeoutMs: 20_000,
  maxBytes: 5 * 1024 * 1024,
  maxRedirects: 5,
  allowPrivateAddresses: false,
};

/** A fetch's answer: the feed, or that it has not changed since the validators we sent. */
export type FeedResponse = { status: 'not-modified' } | ({ status: 'fetched' } & FetchedFeed);

const redirects = new Set([301, 302, 303, 307, 308]);

/**
 * Fetches a followed feed with node:http(s), revalidating with If-None-Match / If-Modified-Since.
 * Every connection resolves its host through `guardedLookup`, which refuses private, loopback,
 * link-local and other non-public addresses at connect time, so a redirect or a DNS answer that
 * changes between checks cannot reach the server's own network. Throws FeedFailure.
 */
export async function fetchFeed(request: FeedRequest, limits: FeedFetchLimits): Promise<FeedResponse> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), limits.timeoutMs);
  try {
    let url = checkedUrl(request.url, limits);
    for (let hop = 0; ; hop += 1) {
      const response = await get(url, request, limits, controller.signal);
      const location = response.headers.location;
      if (redirects.has(response.statusCode ?? 0) && location) {
        response.resume();
        if (hop >= limits.maxRedirects) {
          throw new FeedFailure(
            'feed-too-many-redirects',
            `The feed redirected more than ${limits.maxRedirects} times.`,
          );
        }
        url = checkedUrl(new URL(location, url).href, limits);
        continue;
      }
      if (response.statusCode === 304) {
        response.resume();
        return { status: 'not-modified' };
      }
      if (response.statusCode === undefined || response.statusCode < 200 || response.statusCode > 299) {
        response.resume();
        throw new FeedFailure(
          'feed-http-error',
          `The feed's server answered HTTP ${response.statusCode ?? '?'}.`,
        );
      }
      const text = await readBody(response, limits.maxBytes);
      return {
        status: 'fetched',
        text,
        etag: headerValue(response.headers.etag),
        lastModified: headerValue(response.headers['last-modified']),
      };
    }
  } catch (error) {
    if (error instanceof FeedFailure) throw error;
    if (controller.signal.aborted) {
      throw new FeedFailure(
        'feed-timeout',
        `The feed did not answer within ${Math.round(limits.timeoutMs / 1000)} s.`,
      );
    }
    const refused = refusalOf(error);
    if (refused) throw refused;
    throw new FeedFailure('feed-unreachable', 'The feed could not be reached.', { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

function checkedUrl(text: string, limits: FeedFetchLimits): URL {
  try {
    const url = parseFeedUrl(text);
    // Names (localhost included) are checked on every DNS answer by guardedLookup.
    checkLiteralAddress(url, limits.allowPrivateAddresses);
    return url;
  } catch (error) {
    if (isAppError(error)) throw new FeedFailure('feed-address-refused', error.message, { cause: error });
    throw error;
  }
}

function get(
  url: URL,
  request: FeedRequest,
  limits: FeedFetchLimits,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  const headers: Record<string, string> = {
    accept: 'text/calendar, */*;q=0.5',
    'accept-encoding': 'identity',
    'user-agent': 'Televent feed follower',
  };
  if (request.etag) headers['if-none-match'] = request.etag;
  if (request.lastModified) headers['if-modified-since'] = request.lastModified;
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const outgoing = client.get(url, {
      headers,
      signal,
      // Literal addresses skip `lookup`: checkedUrl has refused private ones before this.
      lookup: guardedLookup(limits.allowPrivateAddresses),
    });
    outgoing.once('response', resolve);
    outgoing.once('error', reject);
  });
}

/** Reads the body up to `maxBytes`; beyond that it stops reading and throws feed-too-large. */
function readBody(response: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    return Promise.reject(tooLarge(maxBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        reject(tooLarge(maxBytes)); // before destroy(), which emits 'aborted' at once
        response.destroy();
        return;
      }
      chunks.push(chunk);
    });
    response.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.once('error', reject);
    response.once('aborted', () => reject(new Error('the feed connection was cut')));
  });
}

function tooLarge(maxBytes: number): FeedFailure {
  return new FeedFailure(
    'feed-too-large',
    `The feed is larger than ${Math.round(maxBytes / 1024 / 1024)} MB.`,
  );
}

class RefusedAddress extends Error {
  constructor(host: string) {
    super(`${host} resolves to an address in a private network`);
    this.name = 'RefusedAddress';
  }
}

function refusalOf(error: unknown): FeedFailure | null {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof RefusedAddress) {
      return new FeedFailure(
        'feed-address-refused',
        'The feed address leads into a private network, not the internet.',
        { cause },
      );
    }
  }
  return null;
}

/** A `lookup` for node:net that fails when any address of the host is not public (unless allowed). */
export function guardedLookup(allowPrivateAddresses: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) {
        callback(error, '', 0);
        return;
      }
      if (!allowPrivateAddresses && addresses.some((a) => !isPublicAddress(a.address))) {
        callback(Object.assign(new RefusedAddress(hostname), { code: 'EFEEDREFUSED' }), '', 0);
        return;
      }
      const [first] = addresses;
      if (!first) {
        callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
        return;
      }
      if (options.all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      else callback(null, first.address, first.family);
    });
  };
}

function headerValue(value: string | string[] | undefined): string | null {
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text.length > 512 ? null : text;
}
