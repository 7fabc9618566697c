import FullCalendar, {
  type EventInput as CalendarItem,
  type CalendarRef,
  type EventSourceFuncInfo,
} from '@fullcalendar/react';
import dayGridPlugin from '@fullcalendar/react/daygrid';
import interactionPlugin from '@fullcalendar/react/interaction';
import listPlugin from '@fullcalendar/react/list';
import ruLocale from '@fullcalendar/react/locales/ru';
import classicTheme from '@fullcalendar/react/themes/classic';
import timeGridPlugin from '@fullcalendar/react/timegrid';
import { useCallback, useEffect, useRef, useState } from 'react';
import '@fullcalendar/react/skeleton.css';
import '@fullcalendar/react/themes/classic/theme.css';
import { api, type EventInput, type Me, type Occurrence } from './api.ts';
import { Dialog } from './Dialog.tsx';
import { EventDetails } from './EventDetails.tsx';
import { EventForm, type EventFormValues, reminderOf } from './EventForm.tsx';
import type { Language, Translate } from './i18n.ts';
import { noRepeat } from './recurrence.ts';
import { haptic, onTelegramEvent, setBackButton } from './telegram.ts';
import { addMinutesLocal, localDateTime } from './zoned-time.ts';

export const calendarViews = {
  month: 'dayGridMonth',
  week: 'timeGridWeek',
  day: 'timeGridDay',
  agenda: 'listMonth',
} as const;
type ViewName = keyof typeof calendarViews;

type Overlay =
  | { kind: 'create'; initial: EventFormValues }
  | { kind: 'details'; occurrence: Occurrence }
  | undefined;

function toCalendarItem(occurrence: Occurrence, untitled: string): CalendarItem {
  return {
    id: `${occurrence.eventId}/${occurrence.recurrenceId ?? ''}`,
    title: occurrence.summary ?? untitled,
    start: occurrence.start,
    end: occurrence.end,
    allDay: occurrence.allDay,
    extendedProps: { occurrence },
  };
}

/** The signed-in calendar: a toolbar, FullCalendar in the user's zone, and the event dialogs. */
export function CalendarScreen(props: {
  t: Translate;
  language: Language;
  locale: string;
  me: Me;
  inTelegram: boolean;
  onSignOut: () => void;
}) {
  const { t, me } = props;
  const timeZone = me.timezone ?? 'UTC';
  const calendar = useRef<CalendarRef>(null);
  const [view, setView] = useState<ViewName>(() => (window.innerWidth < 600 ? 'agenda' : 'month'));
  const [title, setTitle] = useState('');
  const [currentDate, setCurrentDate] = useState('');
  const [overlay, setOverlay] = useState<Overlay>();
  const [loadProblem, setLoadProblem] = useState<string | undefined>();
  const [defaultReminders, setDefaultReminders] = useState<number[]>([]);
  const [status, setStatus] = useState('');

  useEffect(() => {
    api.preferences().then(
      (p) => setDefaultReminders(p.defaultReminderMinutes > 0 ? [p.defaultReminderMinutes] : []),
      () => setDefaultReminders([]),
    );
  }, []);

  // Telegram's BackButton closes whatever is open on top of the calendar.
  useEffect(() => {
    if (!props.inTelegram) return;
    setBackButton(overlay !== undefined);
    return onTelegramEvent('back_button_pressed', () => setOverlay(undefined));
  }, [overlay, props.inTelegram]);

  const loadEvents = useCallback(
    (
      info: EventSourceFuncInfo,
      success: (items: CalendarItem[]) => void,
      failure: (error: Error) => void,
    ) => {
      api.occurrences(info.startStr, info.endStr).then(
        (result) => {
          setLoadProblem(undefined);
          success(result.occurrences.map((o) => toCalendarItem(o, t('untitled'))));
        },
        (error: Error) => {
          setLoadProblem(t('errorLoad', { reason: error.message }));
          failure(error);
        },
      );
    },
    [t],
  );

  const calendarApi = () => calendar.current?.getApi();

  function newEventAt(start: string, allDay: boolean) {
    const end = allDay ? start : addMinutesLocal(start, 60, timeZone);
    setOverlay({
      kind: 'create',
      initial: {
        summary: '',
        allDay,
        start,
        end,
        timeZone,
        location: '',
        description: '',
        repeat: noRepeat,
        reminders: defaultReminders.map(reminderOf),
      },
    });
  }

  function newEventNow() {
    // The next whole hour in the user's zone.
    const next = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000);
    newEventAt(localDateTime(next, timeZone), false);
  }

  async function create(input: EventInput) {
    await api.createEvent(input);
    haptic('success');
    setOverlay(undefined);
    setStatus(t('saved'));
    calendarApi()?.refetchEvents();
  }

  async function remove(occurrence: Occurrence) {
    await api.deleteEvent(occurrence.eventId, occurrence.etag);
    haptic('warning');
    setOverlay(undefined);
    setStatus(t('deleted'));
    calendarApi()?.refetchEvents();
  }

  function changeView(next: ViewName) {
    setView(next);
    calendarApi()?.changeView(calendarViews[next]);
  }

  const name = me.username
    ? `@${me.username}`
    : [me.firstName, me.lastName].filter(Boolean).join(' ') || String(me.telegramId);

  return (
    <div className="calendar-screen">
      <header className="top">
        <h1>{t('appName')}</h1>
        <p className="who">{t('signedInAs', { name })}</p>
        {!props.inTelegram && (
          <button type="button" className="quiet" onClick={props.onSignOut}>
            {t('signOut')}
          </button>
        )}
      </header>

      <nav className="toolbar" aria-label={t('view')}>
        <div className="group">
          <button type="button" onClick={() => calendarApi()?.today()}>
            {t('today')}
          </button>
          <button type="button" aria-label={t('previous')} onClick={() => calendarApi()?.prev()}>
            ‹
          </button>
          <button type="button" aria-label={t('next')} onClick={() => calendarApi()?.next()}>
            ›
          </button>
          <label className="visually-hidden" htmlFor="jump-to-date">
            {t('jumpToDate')}
          </label>
          <input
            id="jump-to-date"
            type="date"
            value={currentDate}
            onChange={(e) => e.target.value && calendarApi()?.gotoDate(e.target.value)}
          />
        </div>
        <h2 className="range-title" aria-live="polite">
          {title}
        </h2>
        <div className="group">
          {(Object.keys(calendarViews) as ViewName[]).map((name) => (
            <button key={name} type="button" aria-pressed={view === name} onClick={() => changeView(name)}>
              {t(name)}
            </button>
          ))}
        </div>
        <button type="button" className="primary" onClick={newEventNow}>
          {t('newEvent')}
        </button>
      </nav>

      {loadProblem && (
        <p className="problem" role="alert">
          {loadProblem}{' '}
          <button type="button" onClick={() => calendarApi()?.refetchEvents()}>
            {t('retry')}
          </button>
        </p>
      )}
      <p className="visually-hidden" role="status">
        {status}
      </p>

      <main className="calendar">
        <FullCalendar
          ref={calendar}
          plugins={[classicTheme, dayGridPlugin, timeGridPlugin, listPlugin, interactionPlugin]}
          initialView={calendarViews[view]}
          headerToolbar={false}
          timeZone={timeZone}
          locales={[ruLocale]}
          locale={props.language === 'ru' ? 'ru' : props.locale}
          // Time grids scroll inside the page from 08:00; month and agenda grow with their content.
          height={view === 'week' || view === 'day' ? 'calc(100vh - 11rem)' : 'auto'}
          scrollTime="08:00:00"
          nowIndicator
          // Hours and minutes as the locale writes them (24 h or 12 h), never a bare "10".
          eventTimeFormat={{ hour: 'numeric', minute: '2-digit' }}
          dayMaxEvents
          allDayText={t('allDay')}
          noEventsText={t('noEvents')}
          events={loadEvents}
          // A stable name for each event element (FullCalendar's own class names are hashed).
          eventClass="calendar-event"
          selectable
          select={(info) => {
            const allDay = info.allDay;
            newEventAt(allDay ? info.startStr.slice(0, 10) : info.startStr.slice(0, 16), allDay);
          }}
          dateClick={(info) => {
            // Month cells are all-day spans; a tap there starts a timed event at 09:00 that day.
            if (info.view.type === calendarViews.month)
              newEventAt(`${info.dateStr.slice(0, 10)}T09:00`, false);
          }}
          eventClick={(info) => {
            info.jsEvent.preventDefault();
            setOverlay({ kind: 'details', occurrence: info.event.extendedProps.occurrence as Occurrence });
          }}
          datesSet={(info) => {
            setTitle(info.view.title);
            const current = calendarApi();
            // formatIso reads the date in the calendar's zone (the user's), not the browser's.
            if (current) setCurrentDate(current.formatIso(current.getDate(), true).slice(0, 10));
          }}
        />
      </main>
      <p className="hint zone-note">{t('timesShownIn', { zone: timeZone })}</p>

      {overlay?.kind === 'create' && (
        <Dialog label={t('newEvent')} onClose={() => setOverlay(undefined)}>
          <EventForm
            t={t}
            locale={props.locale}
            heading={t('newEvent')}
            initial={overlay.initial}
            onSubmit={create}
            onCancel={() => setOverlay(undefined)}
          />
        </Dialog>
      )}
      {overlay?.kind === 'details' && (
        <Dialog label={overlay.occurrence.summary ?? t('untitled')} onClose={() => setOverlay(undefined)}>
          <EventDetails
            t={t}
            locale={props.locale}
            timeZone={timeZone}
            occurrence={overlay.occurrence}
            onDelete={() => remove(overlay.occurrence)}
            onClose={() => setOverlay(undefined)}
          />
        </Dialog>
      )}
    </div>
  );
}
