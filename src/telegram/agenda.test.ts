import { describe, expect, it } from 'vitest';
import { occurrence } from '../../test/fixtures/occurrence.ts';
import { agendaPageSize, renderAgenda } from './agenda.ts';

describe('renderAgenda', () => {
  it('groups by day in the given zone and escapes titles and places', () => {
    const page = renderAgenda(
      'Today',
      'today',
      [
        occurrence('2026-03-01T23:30:00Z', '<script>', { location: 'A & B' }),
        occurrence('2026-03-02T08:00:00Z', 'Late'),
      ],
      0,
      'Europe/Berlin',
      'empty',
    );
    expect(page.text).toContain('<b>Mon, 2 Mar 2026</b>');
    expect(page.text).not.toContain('Sun, 1 Mar');
    expect(page.text).toContain('00:30–01:30  &lt;script&gt; · 📍 A &amp; B');
    expect(page.keyboard).toBeUndefined();
  });

  it('pages long lists and keeps every page under Telegram message length', () => {
    const many = Array.from({ length: 25 }, (_, i) =>
      occurrence(new Date(Date.UTC(2026, 0, 1 + i, 9)).toISOString(), 'x'.repeat(500), {
        location: 'y'.repeat(500),
      }),
    );
    const last = renderAgenda('Upcoming', 'list', many, 2, 'UTC', 'empty');
    expect(last.text).toContain('Page 3 of 3');
    expect(last.text.split('xxx').length).toBeGreaterThan(1);
    for (let page = 0; page < 3; page += 1) {
      expect(renderAgenda('Upcoming', 'list', many, page, 'UTC', 'empty').text.length).toBeLessThan(4096);
    }
    expect(agendaPageSize).toBe(10);
  });

  it('shows the empty text when there is nothing', () => {
    expect(renderAgenda('Today', 'today', [], 0, 'UTC', 'Nothing planned').text).toBe(
      '<b>Today</b>\n\nNothing planned',
    );
  });
});
