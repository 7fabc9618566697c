import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The folder of Televent's own package.json, wherever a command is run from: `npx televent` in a
 * subfolder must find the same `data/` as `npm start` at the top, not make a second database.
 */
export const packageRoot = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');

/** DATA_DIR when none is set: `data/` in the package root. */
export const defaultDataDir = `${packageRoot}/data`;

/** The version in package.json (`televent --version`). */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(`${packageRoot}/package.json`, 'utf8')) as { version?: string };
  return manifest.version ?? 'unknown';
}
