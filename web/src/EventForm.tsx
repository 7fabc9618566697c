import { type FormEvent, useId, useMemo, useRef, useState } from 'react';
import { ProblemAlert } from './Announce.tsx';
import type { CalendarInfo, EventInput } from './api.ts';
import type { MessageKey, Translate } from './i18n.ts';
import { type Reminder, ReminderFields, unitMinutes } from './ReminderFields.tsx';
import { noRepeat, type RepeatRule, toRrule, type Weekday, weekdays } from './recurrence.ts';
import { useMainButton } from './telegram-buttons.ts';
import { addDays, addMinutesLocal, knownTimeZones } from './zoned-time.ts';

/** What the form edits: from a click on the calendar (create) or a stored occurrence (edit). */
export interface EventFormValues {
  summary: string;
  allDay: boolean;
  /** 'YYYY-MM-DDTHH:mm' in `timeZone`, or 'YYYY-MM-DD' for all-day events. */
  start: string;
  /** Timed: the end instant's wall clock. All-day: the last day (inclusive, as people say it). */
  end: string;
  timeZone: string;
  location: string;
  description: string;
  repeat: RepeatRule;
  /** A rule richer than the form's choices (from another app): kept as it is unless replaced. */
  customRrule?: string | undefined;
  reminders: Reminder[];
  /** The calendar it goes into (or is in); the server's default one when undefined. */
  calendarId?: string | undefined;
}

const weekdayOfDate = (date: string): Weekday =>
  weekdays[(new Date(`${date.slice(0, 10)}T00:00:00Z`).getUTCDay() + 6) % 7] as Weekday;

/** The REST body for the form's values; the form has checked them already. */
export function toEventInput(values: EventFormValues): EventInput {
  return {
    summary: values.summary.trim(),
    start: values.start,
    // All-day DTEND is the day after the last one (RFC 5545 §3.6.1).
    end: values.allDay ? addDays(values.end, 1) : values.end,
    allDay: values.allDay,
    timezone: values.timeZone,
    location: values.location.trim() || null,
    description: values.description.trim() || null,
    rrule: values.customRrule ?? toRrule(values.repeat, { allDay: values.allDay, timeZone: values.timeZone }),
    reminders: values.reminders.map((r) => Math.round(r.amount * unitMinutes[r.unit])),
    ...(values.calendarId ? { calendarId: values.calendarId } : {}),
  };
}

function problemsOf(values: EventFormValues): MessageKey | undefined {
  if (!values.summary.trim()) return 'errorTitle';
  const end = values.allDay ? addDays(values.end, 1) : values.end;
  if (!(end > values.start)) return 'errorEndBeforeStart';
  if (!values.customRrule && values.repeat.frequency === 'weekly' && values.repeat.days.length === 0) {
    return 'errorWeekdays';
  }
  return undefined;
}

export function EventForm(props: {
  t: Translate;
  locale: string;
  initial: EventFormValues;
  heading: string;
  /** Said above the fields, e.g. that the event was reloaded after a change elsewhere. */
  notice?: string | undefined;
  /** Hides the repeat choices (one occurrence of a series cannot repeat on its own). */
  repeatLocked?: boolean;
  /** The calendars it may go into; the choice is shown only when there are several. */
  calendars?: readonly CalendarInfo[] | undefined;
  /** The REST body, and the values it came from (to reopen the form as it was). */
  onSubmit: (input: EventInput, values: EventFormValues) => Promise<void>;
  onCancel: () => void;
}) {
  const { t } = props;
  const id = useId();
  const [values, setValues] = useState<EventFormValues>(props.initial);
  const [problem, setProblem] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  // Inside Telegram the MainButton saves, as native Telegram forms do.
  useMainButton(t('save'), saving, () => form.current?.requestSubmit());
  const zones = useMemo(knownTimeZones, []);
  const dayNames = useMemo(() => {
    const format = new Intl.DateTimeFormat(props.locale, { weekday: 'short', timeZone: 'UTC' });
    // 2024-01-01 was a Monday.
    return weekdays.map((_, i) => format.format(new Date(Date.UTC(2024, 0, 1 + i))));
  }, [props.locale]);

  const set = <K extends keyof EventFormValues>(key: K, value: EventFormValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));
  const setRepeat = (change: Partial<RepeatRule>) =>
    setValues((v) => ({ ...v, repeat: { ...v.repeat, ...change } }));

  function toggleAllDay(allDay: boolean) {
    setValues((v) =>
      allDay
        ? { ...v, allDay, start: v.start.slice(0, 10), end: v.end.slice(0, 10) }
        : { ...v, allDay, start: `${v.start.slice(0, 10)}T09:00`, end: `${v.start.slice(0, 10)}T10:00` },
    );
  }

  function changeStart(start: string) {
    // Moving the start keeps the duration, as calendar apps do.
    setValues((v) => {
      if (!start) return v;
      if (v.allDay) {
        const days = Math.round((Date.parse(v.end) - Date.parse(v.start)) / 86_400_000);
        return { ...v, start, end: addDays(start, Math.max(0, days)) };
      }
      const minutes = Math.round((Date.parse(`${v.end}Z`) - Date.parse(`${v.start}Z`)) / 60_000);
      return { ...v, start, end: addMinutesLocal(start, Math.max(minutes, 0), v.timeZone) };
    });
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const key = problemsOf(values);
    if (key) {
      setProblem(t(key));
      return;
    }
    setProblem(undefined);
    setSaving(true);
    try {
      await props.onSubmit(toEventInput(values), values);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setSaving(false);
    }
  }

  const field = (name: string) => `${id}-${name}`;
  const timeType = values.allDay ? 'date' : 'datetime-local';

  return (
    <form ref={form} className="event-form" onSubmit={submit} noValidate aria-labelledby={field('heading')}>
      <h2 id={field('heading')}>{props.heading}</h2>
      {props.notice && (
        <p className="notice" role="status">
          {props.notice}
        </p>
      )}
      <label htmlFor={field('summary')}>{t('title')}</label>
      <input
        id={field('summary')}
        value={values.summary}
        onChange={(e) => set('summary', e.target.value)}
        required
        maxLength={500}
        autoComplete="off"
      />

      {props.calendars && props.calendars.length > 1 && (
        <>
          <label htmlFor={field('calendar')}>{t('calendar')}</label>
          <select
            id={field('calendar')}
            value={values.calendarId ?? props.calendars[0]?.id}
            onChange={(e) => set('calendarId', e.target.value)}
          >
            {props.calendars.map((calendar) => (
              <option key={calendar.id} value={calendar.id}>
                {calendar.name}
              </option>
            ))}
          </select>
        </>
      )}

      <div className="check">
        <input
          id={field('allday')}
          type="checkbox"
          checked={values.allDay}
          onChange={(e) => toggleAllDay(e.target.checked)}
        />
        <label htmlFor={field('allday')}>{t('allDay')}</label>
      </div>

      <div className="row">
        <div>
          <label htmlFor={field('start')}>{t('starts')}</label>
          <input
            id={field('start')}
            type={timeType}
            value={values.start}
            onChange={(e) => changeStart(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor={field('end')}>{t('ends')}</label>
          <input
            id={field('end')}
            type={timeType}
            value={values.end}
            onChange={(e) => set('end', e.target.value)}
          />
        </div>
      </div>

      {!values.allDay && (
        <>
          <label htmlFor={field('zone')}>{t('timeZone')}</label>
          <input
            id={field('zone')}
            list={field('zones')}
            value={values.timeZone}
            onChange={(e) => set('timeZone', e.target.value)}
            autoComplete="off"
          />
          <datalist id={field('zones')}>
            {zones.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
        </>
      )}

      <label htmlFor={field('location')}>{t('location')}</label>
      <input
        id={field('location')}
        value={values.location}
        onChange={(e) => set('location', e.target.value)}
        maxLength={1000}
      />

      <label htmlFor={field('notes')}>{t('notes')}</label>
      <textarea
        id={field('notes')}
        value={values.description}
        onChange={(e) => set('description', e.target.value)}
        rows={3}
      />

      {!props.repeatLocked && (
        <>
          <label htmlFor={field('repeat')}>{t('repeat')}</label>
          <select
            id={field('repeat')}
            value={values.customRrule ? 'custom' : values.repeat.frequency}
            onChange={(e) => {
              const frequency = e.target.value as RepeatRule['frequency'];
              setValues((v) => ({
                ...v,
                customRrule: undefined,
                repeat:
                  frequency === 'none'
                    ? noRepeat
                    : {
                        ...v.repeat,
                        frequency,
                        days: v.repeat.days.length ? v.repeat.days : [weekdayOfDate(v.start)],
                      },
              }));
            }}
          >
            {values.customRrule && (
              <option value="custom">{t('repeatCustom', { rule: values.customRrule })}</option>
            )}
            <option value="none">{t('repeatNever')}</option>
            <option value="daily">{t('repeatDaily')}</option>
            <option value="weekly">{t('repeatWeekly')}</option>
            <option value="monthly">{t('repeatMonthly')}</option>
            <option value="yearly">{t('repeatYearly')}</option>
          </select>
        </>
      )}

      {!props.repeatLocked && !values.customRrule && values.repeat.frequency === 'weekly' && (
        <fieldset className="weekdays">
          <legend>{t('weekdays')}</legend>
          {weekdays.map((day, i) => (
            <span key={day} className="weekday">
              <input
                id={field(`day-${day}`)}
                type="checkbox"
                checked={values.repeat.days.includes(day)}
                onChange={(e) =>
                  setRepeat({
                    days: e.target.checked
                      ? [...values.repeat.days, day]
                      : values.repeat.days.filter((d) => d !== day),
                  })
                }
              />
              <label htmlFor={field(`day-${day}`)}>{dayNames[i]}</label>
            </span>
          ))}
        </fieldset>
      )}

      {!props.repeatLocked && !values.customRrule && values.repeat.frequency !== 'none' && (
        <fieldset>
          <legend>{t('repeatEnds')}</legend>
          <label htmlFor={field('ends')} className="visually-hidden">
            {t('repeatEnds')}
          </label>
          <select
            id={field('ends')}
            value={values.repeat.ends}
            onChange={(e) => setRepeat({ ends: e.target.value as RepeatRule['ends'] })}
          >
            <option value="never">{t('repeatEndsNever')}</option>
            <option value="until">{t('repeatEndsOn')}</option>
            <option value="count">{t('repeatEndsAfter')}</option>
          </select>
          {values.repeat.ends === 'until' && (
            <>
              <label htmlFor={field('until')}>{t('repeatUntil')}</label>
              <input
                id={field('until')}
                type="date"
                value={values.repeat.until}
                min={values.start.slice(0, 10)}
                onChange={(e) => setRepeat({ until: e.target.value })}
              />
            </>
          )}
          {values.repeat.ends === 'count' && (
            <>
              <label htmlFor={field('count')}>{t('repeatCount')}</label>
              <input
                id={field('count')}
                type="number"
                min={1}
                max={1000}
                value={values.repeat.count}
                onChange={(e) => setRepeat({ count: Number(e.target.value) })}
              />
            </>
          )}
        </fieldset>
      )}

      <ReminderFields
        t={t}
        idPrefix={field('reminder')}
        reminders={values.reminders}
        onChange={(reminders) => set('reminders', reminders)}
      />

      <ProblemAlert problem={problem} />
      <div className="actions">
        <button type="button" onClick={props.onCancel}>
          {t('cancel')}
        </button>
        <button type="submit" className="primary" disabled={saving}>
          {saving ? t('saving') : t('save')}
        </button>
      </div>
    </form>
  );
}
