import type { Config } from './config.ts';

/** API_HOST values that mean "every interface": an address nobody can open in a browser. */
const allInterfaces = new Set(['0.0.0.0', '::']);

/** True when the URL below had to guess a host because the server listens on every interface. */
export function publicUrlIsGuessed(config: Config): boolean {
  return config.PUBLIC_URL === undefined && allInterfaces.has(config.API_HOST);
}

/**
 * The base URL people open (login links, CalDAV server address, start-up banner), without a
 * trailing slash: PUBLIC_URL, or the address the HTTP server listens on, with 127.0.0.1 standing
 * in for "all interfaces" (http://0.0.0.0:3000/ does not work from a calendar app).
 */
export function publicBaseUrl(config: Config): string {
  if (config.PUBLIC_URL) return config.PUBLIC_URL.replace(/\/+$/, '');
  const host = allInterfaces.has(config.API_HOST) ? '127.0.0.1' : config.API_HOST;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.API_PORT}`;
}
