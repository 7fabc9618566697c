#!/usr/bin/env node
// `npm install` and `npm ci` run this (the `prepare` script): build web/dist when the build tools
// are installed. An install without dev dependencies (the Docker runtime stage, which copies
// web/dist from its builder stage) has no Vite and skips the build with one line.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
try {
  require.resolve('vite/package.json');
} catch {
  console.log('web app: Vite is not installed (dev dependencies omitted), so web/dist is not built here.');
  process.exit(0);
}
const result = spawnSync('npm', ['run', 'build:web'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
