#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so `npm start` and `npx televent` need no build step.
import { register } from 'tsx/esm/api';

register();
// Help, --version, mistakes and commands a running server can take are answered without loading
// the server's code; everything else goes to the composition root.
const { answerQuickly } = await import('../src/cli/quick.ts');
const exitCode = await answerQuickly(process.argv.slice(2));
if (exitCode === undefined) await import('../src/main.ts');
else process.exitCode = exitCode;
