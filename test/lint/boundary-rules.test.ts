import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// Each boundary rule of .dependency-cruiser.cjs must be able to fire (docs/architecture.md#dependency-rules):
// a probe tree with one planted violation is cruised with the project's own config.
const root = fileURLToPath(new URL('../..', import.meta.url));
const probes: string[] = [];

function cruise(files: Record<string, string>): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'televent-lint-'));
  probes.push(dir);
  for (const name of ['.dependency-cruiser.cjs', 'tsconfig.json', 'package.json']) {
    copyFileSync(join(root, name), join(dir, name));
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const result = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
      ...new Set(Object.keys(files).map((path) => path.split('/')[0] as string)),
      '--config',
      '.dependency-cruiser.cjs',
    ],
    { cwd: dir, encoding: 'utf8' },
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

afterAll(() => {
  for (const dir of probes) rmSync(dir, { recursive: true, force: true });
});

describe('boundary rules fire on a planted violation', () => {
  it('passes a tree that keeps every rule', () => {
    const clean = cruise({
      'src/domain/rule.ts': 'export const rule = 1;\n',
      'src/app/service.ts': "import { rule } from '../domain/rule.ts';\nexport const service = rule;\n",
      'src/caldav/door.ts': "import { service } from '../app/service.ts';\nexport const door = service;\n",
    });
    expect(clean.output).toContain('no dependency violations found');
    expect(clean.status).toBe(0);
  });

  it.each([
    [
      'domain-is-pure',
      {
        'src/app/a.ts': 'export const a = 1;\n',
        'src/domain/d.ts': "import { a } from '../app/a.ts';\nexport const d = a;\n",
      },
    ],
    [
      'doors-do-not-import-each-other',
      {
        'src/bot/b.ts': 'export const b = 1;\n',
        'src/caldav/c.ts': "import { b } from '../bot/b.ts';\nexport const c = b;\n",
      },
    ],
    [
      'app-does-not-import-doors',
      {
        'src/http/h.ts': 'export const h = 1;\n',
        'src/app/a.ts': "import { h } from '../http/h.ts';\nexport const a = h;\n",
      },
    ],
    [
      'telegram-kit-is-no-door',
      {
        'src/bot/b.ts': 'export const b = 1;\n',
        'src/telegram/t.ts': "import { b } from '../bot/b.ts';\nexport const t = b;\n",
      },
    ],
    [
      'storage-does-not-import-app-or-doors',
      {
        'src/app/a.ts': 'export const a = 1;\n',
        'src/storage/s.ts': "import { a } from '../app/a.ts';\nexport const s = a;\n",
      },
    ],
    [
      'nothing-imports-main',
      {
        'src/main.ts': 'export const m = 1;\n',
        'src/cli/c.ts': "import { m } from '../main.ts';\nexport const c = m;\n",
      },
    ],
    [
      'doors-never-import-storage',
      {
        'src/storage/s.ts': 'export const s = 1;\n',
        'src/worker/w.ts': "import { s } from '../storage/s.ts';\nexport const w = s;\n",
      },
    ],
    [
      // Test code is cruised too: a door's own test may not reach past app/ either.
      'doors-never-import-storage',
      {
        'src/storage/s.ts': 'export const s = 1;\n',
        'src/caldav/c.test.ts': "import { s } from '../storage/s.ts';\nexport const c = s;\n",
      },
    ],
    [
      'production-code-does-not-import-tests',
      {
        'test/support/harness.ts': 'export const harness = 1;\n',
        'src/http/h.ts':
          "import { harness } from '../../test/support/harness.ts';\nexport const h = harness;\n",
      },
    ],
    [
      'grammy-only-in-telegram-code',
      { 'src/worker/w.ts': "import { Api } from 'grammy';\nexport const w = Api;\n" },
    ],
    [
      'fastify-only-in-http-doors',
      { 'src/app/a.ts': "import { fastify } from 'fastify';\nexport const a = fastify;\n" },
    ],
    ['icaljs-only-in-domain', { 'src/caldav/c.ts': "import ICAL from 'ical.js';\nexport const c = ICAL;\n" }],
    [
      'web-talks-http-only',
      {
        'src/app/a.ts': 'export const a = 1;\n',
        'web/src/w.ts': "import { a } from '../../src/app/a.ts';\nexport const w = a;\n",
      },
    ],
    [
      'database-libraries-only-in-storage',
      { 'src/app/a.ts': "import { sql } from 'kysely';\nexport const a = sql;\n" },
    ],
  ])('%s', (rule, files) => {
    const probe = cruise(files);
    expect(probe.output).toContain(rule);
    expect(probe.status).not.toBe(0);
  });
});
