import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { pgliteParsers, wrapPGlite } from '../../src/storage/database.ts';
import { migrateToLatest } from '../../src/storage/migrate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteSnapshot: string;
  }
}

/**
 * Creating a PGlite cluster runs initdb in WebAssembly (seconds); loading a migrated snapshot
 * takes about one. So the snapshot is made once per run and each test file loads its own copy.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  if (process.env.TEST_ENGINE === 'postgres') {
    project.provide('pgliteSnapshot', '');
    return () => {};
  }
  const dir = mkdtempSync(join(tmpdir(), 'televent-pglite-'));
  const pglite = await PGlite.create({ parsers: pgliteParsers });
  const handle = wrapPGlite(pglite, 'memory://snapshot');
  await migrateToLatest(handle.db);
  const dump = await pglite.dumpDataDir('none');
  const file = join(dir, 'migrated.tar');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await handle.close();
  project.provide('pgliteSnapshot', file);
  return () => rmSync(dir, { recursive: true, force: true });
}
