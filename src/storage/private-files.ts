import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Owner only: calendar text, WAL and Argon2 hashes are nobody else's business on a shared machine. */
export const privateDirectoryMode = 0o700;
export const privateFileMode = 0o600;

/** Creates `path` (and missing parents) owner-only, and narrows it if it already existed wider. */
export function ensurePrivateDirectory(path: string): void {
  mkdirSync(path, { recursive: true, mode: privateDirectoryMode });
  chmodSync(path, privateDirectoryMode);
}

/**
 * Narrows every directory under `root` (itself included) to 0700 and every regular file to
 * 0600. PGlite's initdb writes its cluster 0666/0755, and files PostgreSQL opens with fopen()
 * come out 0644 (the WebAssembly umask is 022), whatever the process umask says. Symbolic links
 * are neither followed nor changed, so a link inside the tree cannot widen the walk.
 */
export function restrictTree(root: string): void {
  let stat: ReturnType<typeof lstatSync>;
  try {
    stat = lstatSync(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (stat.isDirectory()) {
    if ((stat.mode & 0o777) !== privateDirectoryMode) chmodSync(root, privateDirectoryMode);
    for (const entry of readdirSync(root)) restrictTree(join(root, entry));
  } else if (stat.isFile() && (stat.mode & 0o777) !== privateFileMode) {
    chmodSync(root, privateFileMode);
  }
}

/**
 * Widens every directory under `root` to 0755 and every regular file to 0644: for the embedded
 * database's template in dist/, which holds no data and is built by whoever installs (root, in the
 * container image) but copied at first start by the account that serves (`node` there).
 */
export function shareTree(root: string): void {
  const stat = lstatSync(root);
  if (stat.isDirectory()) {
    chmodSync(root, 0o755);
    for (const entry of readdirSync(root)) shareTree(join(root, entry));
  } else if (stat.isFile()) {
    chmodSync(root, 0o644);
  }
}
