import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppError } from '../../../src/app/errors.ts';
import type { PreferencesPatch } from '../../../src/app/preference-service.ts';
import { type AppServices, createServices } from '../../../src/app/services.ts';
import { openTestDatabase, type TestDatabase, testEngine } from '../../support/test-database.ts';

function expectAppError(reason: string) {
  return expect.objectContaining({ name: 'AppError', reason }) as unknown as AppError;
}

describe(`PreferenceService [${testEngine}]`, () => {
  let database: TestDatabase;
  let services: AppServices;
  let nextUser = 4001;

  beforeAll(async () => {
    database = await openTestDatabase();
    services = createServices(database.db);
  });
  afterAll(async () => {
    await database.close();
  });

  async function newUser(): Promise<number> {
    const telegramId = nextUser++;
    await services.accounts.ensureUser({ telegramId });
    return telegramId;
  }

  it('starts a new user with a 15-minute reminder and the digest on at 08:00', async () => {
    const user = await newUser();
    expect(await services.preferences.getPreferences(user)).toEqual({
      defaultReminderMinutes: 15,
      defaultReminderEnabled: true,
      digestEnabled: true,
      digestTime: '08:00',
      email: null,
    });
  });

  it('changes the default reminder alone and keeps the other settings', async () => {
    const user = await newUser();
    expect(await services.preferences.updatePreferences(user, { defaultReminderMinutes: 60 })).toEqual({
      defaultReminderMinutes: 60,
      defaultReminderEnabled: true,
      digestEnabled: true,
      digestTime: '08:00',
      email: null,
    });
    expect((await services.preferences.getPreferences(user)).defaultReminderMinutes).toBe(60);
  });

  it('turns the digest off and on again', async () => {
    const user = await newUser();
    expect((await services.preferences.updatePreferences(user, { digestEnabled: false })).digestEnabled).toBe(
      false,
    );
    expect((await services.preferences.getPreferences(user)).digestEnabled).toBe(false);
    expect((await services.preferences.updatePreferences(user, { digestEnabled: true })).digestEnabled).toBe(
      true,
    );
    expect((await services.preferences.getPreferences(user)).digestEnabled).toBe(true);
  });

  it('moves the digest to another time and reads it back as HH:MM', async () => {
    const user = await newUser();
    expect((await services.preferences.updatePreferences(user, { digestTime: '21:45' })).digestTime).toBe(
      '21:45',
    );
    expect(await services.preferences.getPreferences(user)).toEqual({
      defaultReminderMinutes: 15,
      defaultReminderEnabled: true,
      digestEnabled: true,
      digestTime: '21:45',
      email: null,
    });
  });

  it('changes all three settings in one update', async () => {
    const user = await newUser();
    const patch = { defaultReminderMinutes: 0, digestEnabled: false, digestTime: '00:00' };
    expect(await services.preferences.updatePreferences(user, patch)).toEqual({
      ...patch,
      defaultReminderEnabled: true,
      email: null,
    });
    expect(await services.preferences.getPreferences(user)).toEqual({
      ...patch,
      defaultReminderEnabled: true,
      email: null,
    });
  });

  it('accepts the longest reminder, four weeks', async () => {
    const user = await newUser();
    expect(
      (await services.preferences.updatePreferences(user, { defaultReminderMinutes: 40_320 }))
        .defaultReminderMinutes,
    ).toBe(40_320);
  });

  it.each<[string, PreferencesPatch]>([
    ['negative minutes', { defaultReminderMinutes: -1 }],
    ['fractional minutes', { defaultReminderMinutes: 1.5 }],
    ['more than four weeks', { defaultReminderMinutes: 40_321 }],
    ['NaN minutes', { defaultReminderMinutes: Number.NaN }],
    ['hour 24', { digestTime: '24:00' }],
    ['a one-digit hour', { digestTime: '8:00' }],
    ['minute 60', { digestTime: '08:60' }],
    ['seconds', { digestTime: '08:00:00' }],
    ['an empty time', { digestTime: '' }],
    ['a valid field beside an invalid one', { digestEnabled: false, defaultReminderMinutes: -5 }],
  ])('refuses %s as an invalid field and changes nothing', async (_label, patch) => {
    const user = await newUser();
    await services.preferences.updatePreferences(user, { defaultReminderMinutes: 30, digestTime: '07:15' });
    const before = await services.preferences.getPreferences(user);
    await expect(services.preferences.updatePreferences(user, patch)).rejects.toThrow(
      expectAppError('invalid-field'),
    );
    expect(await services.preferences.getPreferences(user)).toEqual(before);
  });

  it('names the field that failed', async () => {
    const user = await newUser();
    const error = await services.preferences
      .updatePreferences(user, { digestTime: 'noon' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'invalid-field', details: { field: 'digestTime' } });
  });

  it('returns the current settings for an empty patch', async () => {
    const user = await newUser();
    await services.preferences.updatePreferences(user, { defaultReminderMinutes: 5, digestEnabled: false });
    expect(await services.preferences.updatePreferences(user, {})).toEqual({
      defaultReminderMinutes: 5,
      defaultReminderEnabled: true,
      digestEnabled: false,
      digestTime: '08:00',
      email: null,
    });
  });

  it('reports an unknown user as not found, for reading and for writing', async () => {
    await expect(services.preferences.getPreferences(4999)).rejects.toThrow(expectAppError('user-not-found'));
    await expect(services.preferences.updatePreferences(4999, { digestEnabled: false })).rejects.toThrow(
      expectAppError('user-not-found'),
    );
    await expect(services.preferences.updatePreferences(4999, {})).rejects.toThrow(
      expectAppError('user-not-found'),
    );
  });

  it('keeps one user’s settings apart from another’s', async () => {
    const first = await newUser();
    const second = await newUser();
    await services.preferences.updatePreferences(first, { digestTime: '06:30' });
    expect((await services.preferences.getPreferences(second)).digestTime).toBe('08:00');
  });
});
