#!/usr/bin/env node
// Runs the ahead-of-time build in dist/ (scripts/server-build.js), rebuilding it first when src/
// changed since; where it cannot be built (no esbuild, a read-only install), the TypeScript
// sources run through tsx instead, so `npm start` and `npx televent` never need a build step.
import module from 'node:module';
import { pathToFileURL } from 'node:url';
import { buildServer, serverBuild, serverBuildIsFresh } from '../scripts/server-build.js';

async function loadEntries() {
  if (process.env.TELEVENT_FROM_SOURCE !== 'true') {
    let fresh = serverBuildIsFresh();
    if (!fresh)
      fresh = await buildServer().then(
        () => true,
        () => false,
      );
    if (fresh) {
      process.setSourceMapsEnabled(true);
      return { quick: pathToFileURL(serverBuild.quick).href, main: pathToFileURL(serverBuild.main).href };
    }
  }
  const { register } = await import('tsx/esm/api');
  register();
  return { quick: '../src/cli/quick.ts', main: '../src/main.ts' };
}

// Node 22+ keeps compiled dependencies between runs (Node 20 has no such cache).
module.enableCompileCache?.();
const entries = await loadEntries();
// Help, --version, mistakes and commands a running server can take are answered without loading
// the server's code; everything else goes to the composition root.
const { answerQuickly } = await import(entries.quick);
const exitCode = await answerQuickly(process.argv.slice(2));
if (exitCode === undefined) await import(entries.main);
else process.exitCode = exitCode;
