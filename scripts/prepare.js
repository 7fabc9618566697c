#!/usr/bin/env node
// `npm install` and `npm ci` run this (the `prepare` script): the server's ahead-of-time build in
// dist/ (scripts/server-build.js), the embedded database's template (scripts/pglite-template.ts)
// and, when the build tools are installed, the web app in web/dist. An install without dev
// dependencies (the Docker runtime stage, which copies web/dist from its builder stage) has no
// Vite and skips the web build with one line.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { buildServer } from './server-build.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const started = performance.now();
await buildServer();
console.log(`server: built dist/ from src/ in ${Math.round(performance.now() - started)} ms`);

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run(process.execPath, ['--import', 'tsx', 'scripts/pglite-template.ts']);

const require = createRequire(import.meta.url);
try {
  require.resolve('vite/package.json');
} catch {
  console.log('web app: Vite is not installed (dev dependencies omitted), so web/dist is not built here.');
  process.exit(0);
}
run('npm', ['run', 'build:web']);
