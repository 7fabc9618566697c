// The server's ahead-of-time build: src/ bundled by esbuild into dist/ (two files, the CLI's fast
// path and the composition root, dependencies left as imports). Loading one bundled file takes a
// fraction of what compiling ~350 TypeScript modules through tsx at every start takes.
// `npm install` builds it (the `prepare` script); bin/televent.js rebuilds it when src/ is newer.
import { mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const sourceDir = join(root, 'src');
const outDir = join(root, 'dist');

/** The built files bin/televent.js loads, by entry. */
export const serverBuild = {
  quick: join(outDir, 'quick.js'),
  main: join(outDir, 'main.js'),
};

function newestSourceChange(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceChange(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** True when both built files exist and nothing under src/ changed after they were written. */
export function serverBuildIsFresh() {
  try {
    const built = Math.min(statSync(serverBuild.quick).mtimeMs, statSync(serverBuild.main).mtimeMs);
    return newestSourceChange(sourceDir) <= built;
  } catch {
    return false;
  }
}

/**
 * Builds dist/. Each file is written beside its place and renamed into it, so a process starting
 * while another rebuilds reads either the old file or the new one, never half of one.
 */
export async function buildServer() {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: { quick: join(sourceDir, 'cli/quick.ts'), main: join(sourceDir, 'main.ts') },
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    packages: 'external',
    sourcemap: 'linked',
    sourcesContent: false,
    write: false,
    logLevel: 'warning',
  });
  mkdirSync(outDir, { recursive: true });
  for (const file of result.outputFiles) {
    const temporary = `${file.path}.${process.pid}.tmp`;
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
  }
}
