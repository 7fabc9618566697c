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
