import { describe, expect, it } from 'vitest';
import { localDayBounds, nextDigest } from './digest-schedule.ts';

const grace = 10 * 60_000;

describe('digest schedule', () => {
  it('plans today at 08:00 local before it, tomorrow after it', () => {
    const before = nextDigest(new Date('2026-06-10T05:00:00Z'), 'Europe/Berlin', '08:00:00', grace);
    expect(before).toEqual({ localDate: '2026-06-10', at: new Date('2026-06-10T06:00:00Z') });
    const after = nextDigest(new Date('2026-06-10T07:00:00Z'), 'Europe/Berlin', '08:00:00', grace);
    expect(after).toEqual({ localDate: '2026-06-11', at: new Date('2026-06-11T06:00:00Z') });
  });

  it('keeps 08:00 local on both sides of the spring-forward night', () => {
    const saturday = nextDigest(new Date('2026-03-28T12:00:00Z'), 'Europe/Berlin', '08:00', grace);
    expect(saturday).toEqual({ localDate: '2026-03-29', at: new Date('2026-03-29T06:00:00Z') });
    const sunday = nextDigest(new Date('2026-03-29T12:00:00Z'), 'Europe/Berlin', '08:00', grace);
    expect(sunday).toEqual({ localDate: '2026-03-30', at: new Date('2026-03-30T06:00:00Z') });
  });

  it('moves a digest time inside the DST gap forward by the gap', () => {
    const gap = nextDigest(new Date('2026-03-29T00:00:00Z'), 'Europe/Berlin', '02:30', grace);
    expect(gap).toEqual({ localDate: '2026-03-29', at: new Date('2026-03-29T01:30:00Z') });
  });

  it('gives the fall-back day 25 hours and the spring-forward day 23', () => {
    const fall = localDayBounds('2026-10-25', 'Europe/Berlin');
    expect((fall.end.getTime() - fall.start.getTime()) / 3_600_000).toBe(25);
    const spring = localDayBounds('2026-03-29', 'Europe/Berlin');
    expect((spring.end.getTime() - spring.start.getTime()) / 3_600_000).toBe(23);
  });
});
