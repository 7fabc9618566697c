import { describe, expect, it } from 'vitest';
import { runTelevent } from '../../support/run-televent.ts';

describe('televent CLI: reminder settings', () => {
  it('refuses a bad REMINDER_GRACE_MINUTES with exit 2 and one line naming it', async () => {
    const result = await runTelevent(['serve'], {
      REMINDER_GRACE_MINUTES: 'soon',
      DATA_DIR: '/nonexistent/never',
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('REMINDER_GRACE_MINUTES');
  });

  it('refuses a bad REMINDER_HORIZON_DAYS with exit 2 and one line naming it', async () => {
    const result = await runTelevent(['serve'], {
      REMINDER_HORIZON_DAYS: '0',
      DATA_DIR: '/nonexistent/never',
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('REMINDER_HORIZON_DAYS');
  });
});
