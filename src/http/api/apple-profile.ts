import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { TypedApp } from '../typed-app.ts';
import { requireUser } from './authenticate.ts';

// An Apple configuration profile (.mobileconfig) that adds a CalDAV account on iPhone, iPad or Mac
// in one tap: a property list with one com.apple.caldav.account payload (Apple's Configuration
// Profile Reference, "CalDAV"). The server keeps only a hash of a device password, so the profile is
// made from the password the web app has just been shown (POST /api/devices answered it once); it
// is answered with no-store and never logged or kept.

export const appleProfileInput = z
  .object({
    name: z.string().trim().min(1).max(64).describe('The device name, shown as the account description'),
    password: z
      .string()
      .min(8)
      .max(128)
      .regex(/^[\x21-\x7e]+$/, 'must be a device password as POST /api/devices answered it')
      .describe('The device password POST /api/devices has just answered'),
  })
  .strict();

/** XML 1.0 §2.4: the five characters that may not stand for themselves in text. */
export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

export interface AppleProfileFields {
  /** The public base URL people open, e.g. https://cal.example.org. */
  baseUrl: string;
  userId: number;
  deviceName: string;
  password: string;
  /** Two fresh UUIDs: the profile's and its payload's (Apple requires both, unique per install). */
  uuids?: { profile: string; payload: string };
}

const entry = (key: string, value: string | number | boolean) => {
  const text =
    typeof value === 'boolean'
      ? `<${value}/>`
      : typeof value === 'number'
        ? `<integer>${value}</integer>`
        : `<string>${escapeXml(value)}</string>`;
  return `<key>${escapeXml(key)}</key>${text}`;
};

/** The property list text (Apple's plist DTD 1.0), every value XML-escaped. */
export function appleProfile(fields: AppleProfileFields): string {
  const url = new URL(fields.baseUrl);
  const ssl = url.protocol === 'https:';
  const port = url.port ? Number(url.port) : ssl ? 443 : 80;
  const uuids = fields.uuids ?? { profile: randomUUID(), payload: randomUUID() };
  const host = url.hostname;
  const identifier = `${host.split('.').reverse().join('.')}.televent.${fields.userId}`;
  const payload = [
    entry('PayloadType', 'com.apple.caldav.account'),
    entry('PayloadVersion', 1),
    entry('PayloadIdentifier', `${identifier}.caldav.${uuids.payload}`),
    entry('PayloadUUID', uuids.payload),
    entry('PayloadDisplayName', `Televent (${fields.deviceName})`),
    entry('CalDAVAccountDescription', `Televent (${fields.deviceName})`),
    entry('CalDAVHostName', host),
    entry('CalDAVPort', port),
    entry('CalDAVUseSSL', ssl),
    entry('CalDAVPrincipalURL', `${url.origin}/principals/${fields.userId}/`),
    entry('CalDAVUsername', String(fields.userId)),
    entry('CalDAVPassword', fields.password),
  ].join('\n      ');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>PayloadContent</key>
  <array>
    <dict>
      ${payload}
    </dict>
  </array>
  ${[
    entry('PayloadType', 'Configuration'),
    entry('PayloadVersion', 1),
    entry('PayloadIdentifier', `${identifier}.${uuids.profile}`),
    entry('PayloadUUID', uuids.profile),
    entry('PayloadDisplayName', 'Televent calendar'),
    entry('PayloadDescription', `Adds your Televent calendar (${fields.deviceName}) over CalDAV.`),
    entry('PayloadRemovalDisallowed', false),
  ].join('\n  ')}
</dict>
</plist>
`;
}

/** POST /api/devices/apple-profile: the .mobileconfig for a device password just created. */
export async function registerAppleProfileRoute(
  api: TypedApp,
  options: { publicBaseUrl: string },
): Promise<void> {
  api.post(
    '/devices/apple-profile',
    {
      schema: {
        tags: ['devices'],
        summary:
          'An Apple configuration profile (.mobileconfig) with a CalDAV account for a device password you have just created',
        body: appleProfileInput,
        produces: ['application/x-apple-aspen-config'],
      },
    },
    async (request, reply) => {
      const userId = requireUser(request);
      const text = appleProfile({
        baseUrl: options.publicBaseUrl,
        userId,
        deviceName: request.body.name,
        password: request.body.password,
      });
      return reply
        .header('content-type', 'application/x-apple-aspen-config')
        .header('content-disposition', 'attachment; filename="televent.mobileconfig"')
        .header('cache-control', 'no-store')
        .send(text);
    },
  );
}
