import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { ProblemAlert } from './Announce.tsx';
import { api, type Me, type Preferences } from './api.ts';
import { DataSection } from './DataSection.tsx';
import type { Translate } from './i18n.ts';
import { haptic } from './telegram.ts';
import { useBackButton, useMainButton } from './telegram-buttons.ts';
import { knownTimeZones } from './zoned-time.ts';

// The default reminder as a choice of common values (minutes before; 0 is at the start), or none, as in the bot.
const reminderChoices = [0, 5, 10, 15, 30, 60, 120, 1440];

/** Time zone, default reminder, daily digest and e-mail; then the data section (import, export, deletion). */
export function SettingsPage(props: {
  t: Translate;
  locale: string;
  me: Me;
  inTelegram: boolean;
  onMeChanged: (me: Me) => void;
  onSignOut: () => void;
  onBack: () => void;
}) {
  const { t } = props;
  // A person who never chose a zone starts from the browser's, which is usually theirs.
  const [timeZone, setTimeZone] = useState(
    () => props.me.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? '',
  );
  const [preferences, setPreferences] = useState<Preferences | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [status, setStatus] = useState('');
  const [saving, setSaving] = useState(false);
  const zones = useMemo(knownTimeZones, []);
  const form = useRef<HTMLFormElement>(null);
  useBackButton(true, props.onBack);
  useMainButton(t('save'), saving, () => form.current?.requestSubmit());

  useEffect(() => {
    api
      .preferences()
      .then(setPreferences, (error: Error) => setProblem(t('errorLoad', { reason: error.message })));
  }, [t]);

  const set = <K extends keyof Preferences>(key: K, value: Preferences[K]) =>
    setPreferences((p) => (p ? { ...p, [key]: value } : p));

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!preferences) return;
    if (!zones.includes(timeZone)) {
      setProblem(t('errorTimeZone'));
      return;
    }
    setSaving(true);
    setProblem(undefined);
    try {
      if (timeZone !== props.me.timezone) props.onMeChanged(await api.setTimeZone(timeZone));
      setPreferences(
        await api.updatePreferences({
          defaultReminderMinutes: preferences.defaultReminderMinutes,
          digestEnabled: preferences.digestEnabled,
          digestTime: preferences.digestTime,
          email: preferences.email?.trim() || null,
        }),
      );
      haptic('success');
      setStatus(t('settingsSaved'));
    } catch (error) {
      haptic('error');
      setProblem((error as Error).message);
    } finally {
      setSaving(false);
    }
  }

  const reminderLabel = (minutes: number) =>
    minutes === 0
      ? t('reminderAtStart')
      : minutes % 1440 === 0
        ? t('reminderDays', { n: minutes / 1440 })
        : minutes % 60 === 0
          ? t('reminderHours', { n: minutes / 60 })
          : t('reminderMinutes', { n: minutes });
  const current = preferences?.defaultReminderMinutes ?? null;
  const choices =
    current === null ? reminderChoices : [...new Set([...reminderChoices, current])].sort((a, b) => a - b);

  return (
    <main className="page settings">
      <h2>{t('settingsTitle')}</h2>
      <form ref={form} onSubmit={save} noValidate aria-labelledby="settings-general">
        <h3 id="settings-general">{t('settingsGeneral')}</h3>
        <label htmlFor="settings-zone">{t('timeZone')}</label>
        <input
          id="settings-zone"
          list="settings-zones"
          value={timeZone}
          onChange={(e) => setTimeZone(e.target.value)}
          autoComplete="off"
          aria-describedby="settings-zone-hint"
        />
        <datalist id="settings-zones">
          {zones.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
        <p className="hint" id="settings-zone-hint">
          {t('timeZoneHint')}
        </p>
        {preferences === undefined ? (
          <p aria-busy="true">{t('loading')}</p>
        ) : (
          <>
            <label htmlFor="settings-reminder">{t('defaultReminder')}</label>
            <select
              id="settings-reminder"
              value={preferences.defaultReminderMinutes ?? 'none'}
              onChange={(e) =>
                set('defaultReminderMinutes', e.target.value === 'none' ? null : Number(e.target.value))
              }
            >
              <option value="none">{t('reminderNone')}</option>
              {choices.map((minutes) => (
                <option key={minutes} value={minutes}>
                  {reminderLabel(minutes)}
                </option>
              ))}
            </select>
            <div className="check">
              <input
                id="settings-digest"
                type="checkbox"
                checked={preferences.digestEnabled}
                onChange={(e) => set('digestEnabled', e.target.checked)}
              />
              <label htmlFor="settings-digest">{t('digestEnabled')}</label>
            </div>
            <label htmlFor="settings-digest-time">{t('digestTime')}</label>
            <input
              id="settings-digest-time"
              type="time"
              value={preferences.digestTime}
              disabled={!preferences.digestEnabled}
              onChange={(e) => e.target.value && set('digestTime', e.target.value)}
            />
            <label htmlFor="settings-email">{t('email')}</label>
            <input
              id="settings-email"
              type="email"
              value={preferences.email ?? ''}
              autoComplete="email"
              aria-describedby="settings-email-hint"
              onChange={(e) => set('email', e.target.value)}
            />
            <p className="hint" id="settings-email-hint">
              {t('emailHint')}
            </p>
          </>
        )}
        <ProblemAlert problem={problem} />
        <p role="status" className="status">
          {status}
        </p>
        <div className="actions">
          <button type="submit" className="primary" disabled={saving || !preferences}>
            {saving ? t('saving') : t('save')}
          </button>
        </div>
      </form>

      <DataSection
        t={t}
        locale={props.locale}
        me={props.me}
        inTelegram={props.inTelegram}
        onMeChanged={props.onMeChanged}
        onSignOut={props.onSignOut}
      />
    </main>
  );
}
