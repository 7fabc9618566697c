import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { AppError } from './errors.ts';

// Which feed addresses Televent will follow (issue 13 item 5). A feed URL comes from a user and is
// fetched by the server: without these checks it would reach the server's own network (SSRF).

/** Longest feed URL accepted; real ones are far shorter. */
export const maxFeedUrlLength = 2048;

/**
 * A feed URL as typed (https://, http:// or webcal://) as the URL to fetch: webcal is https
 * (the scheme only tells a browser to open a calendar app), and a user name or password in the
 * URL is refused (it would be stored and shown). Throws `feed-url-refused`.
 */
export function parseFeedUrl(text: string): URL {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > maxFeedUrlLength) throw new AppError('feed-url-refused');
  const mapped = trimmed.replace(/^webcals?:\/\//i, 'https://');
  let url: URL;
  try {
    url = new URL(mapped);
  } catch {
    throw new AppError('feed-url-refused');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new AppError('feed-url-refused');
  if (url.username !== '' || url.password !== '' || url.hostname === '') {
    throw new AppError('feed-url-refused');
  }
  url.hash = '';
  return url;
}

/**
 * Refuses, before any connection, a URL whose host is obviously this machine or a private network:
 * `localhost` names and literal private addresses. Names that resolve to such addresses are refused
 * by the fetcher when it connects (worker/feed-fetcher.ts), which also covers redirects.
 */
export function checkFeedHost(url: URL, allowPrivateAddresses: boolean): void {
  if (allowPrivateAddresses) return;
  const host = hostOf(url);
  if (host === 'localhost' || host.endsWith('.localhost')) {
    throw new AppError('feed-url-refused', 'That feed address is on this server, not on the internet.');
  }
  checkLiteralAddress(url, allowPrivateAddresses);
}

/** Refuses a URL whose host is a literal non-public IP address (these connect without a DNS lookup). */
export function checkLiteralAddress(url: URL, allowPrivateAddresses: boolean): void {
  const host = hostOf(url);
  if (!allowPrivateAddresses && isIP(host) !== 0 && !isPublicAddress(host)) {
    throw new AppError('feed-url-refused', 'That feed address is in a private network, not on the internet.');
  }
}

/** The URL's host without IPv6 brackets, lower case. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

/**
 * Whether an IP address (v4, v6 or IPv4-mapped v6) is on the public internet: ipaddr.js's
 * `unicast` range (RFC 6890's special-purpose registries), so loopback, private, link-local,
 * CGNAT, unique-local, multicast, unspecified, documentation and reserved space are refused, and
 * so are the v6 forms that embed a v4 address (NAT64, 6to4, Teredo) rather than check what they embed.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}
