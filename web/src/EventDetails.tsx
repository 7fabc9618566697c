import { useState } from 'react';
import type { Occurrence } from './api.ts';
import type { Translate } from './i18n.ts';
import { formatRange } from './zoned-time.ts';

/** One occurrence as the calendar shows it, with Delete (edit arrives with PATCH, issue 11 item 9). */
export function EventDetails(props: {
  t: Translate;
  locale: string;
  timeZone: string;
  occurrence: Occurrence;
  onDelete: () => Promise<void>;
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
      {occurrence.isRecurring && <p className="hint">{t('repeats')}</p>}
      {occurrence.location && <p>{occurrence.location}</p>}
      {occurrence.description && <p className="notes">{occurrence.description}</p>}
      {problem && (
        <p className="problem" role="alert">
          {problem}
        </p>
      )}
      {confirming ? (
        <div className="actions">
          <p>{t('deleteConfirm', { title })}</p>
          <button type="button" onClick={() => setConfirming(false)}>
            {t('cancel')}
          </button>
          <button type="button" className="danger" onClick={remove}>
            {t('delete')}
          </button>
        </div>
      ) : (
        <div className="actions">
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            {t('delete')}
          </button>
          <button type="button" className="primary" onClick={props.onClose}>
            {t('close')}
          </button>
        </div>
      )}
    </section>
  );
}
