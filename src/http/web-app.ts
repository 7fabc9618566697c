import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../observability/logger.ts';
import { packageRoot } from '../package-root.ts';
import type { TypedApp } from './typed-app.ts';

// The web app and Mini App (web/, Vite + React), served from its build in web/dist: hashed files
// under /app/assets/ are immutable for a year, index.html is revalidated on every load, and each
// text file is sent precompressed (brotli or gzip, written at build time) by Accept-Encoding.

export const webAppDist = `${packageRoot}/web/dist/`;
const webAppRoot = `${packageRoot}/web/`;

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

interface StaticFile {
  type: string;
  etag: string;
  identity: Buffer;
  br?: Buffer;
  gzip?: Buffer;
}

async function* filesUnder(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else yield path;
  }
}

/** The built app, held in memory (a few hundred kilobytes): URL path under /app/ → file. */
export async function loadWebAppFiles(dist: string = webAppDist): Promise<Map<string, StaticFile>> {
  const files = new Map<string, StaticFile>();
  if (!existsSync(join(dist, 'index.html'))) return files;
  for await (const path of filesUnder(dist)) {
    if (path.endsWith('.br') || path.endsWith('.gz')) continue;
    const identity = await readFile(path);
    const file: StaticFile = {
      type: contentTypes[extname(path)] ?? 'application/octet-stream',
      etag: `"${createHash('sha256').update(identity).digest('base64url').slice(0, 27)}"`,
      identity,
    };
    if (existsSync(`${path}.br`)) file.br = await readFile(`${path}.br`);
    if (existsSync(`${path}.gz`)) file.gzip = await readFile(`${path}.gz`);
    files.set(relative(dist, path).split(sep).join('/'), file);
  }
  return files;
}

/**
 * On a fresh clone `npm install` builds web/dist (the `prepare` script); if it is still missing
 * and Vite is installed, build it now, once, before the server listens.
 */
export async function ensureWebAppBuilt(logger: Logger, dist: string = webAppDist): Promise<void> {
  if (existsSync(join(dist, 'index.html'))) return;
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch {
    logger.warn('the web app is not built and Vite is not installed: run `npm install && npm run build:web`');
    return;
  }
  logger.info('building the web app (web/dist) once, before the first start');
  await vite.build({ configFile: join(webAppRoot, 'vite.config.ts'), logLevel: 'warn' });
}

/** RFC 9110 §12.5.3: the best encoding we hold that the client accepts (q > 0). */
function chooseEncoding(header: string | undefined, file: StaticFile): 'br' | 'gzip' | undefined {
  if (!header) return undefined;
  const accepted = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    accepted.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const wants = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (file.br && wants('br')) return 'br';
  if (file.gzip && wants('gzip')) return 'gzip';
  return undefined;
}

function sendFile(request: FastifyRequest, reply: FastifyReply, file: StaticFile, cacheControl: string) {
  reply.header('content-type', file.type).header('cache-control', cacheControl).header('etag', file.etag);
  if (file.br || file.gzip) reply.header('vary', 'Accept-Encoding');
  if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
  const encoding = chooseEncoding(request.headers['accept-encoding'], file);
  if (encoding) reply.header('content-encoding', encoding);
  return reply.send(encoding === 'br' ? file.br : encoding === 'gzip' ? file.gzip : file.identity);
}

const notBuiltPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Televent</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>
<h1>Televent</h1><p>The web app is not built on this server. Run <code>npm install</code>
(it builds web/dist) or <code>npm run build:web</code>, then restart. CalDAV and the bot work without it.</p>
</body></html>`;

const immutable = 'public, max-age=31536000, immutable';

function prefersHtml(request: FastifyRequest): boolean {
  return /\btext\/html\b/i.test(request.headers.accept ?? '');
}

export async function registerWebApp(app: TypedApp, options: { dist?: string } = {}): Promise<void> {
  const files = await loadWebAppFiles(options.dist);
  const index = files.get('index.html');

  const sendIndex = (request: FastifyRequest, reply: FastifyReply) =>
    index
      ? sendFile(request, reply, index, 'no-cache')
      : reply
          .code(503)
          .header('cache-control', 'no-cache')
          .type('text/html; charset=utf-8')
          .send(notBuiltPage);

  app.get('/app', async (_request, reply) => reply.redirect('/app/', 301));
  app.get('/app/', async (request, reply) => sendIndex(request, reply));
  app.get('/app/index.html', async (request, reply) => sendIndex(request, reply));
  app.get('/app/assets/*', async (request, reply) => {
    const name = (request.params as { '*': string })['*'];
    const file = files.get(`assets/${name}`);
    if (!file) return reply.callNotFound();
    return sendFile(request, reply, file, immutable);
  });

  // `/` belongs to CalDAV for calendar apps (PROPFIND, OPTIONS…); a browser asking for a page
  // (Accept: text/html) gets the landing and sign-in page, which is the web app itself.
  app.get('/', async (request, reply) => {
    reply.header('vary', 'Accept');
    if (!prefersHtml(request)) return reply.callNotFound();
    return reply.header('cache-control', 'no-cache').redirect('/app/', 303);
  });
}
