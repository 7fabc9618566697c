import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Several processes, or the pg driver's own statements, need a server database: these suites run
// in the PostgreSQL pass only.
const postgresOnly = [
  'test/integration/worker/multi-process.test.ts',
  'test/integration/cli/scale-out.test.ts',
  'test/integration/storage/prepared-statements.test.ts',
];
// The embedded engine's own first start has nothing to test on a server database.
const pgliteOnly = ['test/integration/storage/pglite-template.test.ts'];
const integrationExclude = process.env.TEST_ENGINE === 'postgres' ? pgliteOnly : postgresOnly;
if (process.env.TEST_ENGINE !== 'postgres') {
  process.stdout.write(
    `Needs PostgreSQL (TEST_ENGINE=postgres TEST_DATABASE_URL=…), not run on PGlite: ${postgresOnly.join(', ')}.\n`,
  );
}

// Interop suites that need Debian packages run where those are installed (.ci/run installs them)
// and say so in one line where they are not.
const hasPythonCaldav = spawnSync('/usr/bin/python3', ['-c', 'import caldav']).status === 0;
const interopExclude: string[] = [];
if (!hasPythonCaldav) {
  interopExclude.push('test/interop/python-caldav*.test.ts');
  process.stdout.write(
    'python3-caldav is not installed: skipping its interop suites (apt-get install python3-caldav).\n',
  );
}

// The web app's browser suite drives Debian's chromium (.ci/run installs it).
const hasChromium = existsSync('/usr/bin/chromium');
if (!hasChromium) {
  process.stdout.write('chromium is not installed: skipping the web app suite (apt-get install chromium).\n');
}

// Five projects: pure unit tests beside the code, integration tests on a real database,
// interop tests that drive a running server with real clients, the hostile-input suite
// (issue 9) against a live server, one file at a time so its /health timings are its own, and
// the web app in a real browser.
export default defineConfig({
  test: {
    projects: [
      {
        test: { name: 'unit', include: ['src/**/*.test.ts', 'test/lint/**/*.test.ts'], environment: 'node' },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          exclude: integrationExclude,
          globalSetup: ['test/support/global-setup.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'hostile',
          include: ['test/hostile/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 240_000,
        },
      },
      {
        test: {
          name: 'interop',
          include: ['test/interop/**/*.test.ts'],
          exclude: interopExclude,
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'web',
          include: ['test/web/**/*.test.ts'],
          exclude: hasChromium ? [] : ['test/web/**'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
