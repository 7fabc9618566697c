import type { Translate } from './i18n.ts';

export type ReminderUnit = 'minutes' | 'hours' | 'days';
export interface Reminder {
  amount: number;
  unit: ReminderUnit;
}

export const unitMinutes: Record<ReminderUnit, number> = { minutes: 1, hours: 60, days: 1440 };

/** Minutes before as people say it: 1440 → 1 day, 90 → 90 minutes. */
export function reminderOf(minutes: number): Reminder {
  if (minutes > 0 && minutes % 1440 === 0) return { amount: minutes / 1440, unit: 'days' };
  if (minutes > 0 && minutes % 60 === 0) return { amount: minutes / 60, unit: 'hours' };
  return { amount: minutes, unit: 'minutes' };
}

/** The event form's reminders: several, each an amount of minutes, hours or days before. */
export function ReminderFields(props: {
  t: Translate;
  idPrefix: string;
  reminders: Reminder[];
  onChange: (reminders: Reminder[]) => void;
}) {
  const { t } = props;
  return (
    <fieldset>
      <legend>{t('reminders')}</legend>
      {props.reminders.map((reminder, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: reminders have no identity but their place.
        <div className="reminder" key={index}>
          <label htmlFor={`${props.idPrefix}-amount-${index}`} className="visually-hidden">
            {t('reminderAmount')}
          </label>
          <input
            id={`${props.idPrefix}-amount-${index}`}
            type="number"
            min={0}
            value={reminder.amount}
            onChange={(e) =>
              props.onChange(
                props.reminders.map((r, i) => (i === index ? { ...r, amount: Number(e.target.value) } : r)),
              )
            }
          />
          <label htmlFor={`${props.idPrefix}-unit-${index}`} className="visually-hidden">
            {t('reminderUnit')}
          </label>
          <select
            id={`${props.idPrefix}-unit-${index}`}
            value={reminder.unit}
            onChange={(e) =>
              props.onChange(
                props.reminders.map((r, i) =>
                  i === index ? { ...r, unit: e.target.value as ReminderUnit } : r,
                ),
              )
            }
          >
            <option value="minutes">{t('minutesBefore')}</option>
            <option value="hours">{t('hoursBefore')}</option>
            <option value="days">{t('daysBefore')}</option>
          </select>
          <button
            type="button"
            className="quiet"
            aria-label={t('removeReminder')}
            onClick={() => props.onChange(props.reminders.filter((_, i) => i !== index))}
          >
            ×
          </button>
        </div>
      ))}
      {props.reminders.length < 10 && (
        <button
          type="button"
          className="quiet"
          onClick={() => props.onChange([...props.reminders, { amount: 10, unit: 'minutes' }])}
        >
          {t('addReminder')}
        </button>
      )}
    </fieldset>
  );
}
