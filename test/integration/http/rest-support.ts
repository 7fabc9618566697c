import type { LightMyRequestResponse } from 'fastify';
import { signInitData } from '../../../src/app/auth/telegram-init-data.ts';
import { type AppServices, createServices } from '../../../src/app/services.ts';
import { loadConfig } from '../../../src/config.ts';
import { registerBrowserRoutes, registerRestApi } from '../../../src/http/rest-api.ts';
import type { DatabaseHandle } from '../../../src/storage/database.ts';
import { buildTestServer, type TestServer } from './build-test-server.ts';

export const botToken = '123456:TEST-token_for-televent';
export const baseUrl = 'http://127.0.0.1:3000';

export interface RestTestServer extends TestServer {
  services: AppServices;
}

/** The REST API and browser routes exactly as main.ts wires them, over a test database. */
export async function buildRestServer(
  database: DatabaseHandle,
  options: { env?: Record<string, string>; bodyLimit?: number } = {},
): Promise<RestTestServer> {
  const services = createServices(database.db);
  const env = { TELEGRAM_BOT_TOKEN: botToken, ...options.env };
  const deps = { services, config: loadConfig(env), publicBaseUrl: baseUrl };
  const server = await buildTestServer(database, {
    env,
    ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
    registerRoutes: (api) => registerRestApi(api, deps),
    registerRootRoutes: (app) => registerBrowserRoutes(app, deps),
  });
  return { ...server, services };
}

/** `Authorization` header of a Mini App user, signed like Telegram signs initData. */
export function tma(
  user: { id: number; username?: string; first_name?: string },
  options: { token?: string; authDate?: number } = {},
): { authorization: string } {
  const initData = signInitData(
    { auth_date: options.authDate ?? Math.floor(Date.now() / 1000), query_id: 'AAH-test', user },
    options.token ?? botToken,
  );
  return { authorization: `tma ${initData}` };
}

export function expectProblem(response: LightMyRequestResponse, status: number, reason?: string): void {
  if (response.statusCode !== status) {
    throw new Error(`expected ${status}, got ${response.statusCode}: ${response.body}`);
  }
  if (!String(response.headers['content-type']).startsWith('application/problem+json')) {
    throw new Error(`expected problem+json, got ${String(response.headers['content-type'])}`);
  }
  const body = response.json() as { type: string; status: number; detail: string };
  if (body.status !== status || typeof body.detail !== 'string' || body.detail.length === 0) {
    throw new Error(`malformed problem: ${response.body}`);
  }
  if (reason !== undefined && body.type !== `/problems/${reason}`) {
    throw new Error(`expected problem type /problems/${reason}, got ${body.type}`);
  }
}
