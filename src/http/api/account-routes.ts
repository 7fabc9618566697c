import { z } from 'zod';
import type { AppServices } from '../../app/services.ts';
import type { Config } from '../../config.ts';
import type { TypedApp } from '../typed-app.ts';
import { requireUser } from './authenticate.ts';
import {
  calendarOutput,
  deviceInput,
  deviceOutput,
  idParams,
  mePatch,
  newDeviceOutput,
  preferencesOutput,
  preferencesPatch,
  userOutput,
} from './contract.ts';
import { presentCalendar, presentDevice, presentPreferences, presentUser } from './present.ts';

/**
 * `/api/me`, `/api/preferences`, `/api/calendars`, `/api/devices`, `/api/export` and
 * `/api/account`: everything about the signed-in user except events.
 */
export async function registerAccountRoutes(
  api: TypedApp,
  services: AppServices,
  options: { config: Config; publicBaseUrl: string },
): Promise<void> {
  api.get(
    '/me',
    { schema: { tags: ['account'], summary: 'The signed-in user', response: { 200: userOutput } } },
    async (request) => presentUser(await services.accounts.getUser(requireUser(request))),
  );

  api.patch(
    '/me',
    {
      schema: {
        tags: ['account'],
        summary: 'Set your time zone',
        body: mePatch,
        response: { 200: userOutput },
      },
    },
    async (request) =>
      presentUser(await services.accounts.setTimeZone(requireUser(request), request.body.timezone)),
  );

  api.get(
    '/preferences',
    {
      schema: {
        tags: ['account'],
        summary: 'Reminder and digest settings',
        response: { 200: preferencesOutput },
      },
    },
    async (request) => presentPreferences(await services.preferences.getPreferences(requireUser(request))),
  );

  api.patch(
    '/preferences',
    {
      schema: {
        tags: ['account'],
        summary: 'Change reminder and digest settings',
        body: preferencesPatch,
        response: { 200: preferencesOutput },
      },
    },
    async (request) => {
      const { defaultReminderMinutes, digestEnabled, digestTime, email } = request.body;
      const updated = await services.preferences.updatePreferences(requireUser(request), {
        ...(defaultReminderMinutes === undefined
          ? {}
          : defaultReminderMinutes === null
            ? { defaultReminderEnabled: false }
            : { defaultReminderMinutes, defaultReminderEnabled: true }),
        ...(digestEnabled === undefined ? {} : { digestEnabled }),
        ...(digestTime === undefined ? {} : { digestTime }),
        ...(email === undefined ? {} : { email }),
      });
      return presentPreferences(updated);
    },
  );

  api.get(
    '/calendars',
    {
      schema: { tags: ['calendars'], summary: 'Your calendars', response: { 200: z.array(calendarOutput) } },
    },
    async (request) => {
      const userId = requireUser(request);
      const [calendars, feeds, choice] = await Promise.all([
        services.calendars.listCalendars(userId),
        services.calendarSubscriptions.subscriptionsOf(userId),
        services.preferences.calendarChoice(userId, 'VEVENT'),
      ]);
      return calendars.map((calendar) =>
        presentCalendar(
          calendar,
          options.publicBaseUrl,
          feeds.get(calendar.id) ?? null,
          calendar.id === choice.defaultId,
        ),
      );
    },
  );

  api.post(
    '/devices',
    {
      schema: {
        tags: ['devices'],
        summary: 'Create a device password for a calendar app (shown once)',
        body: deviceInput,
        response: { 201: newDeviceOutput },
      },
    },
    async (request, reply) => {
      const userId = requireUser(request);
      const device = await services.devices.createDevice(userId, request.body.name);
      reply.code(201).header('cache-control', 'no-store');
      return {
        ...presentDevice(device),
        password: device.password,
        caldav: { url: `${options.publicBaseUrl}/`, username: String(userId) },
      };
    },
  );

  api.get(
    '/devices',
    {
      schema: {
        tags: ['devices'],
        summary: 'Your device passwords (never the passwords)',
        response: { 200: z.array(deviceOutput) },
      },
    },
    async (request) => (await services.devices.listDevices(requireUser(request))).map(presentDevice),
  );

  api.delete(
    '/devices/:id',
    { schema: { tags: ['devices'], summary: 'Revoke a device password', params: idParams } },
    async (request, reply) => {
      await services.devices.revokeDevice(requireUser(request), request.params.id);
      return reply.code(204).send();
    },
  );

  api.get(
    '/export',
    { schema: { tags: ['account'], summary: 'Everything you own, as JSON with the calendar as .ics text' } },
    async (request, reply) => {
      // A GET has no side effects: the emailed copy belongs to the bot's /export.
      const data = await services.accounts.exportData(requireUser(request), { emailCopy: false });
      reply
        .header('content-disposition', 'attachment; filename="televent-export.json"')
        .header('cache-control', 'no-store');
      return {
        ...data,
        user: presentUser(data.user),
        exportedAt: data.exportedAt.toISOString(),
        devices: data.devices.map(presentDevice),
      };
    },
  );

  api.get(
    '/export.ics',
    { schema: { tags: ['account'], summary: 'Your calendar as one .ics file' } },
    async (request, reply) => {
      const data = await services.accounts.exportData(requireUser(request), { emailCopy: false });
      return reply
        .header('content-type', 'text/calendar; charset=utf-8')
        .header('content-disposition', 'attachment; filename="televent.ics"')
        .send(data.ics);
    },
  );

  api.get(
    '/account',
    {
      schema: {
        tags: ['account'],
        summary: 'Account state, including a pending deletion',
        response: { 200: userOutput },
      },
    },
    async (request) => presentUser(await services.accounts.getUser(requireUser(request))),
  );

  api.post(
    '/account/deletion',
    {
      schema: {
        tags: ['account'],
        summary: 'Request deletion: everything is erased 30 days later unless cancelled',
        response: { 202: userOutput },
      },
    },
    async (request, reply) => {
      const user = await services.accounts.requestDeletion(requireUser(request));
      reply.code(202);
      return presentUser(user);
    },
  );

  api.delete(
    '/account/deletion',
    { schema: { tags: ['account'], summary: 'Cancel a pending deletion', response: { 200: userOutput } } },
    async (request) => presentUser(await services.accounts.cancelDeletion(requireUser(request))),
  );
}
