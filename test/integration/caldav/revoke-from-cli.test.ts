import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, runTelevent, startTelevent } from '../../support/run-televent.ts';
import { openProcessPlace, testEngine } from '../../support/test-database.ts';

function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? '';
}

// The server answers sign-ins from memory; a device revoked by the CLI (another process on
// PostgreSQL, the admin socket on PGlite) must still be refused on the very next request.
describe(`a device password revoked with the CLI while the server runs [${testEngine}]`, () => {
  let place: Awaited<ReturnType<typeof openProcessPlace>>;
  let env: Record<string, string>;
  let server: RunningServer | undefined;

  beforeAll(async () => {
    place = await openProcessPlace('televent-revoke-');
    env = place.env;
  });
  afterAll(async () => {
    await server?.stop();
    await place?.close();
  });

  it('gets 401 on the next CalDAV request', { timeout: 180_000 }, async () => {
    expect((await runTelevent(['user', 'create', '--telegram-id', '1001'], env)).code).toBe(0);
    const laptop = await runTelevent(['device', 'add', '--telegram-id', '1001', '--name', 'laptop'], env);
    const phone = await runTelevent(['device', 'add', '--telegram-id', '1001', '--name', 'phone'], env);
    server = await startTelevent(env, ['--roles', 'http']);
    const cliEnv = { ...env, API_PORT: new URL(server.baseUrl).port };
    const propfind = (password: string) =>
      fetch(`${server?.baseUrl}/`, {
        method: 'PROPFIND',
        headers: {
          authorization: `Basic ${Buffer.from(`1001:${password}`).toString('base64')}`,
          depth: '0',
        },
      });
    // Twice: the second answer comes from the sign-in cache.
    expect((await propfind(lastLine(laptop.stdout))).status).toBe(207);
    expect((await propfind(lastLine(laptop.stdout))).status).toBe(207);
    expect((await propfind(lastLine(phone.stdout))).status).toBe(207);

    const revoke = await runTelevent(
      ['device', 'revoke', '--telegram-id', '1001', '--name', 'laptop'],
      cliEnv,
    );
    expect(revoke.code).toBe(0);
    expect((await propfind(lastLine(laptop.stdout))).status).toBe(401);
    expect((await propfind(lastLine(phone.stdout))).status).toBe(207);
  });
});
