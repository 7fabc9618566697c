import type { AppServices } from '../app/services.ts';
import type { Config } from '../config.ts';
import type { DatabaseHandle } from '../storage/database.ts';

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

export interface OpenRuntime {
  readonly database: DatabaseHandle;
  readonly services: AppServices;
  close(): Promise<void>;
}

/** Where a command's output goes: the terminal, or the admin socket's reply. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}
