#!/usr/bin/env node
// `npm test`: every suite on embedded PGlite, then the database suites again on the PostgreSQL
// at TEST_DATABASE_URL when it is set. Prints each engine's counts and one closing total line.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const extraArgs = process.argv.slice(2);
const reportDir = mkdtempSync(join(tmpdir(), 'televent-tests-'));

function runVitest(label, args, env) {
  const report = join(reportDir, `${label}.json`);
  console.log(`\n=== ${label} ===`);
  const result = spawnSync(
    'npx',
    ['vitest', 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    { stdio: 'inherit', env: { ...process.env, ...env } },
  );
  let counts = { passed: 0, failed: 0, skipped: 0 };
  try {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    counts = {
      passed: json.numPassedTests,
      failed: json.numFailedTests + (json.numFailedTestSuites > 0 && json.numFailedTests === 0 ? 1 : 0),
      skipped: json.numPendingTests + json.numTodoTests,
    };
  } catch {
    counts.failed = 1;
  }
  if (result.status !== 0 && counts.failed === 0) counts.failed = 1;
  return { label, ...counts };
}

// The hostile-input suite holds a live server to a 200 ms /health bound, so it runs alone,
// after the others, on each engine (on 2 cores, concurrent suites would be what it measures).
const otherProjects = [
  '--project',
  'unit',
  '--project',
  'integration',
  '--project',
  'interop',
  '--project',
  'web',
];
const hostile = ['--project', 'hostile', '--passWithNoTests', ...extraArgs];
const runs = [
  runVitest('all suites on PGlite', [...otherProjects, ...extraArgs], { TEST_ENGINE: 'pglite' }),
  runVitest('hostile-input suite on PGlite', hostile, { TEST_ENGINE: 'pglite' }),
];

if (process.env.TEST_DATABASE_URL) {
  runs.push(
    runVitest('database suites on PostgreSQL', ['--project', 'integration', ...extraArgs], {
      TEST_ENGINE: 'postgres',
    }),
    runVitest('hostile-input suite on PostgreSQL', hostile, { TEST_ENGINE: 'postgres' }),
  );
} else {
  console.log(
    '\nPostgreSQL: TEST_DATABASE_URL is not set, so the database suites ran on PGlite only ' +
      '(set it, e.g. postgres://postgres@127.0.0.1:5432/test, to run them on PostgreSQL too).',
  );
}
rmSync(reportDir, { recursive: true, force: true });

console.log('\n=== summary ===');
for (const run of runs) {
  console.log(`${run.label}: ${run.passed} passed, ${run.failed} failed, ${run.skipped} skipped`);
}
const passed = runs.reduce((n, r) => n + r.passed, 0);
const failed = runs.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
