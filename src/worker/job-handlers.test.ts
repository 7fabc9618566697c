import { describe, expect, it } from 'vitest';
import { jobKinds } from '../app/jobs.ts';
import type { JobHandler, JobHandlers } from './job-context.ts';
import { jobHandlers } from './job-handlers.ts';
import { sendReminder } from './jobs/send-reminder.ts';

describe('job handlers', () => {
  it('has one handler for every kind of the job contract', () => {
    expect(Object.keys(jobHandlers).sort()).toEqual([...jobKinds].sort());
  });

  it('refuses a handler of the wrong kind at compile time', () => {
    // Each marked line must fail to type-check, or the directive above it is unused and
    // `npm run typecheck` fails; so it fails if the claim side's typing ever loosens.
    const digestHandler: JobHandler<'digest.send'> = async (payload) => {
      // @ts-expect-error a digest's payload has no reminder trigger
      void payload.trigger;
    };
    // @ts-expect-error a reminder's handler cannot serve digests
    const swapped: JobHandlers = { ...jobHandlers, 'digest.send': sendReminder };
    expect([digestHandler, swapped]).toHaveLength(2);
  });
});
