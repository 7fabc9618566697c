import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../../src/app/services.ts';
import { registerCaldav } from '../../../src/caldav/plugin.ts';
import { loadConfig } from '../../../src/config.ts';
import { registerWebApp } from '../../../src/http/web-app.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { openTestDatabase, type TestDatabase, testEngine } from '../../support/test-database.ts';
import { buildTestServer, type TestServer } from './build-test-server.ts';

// Serving the built web app (src/http/web-app.ts) from a small stand-in for web/dist, beside the
// CalDAV door at `/`, as main.ts wires them.

const script = `console.log(${JSON.stringify('televent '.repeat(300))});\n`;
const page =
  '<!doctype html><title>Televent</title><script type="module" src="/app/assets/index-abc123.js"></script>';

describe(`the web app's files [${testEngine}]`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let dist: string;

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'televent-dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), page);
    writeFileSync(join(dist, 'assets/index-abc123.js'), script);
    writeFileSync(join(dist, 'assets/index-abc123.js.br'), brotliCompressSync(script));
    writeFileSync(join(dist, 'assets/index-abc123.js.gz'), gzipSync(script));
    database = await openTestDatabase();
    const services = createServices(database.db);
    const config = loadConfig({});
    server = await buildTestServer(database, {
      registerRootRoutes: async (root) => {
        await registerWebApp(root, { dist });
        await registerCaldav(root, { services, config, logger: createLogger('silent') });
      },
    });
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  const get = (url: string, headers: Record<string, string> = {}) =>
    server.app.inject({ method: 'GET', url, headers });

  it('serves index.html at /app/ revalidated on every load, and 304 for the same version', async () => {
    const response = await get('/app/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.body).toBe(page);
    const again = await get('/app/', { 'if-none-match': String(response.headers.etag) });
    expect(again.statusCode).toBe(304);
    expect((await get('/app')).headers.location).toBe('/app/');
  });

  it('serves hashed assets immutable for a year, brotli or gzip by Accept-Encoding, with Vary', async () => {
    const url = '/app/assets/index-abc123.js';
    const br = await get(url, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(script);

    const gzip = await get(url, { 'accept-encoding': 'gzip, br;q=0' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(script);

    const plain = await get(url);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.body).toBe(script);

    const missing = await get('/app/assets/index-nothere.js');
    expect(missing.statusCode).toBe(404);
  });

  it('sends a browser asking for a page at / to the sign-in page; calendar apps keep CalDAV there', async () => {
    const browser = await get('/', { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });
    expect(browser.statusCode).toBe(303);
    expect(browser.headers.location).toBe('/app/');
    expect(browser.headers.vary).toContain('Accept');

    // A GET without text/html is answered as before this page existed.
    const other = await get('/', { accept: 'application/json' });
    expect(other.statusCode).toBe(404);

    const options = await server.app.inject({ method: 'OPTIONS', url: '/' });
    expect(options.statusCode).toBe(200);
    expect(String(options.headers.dav)).toContain('calendar-access');
    const propfind = await server.app.inject({
      method: 'PROPFIND',
      url: '/',
      headers: { depth: '0', accept: 'text/html' },
    });
    expect(propfind.statusCode).toBe(401);
    expect(propfind.headers['www-authenticate']).toMatch(/^Basic/);
  });

  it('says how to build the app when web/dist is missing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'televent-nodist-'));
    const bare = await buildTestServer(database, {
      registerRootRoutes: (root) => registerWebApp(root, { dist: empty }),
    });
    try {
      const response = await bare.app.inject({ method: 'GET', url: '/app/' });
      expect(response.statusCode).toBe(503);
      expect(response.body).toContain('npm run build:web');
    } finally {
      await bare.app.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
