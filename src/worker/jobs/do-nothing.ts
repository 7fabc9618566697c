import type { JobHandler } from '../job-context.ts';

/** 'noop': measures the queue itself (bench:worker, tests). */
export const doNothing: JobHandler<'noop'> = async () => {};
