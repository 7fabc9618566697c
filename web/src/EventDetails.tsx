import { useState } from 'react';
import { ProblemAlert } from './Announce.tsx';
import type { CalendarInfo, Occurrence } from './api.ts';
import { displayColor } from './calendars.ts';
import { InvitePeople } from './EventInvitations.tsx';
import type { Translate } from './i18n.ts';
import { formatRange } from './zoned-time.ts';

/**
 * One occurrence as the calendar shows it, with Edit and Delete. Deleting a single event is
 * confirmed here; for an occurrence of a series `onAskScope` asks how far the deletion reaches.
 */
export function EventDetails(props: {
  t: Translate;
  locale: string;
  timeZone: string;
  occurrence: Occurrence;
  /** The calendar it is in, named when the person has several. */
  calendar?: CalendarInfo | undefined;
  /** An event of a subscribed calendar: it can be looked at, not changed. */
  readOnly?: boolean | undefined;
  /** An event in a calendar of the person's own: they may invite people to it. */
  canInvite?: boolean | undefined;
  notice?: string | undefined;
  onEdit: () => void;
  onDelete: () => Promise<void>;
  onAskScope?: (() => void) | undefined;
  onClose: () => void;
}) {
  const { t, occurrence } = props;
  const [problem, setProblem] = useState<string | undefined>();
  const [confirming, setConfirming] = useState(false);
  const title = occurrence.summary ?? t('untitled');
  const when = formatRange(new Date(occurrence.start), new Date(occurrence.end), {
    timeZone: props.timeZone,
    locale: props.locale,
    allDay: occurrence.allDay,
  });

  async function remove() {
    try {
      await props.onDelete();
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
      setConfirming(false);
    }
  }

  return (
    <section className="event-details" aria-labelledby="event-details-title">
      <h2 id="event-details-title">{title}</h2>
      <p>{when}</p>
      {props.notice && (
        <p className="notice" role="status">
          {props.notice}
        </p>
      )}
      {props.calendar && (
        <p className="event-calendar">
          <span
            className="swatch"
            aria-hidden="true"
            style={{ background: displayColor(props.calendar.color) ?? 'var(--accent)' }}
          />
          {props.calendar.name}
          {props.readOnly && <span className="badge">{t('readOnly')}</span>}
        </p>
      )}
      {occurrence.isRecurring && <p className="hint">{t('repeats')}</p>}
      {occurrence.location && <p>{occurrence.location}</p>}
      {occurrence.description && <p className="notes">{occurrence.description}</p>}
      <ProblemAlert problem={problem} />
      {props.canInvite && !props.readOnly && !confirming && (
        <InvitePeople t={t} eventId={occurrence.eventId} />
      )}
      {props.readOnly ? (
        <div className="actions">
          <button type="button" className="primary" onClick={props.onClose}>
            {t('close')}
          </button>
        </div>
      ) : confirming ? (
        <div className="actions">
          <p>{t(occurrence.isRecurring ? 'deleteConfirm' : 'deleteConfirmOne', { title })}</p>
          <button type="button" onClick={() => setConfirming(false)}>
            {t('cancel')}
          </button>
          <button type="button" className="danger" onClick={remove}>
            {t('delete')}
          </button>
        </div>
      ) : (
        <div className="actions">
          <button
            type="button"
            className="danger"
            onClick={() => (props.onAskScope ? props.onAskScope() : setConfirming(true))}
          >
            {t('delete')}
          </button>
          <button type="button" onClick={props.onEdit}>
            {t('edit')}
          </button>
          <button type="button" className="primary" onClick={props.onClose}>
            {t('close')}
          </button>
        </div>
      )}
    </section>
  );
}
