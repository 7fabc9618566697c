import type { AppServices } from '../app/services.ts';
import type { Config } from '../config.ts';

export const serverRoles = ['http', 'bot', 'worker'] as const;
export type ServerRole = (typeof serverRoles)[number];

/** What the CLI needs from the composition root; main.ts builds it. */
export interface CliRuntime {
  readonly config: Config;
  /** Opens the database (migrated to the latest version unless `migrate: false`) and the services. */
  open(options?: { migrate?: boolean }): Promise<OpenRuntime>;
  /** Runs the server with the given roles until a signal stops it. */
  serve(roles: readonly ServerRole[]): Promise<void>;
}

/** The schema commands (`televent migrate …`); main.ts, the composition root, builds it. */
export interface DatabaseAdmin {
  /** Applies every pending migration; one line per migration run. */
  migrateUp(): Promise<string[]>;
  /** Undoes the newest migration, or every one with `all`; one line per migration undone. */
  migrateDown(options: { all: boolean }): Promise<string[]>;
  /** Every migration, with when it ran (null while pending). */
  migrationStatus(): Promise<ReadonlyArray<{ name: string; executedAt: Date | null }>>;
  /** Copies every table, as of one snapshot, into an empty database; verified before it commits. */
  moveData(target: MoveTarget): Promise<TransferReport>;
  /** Writes a consistent snapshot of every table to `file` (an absolute path). */
  backup(file: string): Promise<TransferReport>;
  /** Loads the backup in `file` in one transaction; `replace` empties a database that holds data first. */
  restore(file: string, options: { replace: boolean }): Promise<TransferReport & { televentVersion: string }>;
}

/** Where `data move` copies to: a PostgreSQL URL, or a folder for a new embedded database. */
export type MoveTarget = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };

/** What a move, backup or restore carried, table by table, verified on the other side. */
export interface TransferReport {
  readonly migration: string;
  /** The snapshot's moment, ISO 8601 UTC. */
  readonly takenAt: string;
  readonly tables: ReadonlyArray<{ table: string; rows: number; sha256: string }>;
}

export interface OpenRuntime {
  readonly databaseAdmin: DatabaseAdmin;
  readonly services: AppServices;
  close(): Promise<void>;
}

/** Where a command's output goes: the terminal, or the admin socket's reply. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}
