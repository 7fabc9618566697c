import { z } from 'zod';
import { importIcs, maxImportBytes } from '../../app/ics-import.ts';
import type { AppServices } from '../../app/services.ts';
import type { TypedApp } from '../typed-app.ts';
import { requireUser } from './authenticate.ts';
import { importOutput } from './contract.ts';

/**
 * POST /api/import: an .ics document (text/calendar) into the user's calendar, with the same rules
 * and the same 5 MB bound as an import sent to the bot (app/ics-import.ts). The text/calendar parser
 * lives in this route's own scope: the rest of /api stays JSON only.
 */
export async function registerImportRoute(api: TypedApp, services: AppServices): Promise<void> {
  await api.register(async (scope: TypedApp) => {
    scope.addContentTypeParser(
      'text/calendar',
      { parseAs: 'string', bodyLimit: maxImportBytes },
      (_request, body, done) => done(null, body),
    );
    scope.post(
      '/import',
      {
        bodyLimit: maxImportBytes,
        schema: {
          tags: ['events'],
          summary:
            'Import an .ics file (text/calendar, up to 5 MB): new UIDs are created, changed ones updated, identical ones skipped',
          consumes: ['text/calendar'],
          body: z.string().describe('An iCalendar document (RFC 5545), e.g. an export of another calendar'),
          response: { 200: importOutput },
        },
      },
      async (request) => {
        const userId = requireUser(request);
        // An import is costly work: it counts against the user's concurrent requests like a listing.
        const report = await services.work.run(userId, () =>
          importIcs(services.calendars, userId, request.body),
        );
        return {
          created: report.created,
          updated: report.updated,
          skipped: report.skipped,
          errors: report.problems.map((problem) => ({
            ...(problem.uid === null ? {} : { uid: problem.uid }),
            reason: problem.reason,
            message: problem.message,
          })),
        };
      },
    );
  });
}
