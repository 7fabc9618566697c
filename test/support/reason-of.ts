import { AppError } from '../../src/app/errors.ts';

/** The AppError reason `run` throws with; fails the test when it throws nothing or something else. */
export function reasonOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error.reason;
    throw error;
  }
  throw new Error('expected an AppError');
}
