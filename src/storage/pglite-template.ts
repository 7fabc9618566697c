import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { packageRoot } from '../package-root.ts';
import { shareTree } from './private-files.ts';

// A freshly initialised embedded database, made once at install time (the `prepare` script), so a
// first start copies 40 MB instead of running PostgreSQL's initdb inside the server: initdb takes
// ~6 s here and leaves the serving process holding ~500 MB more than a plain start does. Only
// initdb's output is kept, no schema: the migrations run on it as on any new database.

const templateDir = join(packageRoot, 'dist', 'pglite-template');
const stampName = 'televent-template.json';
/** Raised when the way the template is made changes (2: readable by every account), so it is remade. */
const templateFormat = 2;

/** The installed PGlite's version: a folder initialised by another version is not used. */
function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const manifest = join(dirname(entry), '..', 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

function templateIsCurrent(): boolean {
  try {
    const stamp = JSON.parse(readFileSync(join(templateDir, stampName), 'utf8')) as {
      pglite?: string;
      format?: number;
    };
    return stamp.pglite === pgliteVersion() && stamp.format === templateFormat;
  } catch {
    return false;
  }
}

/**
 * Fills an absent `pgdata` folder from the template (copied aside, then renamed into place).
 * Returns false, and PGlite runs initdb itself, when there is no current template or the folder exists.
 */
export function seedFromTemplate(pgdata: string): boolean {
  if (existsSync(pgdata) || !templateIsCurrent()) return false;
  const partial = `${pgdata}.${process.pid}.partial`;
  const stamp = join(templateDir, stampName);
  cpSync(templateDir, partial, { recursive: true, filter: (path) => path !== stamp });
  renameSync(partial, pgdata);
  return true;
}

/** Initialises the template unless a current one exists; true when it made one. */
export async function buildPgliteTemplate(): Promise<boolean> {
  if (templateIsCurrent()) return false;
  mkdirSync(dirname(templateDir), { recursive: true });
  const work = mkdtempSync(`${templateDir}-`);
  const pglite = await PGlite.create(join(work, 'pgdata'));
  await pglite.close();
  writeFileSync(
    join(work, 'pgdata', stampName),
    JSON.stringify({ pglite: pgliteVersion(), format: templateFormat }),
  );
  // initdb writes some files 0600; the account that serves may not be the one that installed.
  shareTree(join(work, 'pgdata'));
  rmSync(templateDir, { recursive: true, force: true });
  renameSync(join(work, 'pgdata'), templateDir);
  rmSync(work, { recursive: true, force: true });
  return true;
}
