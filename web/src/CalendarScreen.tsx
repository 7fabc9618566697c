import FullCalendar, {
  type EventInput as CalendarItem,
  type CalendarRef,
  type EventChangeInfo,
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
import { ApiError, api, type EventInput, type Me, type Occurrence } from './api.ts';
import { Dialog } from './Dialog.tsx';
import { EventForm, type EventFormValues } from './EventForm.tsx';
import { forgetEventLink, linkedOccurrence, readEventLink } from './event-link.ts';
import { movedTimes } from './event-move.ts';
import type { Language, Translate } from './i18n.ts';
import { watchChanges } from './live-changes.ts';
import { OccurrenceDialog } from './OccurrenceDialog.tsx';
import { reminderOf } from './ReminderFields.tsx';
import { noRepeat } from './recurrence.ts';
import { haptic } from './telegram.ts';
import { useBackButton } from './telegram-buttons.ts';
import { addDays, addMinutesLocal, localDateTime } from './zoned-time.ts';

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
export function CalendarScreen(props: { t: Translate; language: Language; locale: string; me: Me }) {
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
      (p) => setDefaultReminders(p.defaultReminderMinutes === null ? [] : [p.defaultReminderMinutes]),
      () => setDefaultReminders([]),
    );
  }, []);

  // Opened from a link to one occurrence (the reminder's [Open]): go to its day and show it.
  useEffect(() => {
    const link = readEventLink();
    if (!link) return;
    forgetEventLink();
    calendar.current?.getApi().gotoDate(localDateTime(new Date(link.at), timeZone).slice(0, 10));
    const around = (days: number) => new Date(link.at + days * 86_400_000).toISOString();
    api.occurrences(around(-2), around(2)).then(
      ({ occurrences }) => {
        const occurrence = linkedOccurrence(occurrences, link);
        if (occurrence) setOverlay({ kind: 'details', occurrence });
      },
      (error: Error) => setLoadProblem(t('errorLoad', { reason: error.message })),
    );
  }, [t, timeZone]);

  // Telegram's BackButton closes whatever is open on top of the calendar.
  useBackButton(overlay !== undefined, () => setOverlay(undefined));

  // A change from anywhere (CalDAV, the bot, another tab) refetches the visible range; several
  // notices in a burst (an import) cause one refetch.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = watchChanges(() => {
      clearTimeout(timer);
      timer = setTimeout(() => calendar.current?.getApi().refetchEvents(), 250);
    });
    return () => {
      clearTimeout(timer);
      stop();
    };
  }, []);

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

  function finished(message: string) {
    setOverlay(undefined);
    setStatus(message);
    calendarApi()?.refetchEvents();
  }

  /** The occurrence as stored now (after a 412), found by its event and RECURRENCE-ID. */
  async function reload(occurrence: Occurrence): Promise<Occurrence | undefined> {
    const [from, to] = occurrence.allDay
      ? [addDays(occurrence.start, -7), addDays(occurrence.end, 7)]
      : [
          new Date(Date.parse(occurrence.start) - 7 * 86_400_000).toISOString(),
          new Date(Date.parse(occurrence.end) + 7 * 86_400_000).toISOString(),
        ];
    const { occurrences } = await api.occurrences(from, to);
    const same = occurrences.filter((o) => o.eventId === occurrence.eventId);
    return same.find((o) => o.recurrenceId === occurrence.recurrenceId) ?? same[0];
  }

  /**
   * Drag to move or resize (week and day views): one PATCH for that occurrence (scope "this" in a
   * series), conditional on its ETag; the calendar puts it back if the server says no.
   */
  async function moved(info: EventChangeInfo) {
    const occurrence = info.event.extendedProps.occurrence as Occurrence;
    const times = movedTimes(info.event, timeZone);
    try {
      await api.patchEvent(
        occurrence.eventId,
        times,
        occurrence.recurrenceId ? { recurrenceId: occurrence.recurrenceId, scope: 'this' } : null,
        occurrence.etag,
      );
      haptic('success');
      setStatus(t('saved'));
    } catch (error) {
      info.revert();
      haptic('error');
      setLoadProblem(
        error instanceof ApiError && error.status === 412
          ? t('changedElsewhere')
          : t('errorSave', { reason: (error as Error).message }),
      );
    }
    calendarApi()?.refetchEvents();
  }

  function changeView(next: ViewName) {
    setView(next);
    calendarApi()?.changeView(calendarViews[next]);
  }

  return (
    <div className="calendar-screen">
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
          // Drag to move (to another day in the month, another time in week and day) and resize.
          editable
          eventDurationEditable
          eventDrop={moved}
          eventResize={moved}
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
        <OccurrenceDialog
          key={overlay.occurrence.eventId + (overlay.occurrence.recurrenceId ?? '')}
          t={t}
          locale={props.locale}
          timeZone={timeZone}
          occurrence={overlay.occurrence}
          reload={reload}
          onDone={finished}
          onClose={() => setOverlay(undefined)}
        />
      )}
    </div>
  );
}
