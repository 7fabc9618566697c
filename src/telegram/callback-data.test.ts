import { describe, expect, it } from 'vitest';
import {
  type CallbackData,
  type CallbackKind,
  decodeCallback,
  encodeCallback,
  maxCallbackBytes,
} from './callback-data.ts';

const eventId = '0f8fad5b-d9cb-469f-a165-70867728950e';
const deviceId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const byteLength = (text: string) => new TextEncoder().encode(text).length;

/** Every kind with the wire text buttons already sent to chats carry; the codec must keep reading them. */
const wireTexts: Array<[CallbackData, string]> = [
  [
    { kind: 'snooze', eventId, occurrenceStart: new Date('2026-03-01T09:30:00Z') },
    `snooze:${eventId}:1772357400`,
  ],
  [{ kind: 'open', eventId }, `open:${eventId}`],
  [{ kind: 'agenda', view: 'week', page: 3 }, 'ag:week:3'],
  [{ kind: 'time-zone', zone: 'Europe/Berlin' }, 'tz:Europe/Berlin'],
  [{ kind: 'create-skip' }, 'cf:skip'],
  [{ kind: 'create-duration', minutes: 120 }, 'cf:dur:120'],
  [{ kind: 'quick-add', choice: 'save' }, 'qa:save'],
  [{ kind: 'quick-add', choice: 'edit' }, 'qa:edit'],
  [{ kind: 'quick-add', choice: 'cancel' }, 'qa:cancel'],
  [
    { kind: 'cancel-pick', eventId, occurrenceStart: new Date('2026-03-01T09:30:00Z') },
    `rm:${eventId}:1772357400`,
  ],
  [{ kind: 'cancel-pick', eventId, occurrenceStart: null }, `rm:${eventId}:0`],
  [{ kind: 'cancel-series', eventId }, `rms:${eventId}`],
  [
    { kind: 'cancel-occurrence', eventId, occurrenceStart: new Date('2026-03-01T09:30:00Z') },
    `rmo:${eventId}:1772357400`,
  ],
  [{ kind: 'cancel-keep' }, 'rm:keep'],
  [{ kind: 'device-revoke', deviceId }, `dv:${deviceId}`],
  [{ kind: 'device-keep' }, 'dv:keep'],
  [{ kind: 'account', choice: 'delete' }, 'acct:delete'],
  [{ kind: 'account', choice: 'keep' }, 'acct:keep'],
  [{ kind: 'account', choice: 'undo' }, 'acct:undo'],
  [{ kind: 'create-repeat', repeat: 'weekly' }, 'cf:rep:weekly'],
  [{ kind: 'create-repeat', repeat: 'none' }, 'cf:rep:none'],
  [{ kind: 'create-reminder', minutes: 1440 }, 'cf:rem:1440'],
  [{ kind: 'cancel-page', page: 4 }, 'rm:pg:4'],
  [{ kind: 'search-page', page: 0 }, 'sr:pg:0'],
  [{ kind: 'settings', item: 'menu' }, 'st:menu'],
  [{ kind: 'settings', item: 'email-off' }, 'st:email-off'],
  [{ kind: 'settings-reminder', minutes: 0 }, 'st:rem:0'],
  [{ kind: 'settings-reminder', minutes: 60 }, 'st:rem:60'],
  [{ kind: 'settings-digest', enabled: true }, 'st:dg:on'],
  [{ kind: 'settings-digest', enabled: false }, 'st:dg:off'],
  [{ kind: 'settings-digest-time', time: '07:30' }, 'st:dt:07:30'],
  [{ kind: 'settings-language', language: 'ru' }, 'st:lg:ru'],
  [{ kind: 'settings-language', language: 'auto' }, 'st:lg:auto'],
  [
    { kind: 'edit-pick', eventId, occurrenceStart: new Date('2026-03-01T09:30:00Z') },
    `ed:${eventId}:1772357400`,
  ],
  [{ kind: 'edit-pick', eventId, occurrenceStart: null }, `ed:${eventId}:0`],
  [
    { kind: 'edit-open', eventId, occurrenceStart: new Date('2026-03-01T09:30:00Z') },
    `edo:${eventId}:1772357400`,
  ],
  [{ kind: 'edit-page', page: 2 }, 'ed:pg:2'],
  [{ kind: 'edit-agenda', view: 'today', page: 0 }, 'ed:ag:today:0'],
  [{ kind: 'edit-field', field: 'description' }, 'ed:f:description'],
  [{ kind: 'edit-duration', minutes: 90 }, 'ed:dur:90'],
  [{ kind: 'edit-reminder', minutes: 0 }, 'ed:rem:0'],
  [{ kind: 'edit-repeat', repeat: 'yearly' }, 'ed:rep:yearly'],
  [{ kind: 'edit-clear' }, 'ed:clear'],
  [{ kind: 'edit-scope', scope: 'following' }, 'ed:sc:following'],
  [{ kind: 'edit-done' }, 'ed:done'],
  [{ kind: 'settings', item: 'calendar' }, 'st:calendar'],
  [{ kind: 'create-calendar', calendarId: eventId }, `cf:cal:${eventId}`],
  [{ kind: 'quick-add-calendar', calendarId: eventId }, `qa:cal:${eventId}`],
  [{ kind: 'settings-calendar', calendarId: eventId }, `st:cal:${eventId}`],
  [{ kind: 'task-done', taskId: eventId }, `td:${eventId}`],
  [{ kind: 'task-reopen', taskId: eventId }, `tr:${eventId}`],
  [{ kind: 'task-delete', taskId: eventId }, `tx:${eventId}`],
  [{ kind: 'tasks-page', page: 2 }, 'tk:pg:2'],
  [{ kind: 'share-calendar', calendarId: eventId }, `sh:c:${eventId}`],
  [{ kind: 'share-invite', calendarId: eventId, access: 'write' }, `sh:i:${eventId}:write`],
  [{ kind: 'share-answer', shareId: eventId, answer: 'decline' }, `sh:a:${eventId}:decline`],
  [{ kind: 'share-manage', shareId: eventId, action: 'revoke' }, `sh:m:${eventId}:revoke`],
  [{ kind: 'group-join' }, 'gr:j'],
  [{ kind: 'group-access', access: 'read' }, 'gr:a:read'],
  [{ kind: 'invitation-answer', invitationId: eventId, answer: 'TENTATIVE' }, `iv:${eventId}:t`],
  [{ kind: 'invite-event', eventId }, `ie:${eventId}`],
];

describe('callback data codec', () => {
  it.each(wireTexts)('round-trips %o through the wire text older messages already carry', (data, wire) => {
    const encoded = encodeCallback(data);
    expect(encoded).toBe(wire);
    expect(decodeCallback(encoded)).toEqual(data);
  });

  it('covers every kind of button', () => {
    const kinds: Record<CallbackKind, true> = {
      snooze: true,
      open: true,
      agenda: true,
      'time-zone': true,
      'create-skip': true,
      'create-duration': true,
      'quick-add': true,
      'cancel-pick': true,
      'cancel-series': true,
      'cancel-occurrence': true,
      'cancel-keep': true,
      'device-revoke': true,
      'device-keep': true,
      account: true,
      'create-repeat': true,
      'create-reminder': true,
      'cancel-page': true,
      'search-page': true,
      settings: true,
      'settings-reminder': true,
      'settings-digest': true,
      'settings-digest-time': true,
      'settings-language': true,
      'edit-pick': true,
      'edit-open': true,
      'edit-page': true,
      'edit-agenda': true,
      'edit-field': true,
      'edit-duration': true,
      'edit-reminder': true,
      'edit-repeat': true,
      'edit-clear': true,
      'edit-scope': true,
      'edit-done': true,
      'create-calendar': true,
      'quick-add-calendar': true,
      'settings-calendar': true,
      'task-done': true,
      'task-reopen': true,
      'task-delete': true,
      'tasks-page': true,
      'share-calendar': true,
      'share-invite': true,
      'share-answer': true,
      'share-manage': true,
      'group-join': true,
      'group-access': true,
      'invitation-answer': true,
      'invite-event': true,
    };
    expect(new Set(wireTexts.map(([data]) => data.kind))).toEqual(new Set(Object.keys(kinds)));
  });

  it('names a snoozed occurrence by whole seconds', () => {
    const encoded = encodeCallback({
      kind: 'snooze',
      eventId,
      occurrenceStart: new Date('2026-03-01T09:30:00.900Z'),
    });
    expect(decodeCallback(encoded)).toEqual({
      kind: 'snooze',
      eventId,
      occurrenceStart: new Date('2026-03-01T09:30:00Z'),
    });
  });

  it('puts every time zone the runtime knows on a picker button within 64 bytes', () => {
    // Backward-compatible names such as ComodRivadavia are among the longest in the tz database.
    const zones = [...Intl.supportedValuesOf('timeZone'), 'UTC', 'America/Argentina/ComodRivadavia'];
    for (const zone of zones) {
      const encoded = encodeCallback({ kind: 'time-zone', zone });
      expect(byteLength(encoded)).toBeLessThanOrEqual(maxCallbackBytes);
      expect(decodeCallback(encoded)).toEqual({ kind: 'time-zone', zone });
    }
  });

  it.each([
    '',
    'snooze:',
    `snooze:${eventId}`,
    `snooze:${eventId}:abc`,
    `snooze:${eventId}:1234567890123`,
    `open:${eventId}x`,
    'open:not-a-uuid',
    'ag:month:1',
    'ag:week:12345',
    `OPEN:${eventId}`,
    'tz:',
    'tz:Europe/Berlin; drop',
    'tz:Europe/Zürich',
    `tz:${'A'.repeat(62)}`,
    'cf:skip:now',
    'cf:dur:',
    'cf:dur:-30',
    'cf:dur:123456',
    'qa:maybe',
    `rm:${eventId}`,
    `rm:${eventId}:`,
    `rms:${eventId}:0`,
    `rmo:${eventId}`,
    'rm:keep:1',
    'dv:',
    'dv:KEEP',
    'dv:not-a-uuid',
    'acct:',
    'acct:erase',
    'cf:rep:hourly',
    'cf:rem:',
    'rm:pg:x',
    'sr:pg:12345',
    'st:unknown',
    'st:rem:-5',
    'st:dg:maybe',
    'st:dt:24:00',
    'st:dt:7:30',
    'st:lg:de',
  ])('decodes unknown or garbled data %j to null', (text) => {
    expect(decodeCallback(text)).toBeNull();
  });

  it('keeps the longest data within 64 bytes and refuses more at encode time', () => {
    const farFuture = new Date(999_999_999_999 * 1000);
    for (const longest of [
      encodeCallback({ kind: 'snooze', eventId, occurrenceStart: farFuture }),
      encodeCallback({ kind: 'cancel-occurrence', eventId, occurrenceStart: farFuture }),
      encodeCallback({ kind: 'cancel-pick', eventId, occurrenceStart: farFuture }),
      encodeCallback({ kind: 'time-zone', zone: 'A'.repeat(61) }),
    ]) {
      expect(byteLength(longest)).toBeLessThanOrEqual(maxCallbackBytes);
    }
    // 'open:' and 60 characters is 65 bytes.
    expect(() => encodeCallback({ kind: 'open', eventId: 'x'.repeat(60) })).toThrow(RangeError);
    expect(() => encodeCallback({ kind: 'agenda', view: 'list', page: 10_000 })).toThrow(RangeError);
    expect(() => encodeCallback({ kind: 'time-zone', zone: 'A'.repeat(62) })).toThrow(RangeError);
  });

  it('refuses at encode time what it could not read back', () => {
    expect(() => encodeCallback({ kind: 'device-revoke', deviceId: 'keep' })).toThrow(RangeError);
    expect(() => encodeCallback({ kind: 'create-duration', minutes: 1.5 })).toThrow(RangeError);
    expect(() => encodeCallback({ kind: 'create-duration', minutes: -30 })).toThrow(RangeError);
    expect(() => encodeCallback({ kind: 'time-zone', zone: 'Europe/Zürich' })).toThrow(RangeError);
    expect(() => encodeCallback({ kind: 'cancel-series', eventId: 'not-a-uuid' })).toThrow(RangeError);
    expect(() => encodeCallback({ kind: 'settings-digest-time', time: '25:00' })).toThrow(RangeError);
    expect(() => encodeCallback({ kind: 'cancel-page', page: 10_000 })).toThrow(RangeError);
  });
});
