import { describe, expect, it } from 'vitest';
import { type CallbackData, decodeCallback, encodeCallback, maxCallbackBytes } from './callback-data.ts';

const eventId = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('callback data codec', () => {
  it.each<[string, CallbackData, string]>([
    [
      'snooze',
      { kind: 'snooze', eventId, occurrenceStart: new Date('2026-03-01T09:30:00Z') },
      `snooze:${eventId}:1772357400`,
    ],
    ['open', { kind: 'open', eventId }, `open:${eventId}`],
    ['agenda', { kind: 'agenda', view: 'week', page: 3 }, 'ag:week:3'],
  ])('round-trips %s through the wire text older messages already carry', (_kind, data, wire) => {
    const encoded = encodeCallback(data);
    expect(encoded).toBe(wire);
    expect(decodeCallback(encoded)).toEqual(data);
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
    'cf:skip',
    `OPEN:${eventId}`,
  ])('decodes unknown or garbled data %j to null', (text) => {
    expect(decodeCallback(text)).toBeNull();
  });

  it('keeps the longest data within 64 bytes and refuses more at encode time', () => {
    const longest = encodeCallback({
      kind: 'snooze',
      eventId,
      occurrenceStart: new Date(999_999_999_999 * 1000),
    });
    expect(new TextEncoder().encode(longest).length).toBeLessThanOrEqual(maxCallbackBytes);
    // 'open:' and 60 characters is 65 bytes.
    expect(() => encodeCallback({ kind: 'open', eventId: 'x'.repeat(60) })).toThrow(RangeError);
    expect(() => encodeCallback({ kind: 'agenda', view: 'list', page: 10_000 })).toThrow(RangeError);
  });
});
