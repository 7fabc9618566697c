import { useState } from 'react';
import { ApiError, api, type CalendarInfo, type EventInput, type Occurrence, type Scope } from './api.ts';
import { Dialog } from './Dialog.tsx';
import { EventDetails } from './EventDetails.tsx';
import { EventForm, type EventFormValues, toEventInput } from './EventForm.tsx';
import { changedFields, formValuesOf, isSeriesOccurrence, scopesFor } from './event-edit.ts';
import type { Translate } from './i18n.ts';
import { ScopeChoice } from './ScopeChoice.tsx';
import { haptic } from './telegram.ts';

type Step =
  | { kind: 'details' }
  | { kind: 'edit' }
  | { kind: 'scope'; purpose: 'save'; change: Partial<EventInput> }
  | { kind: 'scope'; purpose: 'delete' };

/**
 * One occurrence, opened from the calendar: its details, Edit (the event form), and for an
 * occurrence of a series the question how far a change or deletion reaches. Every write carries the
 * occurrence's ETag; when the event changed elsewhere (412) it is reloaded and shown again, fresh.
 */
export function OccurrenceDialog(props: {
  t: Translate;
  locale: string;
  timeZone: string;
  occurrence: Occurrence;
  /** The calendars the event may move to (the form offers them when there are several). */
  calendars?: readonly CalendarInfo[] | undefined;
  /** The calendar it is in, named in the details. */
  calendar?: CalendarInfo | undefined;
  /** A subscribed calendar's event: shown without Edit and Delete. */
  readOnly?: boolean;
  /** An event in one of the person's own calendars: its details offer to invite people. */
  canInvite?: boolean;
  /** The occurrence as stored now, or undefined when it is gone. */
  reload: (occurrence: Occurrence) => Promise<Occurrence | undefined>;
  /** Called after a change or deletion, with the sentence to announce. */
  onDone: (message: string) => void;
  onClose: () => void;
}) {
  const { t } = props;
  const [occurrence, setOccurrence] = useState(props.occurrence);
  const [step, setStep] = useState<Step>({ kind: 'details' });
  const [notice, setNotice] = useState<string | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  // A new key remounts the form with the reloaded event's values.
  const [version, setVersion] = useState(0);
  // What the person typed, kept while the scope question is open (Cancel there returns to it).
  const [draft, setDraft] = useState<EventFormValues | undefined>();
  const initial = formValuesOf(occurrence, props.timeZone);
  const series = isSeriesOccurrence(occurrence);
  const title = occurrence.summary ?? t('untitled');

  /** 412: someone changed the event since we read it. Show it as it is now, and say so. */
  async function reloadAfterConflict(back: Step) {
    const fresh = await props.reload(occurrence);
    if (!fresh) {
      props.onDone(t('goneElsewhere'));
      return;
    }
    setOccurrence(fresh);
    setDraft(undefined);
    setVersion((v) => v + 1);
    setNotice(t('changedElsewhere'));
    setProblem(undefined);
    setStep(back);
  }

  async function write(action: () => Promise<void>, back: Step, done: string) {
    setBusy(true);
    try {
      await action();
      haptic('success');
      props.onDone(done);
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) await reloadAfterConflict(back);
      else {
        haptic('error');
        throw error;
      }
    } finally {
      setBusy(false);
    }
  }

  // A move to another calendar takes the whole event (the server refuses it with a recurrenceId).
  const save = (change: Partial<EventInput>, scope: Scope) =>
    write(
      () =>
        api
          .patchEvent(
            occurrence.eventId,
            scope === 'this' ? { ...change, rrule: undefined } : change,
            change.calendarId === undefined ? { recurrenceId: occurrence.recurrenceId, scope } : null,
            occurrence.etag,
          )
          .then(() => undefined),
      { kind: 'edit' },
      t('saved'),
    );

  /**
   * An occurrence of a series moved to another calendar and changed too: the whole series moves
   * first (it gets a new id and ETag), then the scope question is asked about the rest.
   */
  async function moveThenAsk(calendarId: string, rest: Partial<EventInput>) {
    setBusy(true);
    try {
      const moved = await api.patchEvent(occurrence.eventId, { calendarId }, null, occurrence.etag);
      setOccurrence((o) => ({ ...o, eventId: moved.id, etag: moved.etag, calendarId }));
      setProblem(undefined);
      setStep({ kind: 'scope', purpose: 'save', change: rest });
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) await reloadAfterConflict({ kind: 'edit' });
      else throw error;
    } finally {
      setBusy(false);
    }
  }

  const remove = (scope: Scope | null) =>
    write(
      () =>
        api.deleteEvent(
          occurrence.eventId,
          scope ? { recurrenceId: occurrence.recurrenceId, scope } : null,
          occurrence.etag,
        ),
      { kind: 'details' },
      t('deleted'),
    );

  async function submit(input: EventInput, values: EventFormValues) {
    const change = changedFields(toEventInput(initial), input);
    setDraft(values);
    if (Object.keys(change).length === 0) {
      props.onClose();
      return;
    }
    if (series) {
      const { calendarId, ...rest } = change;
      if (calendarId !== undefined) {
        if (Object.keys(rest).length === 0) await save({ calendarId }, 'all');
        else await moveThenAsk(calendarId, rest);
        return;
      }
      setProblem(undefined);
      setStep({ kind: 'scope', purpose: 'save', change });
      return;
    }
    await save(change, 'all');
  }

  async function choose(scope: Scope) {
    if (step.kind !== 'scope') return;
    try {
      if (step.purpose === 'save') await save(step.change, scope);
      else await remove(scope);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  }

  return (
    <Dialog label={title} onClose={props.onClose}>
      {step.kind === 'details' && (
        <EventDetails
          t={t}
          locale={props.locale}
          timeZone={props.timeZone}
          occurrence={occurrence}
          calendar={props.calendar}
          readOnly={props.readOnly}
          canInvite={props.canInvite}
          notice={notice}
          onEdit={() => setStep({ kind: 'edit' })}
          onDelete={() => remove(null)}
          onAskScope={series ? () => setStep({ kind: 'scope', purpose: 'delete' }) : undefined}
          onClose={props.onClose}
        />
      )}
      {step.kind === 'edit' && (
        <EventForm
          key={version}
          t={t}
          locale={props.locale}
          heading={t('editEvent')}
          notice={notice}
          initial={draft ?? initial}
          calendars={props.calendars}
          onSubmit={submit}
          onCancel={() => {
            setDraft(undefined);
            setStep({ kind: 'details' });
          }}
        />
      )}
      {step.kind === 'scope' && (
        <ScopeChoice
          t={t}
          question={step.purpose === 'save' ? t('scopeSaveQuestion') : t('scopeDeleteQuestion', { title })}
          scopes={step.purpose === 'save' ? scopesFor(step.change) : scopesFor(undefined)}
          danger={step.purpose === 'delete'}
          busy={busy}
          problem={problem}
          onChoose={choose}
          onCancel={() => {
            if (step.purpose === 'save') setVersion((v) => v + 1);
            setStep(step.purpose === 'save' ? { kind: 'edit' } : { kind: 'details' });
          }}
        />
      )}
    </Dialog>
  );
}
