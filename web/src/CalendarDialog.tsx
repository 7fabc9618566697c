import { type FormEvent, useId, useState } from 'react';
import { ProblemAlert } from './Announce.tsx';
import { api, type CalendarInfo, type CalendarShare } from './api.ts';
import { CalendarSharing } from './CalendarSharing.tsx';
import { calendarPalette, displayColor, isReadOnly } from './calendars.ts';
import { Dialog } from './Dialog.tsx';
import { FeedLink } from './FeedLink.tsx';
import type { Translate } from './i18n.ts';
import { haptic } from './telegram.ts';
import { formatDateTime } from './zoned-time.ts';

/** Which calendar dialog is open: a new one, a subscription by address, or an existing calendar. */
export type CalendarDialogMode =
  | { kind: 'new'; color: string }
  | { kind: 'subscribe'; color: string }
  | { kind: 'edit'; calendar: CalendarInfo; isDefault: boolean }
  /** A calendar someone shared with you: what you may do, and Leave. */
  | { kind: 'shared'; calendar: CalendarInfo; share: CalendarShare | undefined };

/**
 * Make, subscribe to, or manage one calendar: name and colour; for an existing one also its
 * subscription link (own calendars), its feed's state (subscribed ones) and Delete (not the default
 * calendar, which the bot and imports write into).
 */
interface CalendarDialogProps {
  t: Translate;
  locale: string;
  timeZone: string;
  mode: CalendarDialogMode;
  /** Called after a change, with the sentence to announce. */
  onDone: (message: string) => void;
  onClose: () => void;
}

export function CalendarDialog(props: CalendarDialogProps) {
  const { mode } = props;
  return mode.kind === 'shared' ? (
    <SharedCalendarDialog {...props} mode={mode} />
  ) : (
    <OwnCalendarDialog {...props} mode={mode} />
  );
}

function OwnCalendarDialog(
  props: CalendarDialogProps & { mode: Exclude<CalendarDialogMode, { kind: 'shared' }> },
) {
  const { t, mode } = props;
  const id = useId();
  const existing = mode.kind === 'edit' ? mode.calendar : undefined;
  const [name, setName] = useState(existing?.name ?? '');
  const [color, setColor] = useState(
    (existing ? displayColor(existing.color) : mode.kind !== 'edit' ? mode.color : undefined) ??
      calendarPalette[0],
  );
  const [url, setUrl] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const heading =
    mode.kind === 'new'
      ? t('newCalendar')
      : mode.kind === 'subscribe'
        ? t('subscribeByUrl')
        : t('calendarSettingsNamed', { name: mode.calendar.name });
  const field = (suffix: string) => `${id}-${suffix}`;

  async function run(action: () => Promise<string>) {
    setBusy(true);
    setProblem(undefined);
    try {
      const message = await action();
      haptic('success');
      props.onDone(message);
    } catch (error) {
      haptic('error');
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (mode.kind === 'subscribe' && !/^(https?|webcal):\/\/\S+$/i.test(url.trim())) {
      setProblem(t('errorSubscriptionUrl'));
      return;
    }
    const trimmed = name.trim();
    if (!trimmed && mode.kind !== 'subscribe') {
      setProblem(t('errorCalendarName'));
      return;
    }
    void run(async () => {
      if (mode.kind === 'edit') {
        const change: { name?: string; color?: string } = {};
        if (trimmed !== mode.calendar.name) change.name = trimmed;
        if (color !== displayColor(mode.calendar.color)) change.color = color;
        if (Object.keys(change).length > 0) await api.updateCalendar(mode.calendar.id, change);
        return t('saved');
      }
      if (mode.kind === 'subscribe') {
        const address = url.trim();
        // Without a name the feed names the calendar (its X-WR-CALNAME) on the first fetch.
        const created = await api.createCalendar({
          ...(trimmed ? { name: trimmed } : {}),
          color,
          subscriptionUrl: address,
        });
        return t('calendarSubscribed', { name: created.name });
      }
      const created = await api.createCalendar({ name: trimmed, color });
      return t('calendarCreated', { name: created.name });
    });
  }

  const remove = (calendar: CalendarInfo) =>
    run(async () => {
      await api.deleteCalendar(calendar.id);
      return t('calendarDeleted', { name: calendar.name });
    });

  const refresh = (calendar: CalendarInfo) =>
    run(async () => {
      await api.refreshCalendar(calendar.id);
      return t('subscriptionRefreshing', { name: calendar.name });
    });

  const when = (iso: string | null | undefined) =>
    iso ? formatDateTime(new Date(iso), { timeZone: props.timeZone, locale: props.locale }) : t('never');
  const subscription = existing?.subscription;

  return (
    <Dialog label={heading} onClose={props.onClose}>
      <form
        className="event-form calendar-form"
        onSubmit={submit}
        noValidate
        aria-labelledby={field('heading')}
      >
        <h2 id={field('heading')}>{heading}</h2>
        {mode.kind === 'subscribe' && (
          <>
            <p className="hint">{t('subscribeIntro')}</p>
            <label htmlFor={field('url')}>{t('subscriptionUrl')}</label>
            <input
              id={field('url')}
              type="url"
              inputMode="url"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              placeholder="https://example.org/holidays.ics"
              maxLength={2000}
              autoComplete="off"
              required
            />
          </>
        )}
        <label htmlFor={field('name')}>
          {t(mode.kind === 'subscribe' ? 'calendarNameOptional' : 'calendarName')}
        </label>
        <input
          id={field('name')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={200}
          autoComplete="off"
          required={mode.kind !== 'subscribe'}
        />
        <label htmlFor={field('color')}>{t('calendarColor')}</label>
        <div className="color-choice">
          <input id={field('color')} type="color" value={color} onChange={(e) => setColor(e.target.value)} />
          {calendarPalette.map((choice) => (
            <button
              key={choice}
              type="button"
              className="swatch-button"
              aria-label={t('useColor', { color: choice })}
              aria-pressed={color === choice}
              style={{ background: choice }}
              onClick={() => setColor(choice)}
            />
          ))}
        </div>
        <ProblemAlert problem={problem} />
        <div className="actions">
          <button type="button" onClick={props.onClose}>
            {mode.kind === 'edit' ? t('close') : t('cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {mode.kind === 'new' ? t('create') : mode.kind === 'subscribe' ? t('subscribe') : t('save')}
          </button>
        </div>
      </form>

      {existing && subscription && (
        <section className="subscription dialog-part" aria-labelledby={field('subscription')}>
          <h3 id={field('subscription')}>{t('subscriptionTitle')}</h3>
          <p>
            <code>{subscription.url}</code>
          </p>
          <p className="hint">{t('readOnlyHint')}</p>
          <p>{t('subscriptionLastSuccess', { when: when(subscription.lastSuccessAt) })}</p>
          {subscription.error && (
            <p className="problem">{t('subscriptionError', { reason: subscription.error.message })}</p>
          )}
          <button type="button" disabled={busy} onClick={() => refresh(existing)}>
            {t('subscriptionRefresh')}
          </button>
        </section>
      )}

      {existing && !isReadOnly(existing) && (
        <FeedLink t={t} calendarId={existing.id} calendarName={existing.name} />
      )}

      {existing && !existing.subscription && <CalendarSharing t={t} calendar={existing} />}

      {existing && mode.kind === 'edit' && !mode.isDefault && (
        <section className="delete-calendar dialog-part" aria-labelledby={field('delete')}>
          <h3 id={field('delete')}>{t('deleteCalendar')}</h3>
          {confirmingDelete ? (
            <>
              <p role="alert">
                {t(isReadOnly(existing) ? 'unsubscribeConfirm' : 'deleteCalendarConfirm', {
                  name: existing.name,
                })}
              </p>
              <div className="actions start">
                <button type="button" onClick={() => setConfirmingDelete(false)}>
                  {t('cancel')}
                </button>
                <button type="button" className="danger" disabled={busy} onClick={() => remove(existing)}>
                  {t('deleteCalendarYes')}
                </button>
              </div>
            </>
          ) : (
            <button type="button" className="danger" onClick={() => setConfirmingDelete(true)}>
              {t('deleteCalendarNamed', { name: existing.name })}
            </button>
          )}
        </section>
      )}
      {existing && mode.kind === 'edit' && mode.isDefault && (
        <p className="hint">{t('defaultCalendarHint')}</p>
      )}
    </Dialog>
  );
}

/** A calendar shared with you: who shared it and what you may do, and Leave (the owner keeps it). */
function SharedCalendarDialog(props: {
  t: Translate;
  mode: Extract<CalendarDialogMode, { kind: 'shared' }>;
  onDone: (message: string) => void;
  onClose: () => void;
}) {
  const { t, mode } = props;
  const id = useId();
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const { calendar, share } = mode;
  const heading = t('calendarSettingsNamed', { name: calendar.name });

  async function leave() {
    if (!share) return;
    setBusy(true);
    try {
      await api.answerShare(share.id, 'decline');
      haptic('success');
      props.onDone(t('leftCalendar', { name: calendar.name }));
    } catch (error) {
      haptic('error');
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog label={heading} onClose={props.onClose}>
      <section className="dialog-part" aria-labelledby={`${id}-heading`}>
        <h2 id={`${id}-heading`}>{heading}</h2>
        {share && (
          <p>
            {t('sharedWithYou', {
              person: share.owner.name,
              access: t(share.access === 'write' ? 'shareAccessWrite' : 'shareAccessRead'),
            })}
          </p>
        )}
        <ProblemAlert problem={problem} />
        <div className="actions">
          <button type="button" onClick={props.onClose}>
            {t('close')}
          </button>
          <button type="button" className="danger" disabled={busy || !share} onClick={leave}>
            {t('leaveCalendar')}
          </button>
        </div>
      </section>
    </Dialog>
  );
}
