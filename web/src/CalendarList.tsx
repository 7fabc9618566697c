import type { ReactNode } from 'react';
import type { CalendarInfo } from './api.ts';
import { displayColor, isReadOnly } from './calendars.ts';
import type { Translate } from './i18n.ts';

/**
 * The person's calendars: a colour swatch and name each, a checkbox that shows or hides its
 * events, a button that opens its settings, and the buttons that add a calendar. A sidebar on wide
 * screens; on phones and in Telegram the screen shows it as a panel behind a toggle.
 */
export function CalendarList(props: {
  t: Translate;
  id: string;
  calendars: readonly CalendarInfo[];
  hidden: ReadonlySet<string>;
  open: boolean;
  onToggle: (calendarId: string, visible: boolean) => void;
  onManage: (calendar: CalendarInfo) => void;
  onNew: () => void;
  onSubscribe: () => void;
  /** Calendar id → the name of whoever shared it with the person (shown beside its name). */
  sharedBy: ReadonlyMap<string, string>;
  /** Shown above the list: invitations to calendars shared with the person. */
  children?: ReactNode;
}) {
  const { t } = props;
  return (
    <aside
      id={props.id}
      className={props.open ? 'calendar-list open' : 'calendar-list'}
      aria-labelledby={`${props.id}-heading`}
    >
      <h2 id={`${props.id}-heading`}>{t('calendars')}</h2>
      {props.children}
      <ul>
        {props.calendars.map((calendar) => {
          const checkbox = `${props.id}-show-${calendar.id}`;
          const owner = props.sharedBy.get(calendar.id);
          // Two people's calendars often share a name ("Family"): a shared one says whose it is.
          const name = owner ? t('calendarOfPerson', { name: calendar.name, person: owner }) : calendar.name;
          const problem = calendar.subscription?.error;
          return (
            <li key={calendar.id}>
              <input
                id={checkbox}
                type="checkbox"
                checked={!props.hidden.has(calendar.id)}
                onChange={(e) => props.onToggle(calendar.id, e.target.checked)}
              />
              <label htmlFor={checkbox} className="calendar-label">
                <span
                  className="swatch"
                  aria-hidden="true"
                  style={{ background: displayColor(calendar.color) ?? 'var(--accent)' }}
                />
                <span className="name">{name}</span>
              </label>
              {isReadOnly(calendar) && <span className="badge">{t('readOnly')}</span>}
              {problem && (
                <span className="badge warning" title={problem.message}>
                  {t('subscriptionFailing')}
                </span>
              )}
              <button
                type="button"
                className="quiet manage"
                aria-label={t('calendarSettingsNamed', { name })}
                onClick={() => props.onManage(calendar)}
              >
                ⋯
              </button>
            </li>
          );
        })}
      </ul>
      <div className="list-actions">
        <button type="button" onClick={props.onNew}>
          {t('newCalendar')}
        </button>
        <button type="button" className="quiet" onClick={props.onSubscribe}>
          {t('subscribeByUrl')}
        </button>
      </div>
    </aside>
  );
}
