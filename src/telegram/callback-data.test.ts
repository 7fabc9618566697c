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
  });
});
