import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';
import { defaultDataDir } from './package-root.ts';

/** The environment, validated once into a typed object. */
export type Config = z.infer<typeof configSchema>;

/** An unset or empty variable is absent; otherwise it must pass `schema`. */
function optional(schema: z.ZodType<string, string>) {
  return z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()))
    .pipe(schema.optional());
}

const optionalUrl = optional(z.url());

/** A whole number within [min, max]; unset or empty means `fallback` (never a silent 0). */
function wholeNumber(fallback: number, min: number, max: number, unit: string) {
  return z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.coerce
      .number({ error: `must be a whole number of ${unit}` })
      .int(`must be a whole number of ${unit}`)
      .min(min, `must be at least ${min} ${unit}`)
      .max(max, `must be at most ${max} ${unit}`)
      .default(fallback),
  );
}

/** proxy-addr's named ranges (127.0.0.1/8 and ::1; 169.254.0.0/16 and fe80::/10; private ranges and fc00::/7). */
const proxyRangeNames = new Set(['loopback', 'linklocal', 'uniquelocal']);
const trustProxyMessage =
  'must be a hop count (a whole number such as 1) or a comma-separated list of proxy addresses or CIDRs (such as 127.0.0.1,10.0.0.0/8); leave it unset to trust no proxy';

function isAddressOrCidr(entry: string): boolean {
  if (proxyRangeNames.has(entry)) return true;
  const [address = '', prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Which peers may tell us the client's address (X-Forwarded-For). Unset: none, the socket address
 * is the client. A number n: the n-th address from the right of X-Forwarded-For, whoever sent it.
 * A list: only those proxies are believed. `true` is refused: it would let every client pick its
 * own address and walk past every per-address limit.
 */
const trustProxy = z
  .string()
  .optional()
  .transform((value, context): number | string[] | undefined => {
    const text = value?.trim() ?? '';
    if (text === '') return undefined;
    if (/^\d+$/.test(text)) {
      const hops = Number(text);
      if (hops >= 1 && hops <= 16) return hops;
      context.addIssue({ code: 'custom', message: `${trustProxyMessage} (a hop count is 1 to 16)` });
      return z.NEVER;
    }
    const entries = text.split(',').map((entry) => entry.trim());
    const bad = entries.find((entry) => !isAddressOrCidr(entry));
    if (bad !== undefined) {
      context.addIssue({ code: 'custom', message: `${trustProxyMessage}; "${bad}" is neither` });
      return z.NEVER;
    }
    return entries;
  });

const configSchema = z.object({
  DATABASE_URL: optional(
    z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://'),
  ),
  DATA_DIR: z.string().trim().min(1).default(defaultDataDir),
  API_HOST: z.string().trim().min(1).default('127.0.0.1'),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: optionalUrl,
  TRUST_PROXY: trustProxy,
  TELEGRAM_BOT_TOKEN: optional(
    z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, 'must look like 123456:ABC-DEF (the token @BotFather gave you)'),
  ),
  TELEGRAM_API_ROOT: z.url().default('https://api.telegram.org'),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, 'may hold only A-Z, a-z, 0-9, _ and - (1 to 256 characters)')
    .optional(),
  SMTP_URL: optionalUrl,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `pretty` (readable lines) or `json` (one object per line); unset: pretty on a terminal, JSON otherwise. */
  LOG_FORMAT: z
    .enum(['json', 'pretty', ''], { error: 'must be json or pretty (or unset: pretty on a terminal)' })
    .optional()
    .transform((value) => (value === '' ? undefined : value)),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
  /** Bearer token /metrics asks for; unset, /metrics answers anyone who reaches its port. */
  METRICS_TOKEN: optional(
    z.string().regex(/^[\x21-\x7e]{16,256}$/, 'must be 16 to 256 printable characters without spaces'),
  ),
  /** /metrics on this port of API_HOST instead of API_PORT (and in bot- or worker-only processes too). */
  METRICS_PORT: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.coerce
      .number({ error: 'must be a port number' })
      .int('must be a port number')
      .min(1, 'must be a port number from 1 to 65535')
      .max(65535, 'must be a port number from 1 to 65535')
      .optional(),
  ),
  INIT_DATA_MAX_AGE_SECONDS: z.coerce.number().int().positive().default(86_400),
  /** A reminder late by up to this much (after downtime) is still sent, marked late; later ones are skipped. */
  REMINDER_GRACE_MINUTES: wholeNumber(10, 0, 1440, 'minutes'),
  /** How far ahead the worker plans reminder jobs (rolled forward hourly). */
  REMINDER_HORIZON_DAYS: wholeNumber(2, 1, 28, 'days'),
  /** CalDAV requests one user may make back to back (README "Rate limits": three clients' first sync of 5,000 events). */
  CALDAV_RATE_LIMIT_BURST: wholeNumber(2_000, 1, 1_000_000, 'requests'),
  /** CalDAV requests per minute a user's spent burst earns back. */
  CALDAV_RATE_LIMIT_PER_MINUTE: wholeNumber(100, 1, 1_000_000, 'requests a minute'),
  /** Followed calendar feeds may be on loopback and private networks (off: refused, against SSRF). */
  FEED_FETCH_ALLOW_PRIVATE: z
    .enum(['true', 'false', ''], { error: 'must be true or false' })
    .optional()
    .transform((value) => value === 'true'),
});

/** Every variable Televent reads (README "Configuration" and .env.example list each). */
export const configVariables = Object.keys(configSchema.shape);

export class ConfigError extends Error {
  readonly variable: string;
  constructor(variable: string, message: string) {
    super(`Invalid configuration: ${variable} ${message}`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

/** Secrets that may also come from a file named by `<NAME>_FILE` (Docker and compose secrets). */
export const fileSecrets = [
  'DATABASE_URL',
  'TELEGRAM_BOT_TOKEN',
  'TELEGRAM_WEBHOOK_SECRET',
  'SMTP_URL',
  'METRICS_TOKEN',
] as const;

/** The environment with each `<NAME>_FILE` read into `<NAME>` (its one trailing newline dropped). */
function withFileSecrets(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const resolved = { ...env };
  for (const name of fileSecrets) {
    const file = env[`${name}_FILE`];
    if (file === undefined || file === '') continue;
    if (env[name] !== undefined && env[name] !== '') {
      throw new ConfigError(`${name}_FILE`, `and ${name} are both set; give only one of them`);
    }
    try {
      resolved[name] = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new ConfigError(`${name}_FILE`, `names a file that cannot be read (${code}): ${file}`);
    }
  }
  return resolved;
}

/** Reads the environment; a bad value throws one ConfigError naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = configSchema.safeParse(withFileSecrets(env));
  if (!result.success) {
    const issue = result.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(variable, issue?.message ?? 'is invalid');
  }
  if (result.data.METRICS_PORT === result.data.API_PORT) {
    throw new ConfigError(
      'METRICS_PORT',
      'must differ from API_PORT (unset it to serve /metrics on API_PORT)',
    );
  }
  return result.data;
}
