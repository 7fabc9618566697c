import { isIP } from 'node:net';
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

// [first address, prefix length] of IPv4 ranges that are not the public internet (RFC 6890).
const privateIpv4: ReadonlyArray<[string, number]> = [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved and broadcast
];

/**
 * Whether an IP address (v4, v6 or IPv4-mapped v6) is on the public internet: not loopback,
 * private, link-local, CGNAT, unique-local, multicast, unspecified or documentation space.
 */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return isPublicIpv4(ipv4Number(address));
  if (family !== 6) return false;
  const words = ipv6Words(address);
  if (!words) return false;
  const [w0 = 0, w1 = 0, w2 = 0, w3 = 0, w4 = 0, w5 = 0, w6 = 0, w7 = 0] = words;
  const embeddedV4 = ((w6 << 16) | w7) >>> 0;
  const zeroPrefix = w0 === 0 && w1 === 0 && w2 === 0 && w3 === 0 && w4 === 0;
  if (zeroPrefix && w5 === 0xffff) return isPublicIpv4(embeddedV4); // ::ffff:a.b.c.d
  if (zeroPrefix && w5 === 0) return false; // ::, ::1 and the deprecated IPv4-compatible form
  if (w0 === 0x64 && w1 === 0xff9b && w2 === 0 && w3 === 0 && w4 === 0 && w5 === 0) {
    return isPublicIpv4(embeddedV4); // NAT64 (RFC 6052)
  }
  if ((w0 & 0xfe00) === 0xfc00) return false; // unique local fc00::/7
  if ((w0 & 0xffc0) === 0xfe80) return false; // link-local fe80::/10
  if ((w0 & 0xffc0) === 0xfec0) return false; // site-local fec0::/10 (deprecated)
  if ((w0 & 0xff00) === 0xff00) return false; // multicast ff00::/8
  if (w0 === 0x2001 && w1 === 0x0db8) return false; // documentation
  return true;
}

function isPublicIpv4(value: number): boolean {
  return !privateIpv4.some(([first, prefix]) => {
    const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
    return (value & mask) >>> 0 === (ipv4Number(first) & mask) >>> 0;
  });
}

function ipv4Number(address: string): number {
  return address.split('.').reduce((sum, part) => sum * 256 + Number(part), 0) >>> 0;
}

/** The eight 16-bit words of an IPv6 address (with `::` and a dotted IPv4 tail expanded). */
function ipv6Words(address: string): number[] | null {
  let text = address.replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const v4 = ipv4Number(dotted[1]);
    text = `${text.slice(0, -dotted[1].length)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - left.length - right.length;
  if (missing < 0 || (tail === undefined && missing !== 0)) return null;
  const words = [...left, ...Array<string>(missing).fill('0'), ...right].map((w) => Number.parseInt(w, 16));
  return words.length === 8 && words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffff)
    ? words
    : null;
}
