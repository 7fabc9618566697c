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
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import '@fullcalendar/react/skeleton.css';
import '@fullcalendar/react/themes/classic/theme.css';
import { StatusMessage } from './Announce.tsx';
import {
  ApiError,
  api,
  type CalendarInfo,
  type CalendarShare,
  type EventInput,
  type EventInvitation,
  type Me,
  type Occurrence,
} from './api.ts';
import { CalendarDialog, type CalendarDialogMode } from './CalendarDialog.tsx';
import { CalendarList } from './CalendarList.tsx';
import { ShareInvitations } from './CalendarSharing.tsx';
import {
  displayColor,
  isReadOnly,
  readHiddenCalendars,
  sameCalendarIds,
  saveHiddenCalendars,
  textColorOn,
  unusedColor,
  writableCalendars,
} from './calendars.ts';
import { Dialog } from './Dialog.tsx';
import { EventForm, type EventFormValues } from './EventForm.tsx';
import { EventInvitations } from './EventInvitations.tsx';
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
  | { kind: 'calendar'; mode: CalendarDialogMode }
  | undefined;

/** How often the calendar list is reread while the page is visible, to see calendars added elsewhere. */
const calendarListPollMs = 60_000;

/** One occurrence as FullCalendar shows it: in its calendar's colour, fixed when read-only. */
function toCalendarItem(
  occurrence: Occurrence,
  untitled: string,
  calendar: CalendarInfo | undefined,
): CalendarItem {
  const color = displayColor(calendar?.color);
  return {
    id: `${occurrence.eventId}/${occurrence.recurrenceId ?? ''}`,
    title: occurrence.summary ?? untitled,
    start: occurrence.start,
    end: occurrence.end,
    allDay: occurrence.allDay,
    ...(color ? { color, contrastColor: textColorOn(color) } : {}),
    ...(isReadOnly(calendar) ? { editable: false } : {}),
    extendedProps: { occurrence },
  };
}

/**
 * The signed-in calendar: a toolbar, the calendar list (show, hide, manage), FullCalendar in the
 * user's zone, and the event and calendar dialogs.
 */
export function CalendarScreen(props: {
  t: Translate;
  language: Language;
  locale: string;
  me: Me;
  /** Inside Telegram the calendar list is a panel behind a button, as on phones. */
  compact?: boolean;
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
  const [calendars, setCalendars] = useState<CalendarInfo[]>([]);
  /** Calendars shared with the person: pending ones are invitations, accepted ones open "Leave". */
  const [sharesWithMe, setSharesWithMe] = useState<CalendarShare[]>([]);
  /** Events the person is invited to (issue 14 item 3); those not yet answered show above the list. */
  const [invitations, setInvitations] = useState<EventInvitation[]>([]);
  const [hidden, setHidden] = useState<Set<string>>(() => readHiddenCalendars(me.telegramId));
  const [listOpen, setListOpen] = useState(false);
  // FullCalendar's event source reads these through refs, so a change needs no new source.
  const calendarsRef = useRef<CalendarInfo[]>([]);
  const hiddenRef = useRef(hidden);
  const changes = useRef<ReturnType<typeof watchChanges>>(undefined);
  const writable = useMemo(() => writableCalendars(calendars), [calendars]);
  const calendarById = useMemo(() => new Map(calendars.map((c) => [c.id, c])), [calendars]);

  /**
   * Rereads the calendar list, and says whether anything in it changed. A calendar added or removed
   * reopens the change stream, which watches the calendars there are when it opens.
   */
  const loadCalendars = useCallback(async (): Promise<boolean> => {
    let next: CalendarInfo[];
    try {
      let shares: CalendarShare[];
      let invited: EventInvitation[];
      [next, shares, invited] = await Promise.all([api.calendars(), api.sharesWithMe(), api.invitations()]);
      setSharesWithMe(shares);
      setInvitations(invited);
    } catch {
      return false; // The events' own load reports trouble; the list keeps what it had.
    }
    const before = calendarsRef.current;
    calendarsRef.current = next;
    setCalendars(next);
    if (before.length > 0 && !sameCalendarIds(before, next)) changes.current?.reconnect();
    return JSON.stringify(before) !== JSON.stringify(next);
  }, []);

  /** Rereads the list, and the events when a calendar came, went or changed colour. */
  const refreshCalendars = useCallback(async () => {
    if (await loadCalendars()) calendar.current?.getApi().refetchEvents();
  }, [loadCalendars]);

  useEffect(() => {
    void refreshCalendars();
    // A calendar made on another device, with nothing written into it yet, says nothing on the
    // change stream: it shows up when the page is looked at again, or within a minute.
    const poll = setInterval(() => {
      if (document.visibilityState === 'visible') void refreshCalendars();
    }, calendarListPollMs);
    const onVisible = () => {
      if (document.visibilityState === 'visible') void refreshCalendars();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(poll);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [refreshCalendars]);

  function toggleCalendar(calendarId: string, visible: boolean) {
    const next = new Set(hiddenRef.current);
    if (visible) next.delete(calendarId);
    else next.add(calendarId);
    hiddenRef.current = next;
    setHidden(next);
    saveHiddenCalendars(me.telegramId, next);
    calendar.current?.getApi().refetchEvents();
  }

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
  // notices in a burst (an import) cause one refetch. The calendar list is reread too (one small
  // request): a calendar deleted elsewhere (a resync) disappears, one written into appears.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const watch = watchChanges(() => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        void loadCalendars().then(() => calendar.current?.getApi().refetchEvents());
      }, 250);
    });
    changes.current = watch;
    return () => {
      clearTimeout(timer);
      watch.stop();
      changes.current = undefined;
    };
  }, [loadCalendars]);

  const loadEvents = useCallback(
    (
      info: EventSourceFuncInfo,
      success: (items: CalendarItem[]) => void,
      failure: (error: Error) => void,
    ) => {
      api.occurrences(info.startStr, info.endStr).then(
        (result) => {
          setLoadProblem(undefined);
          const byId = new Map(calendarsRef.current.map((c) => [c.id, c]));
          success(
            result.occurrences
              .filter((o) => o.calendarId === undefined || !hiddenRef.current.has(o.calendarId))
              .map((o) =>
                toCalendarItem(o, t('untitled'), o.calendarId ? byId.get(o.calendarId) : undefined),
              ),
          );
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
        // Into the default calendar unless it is hidden, else the first shown one that can take it.
        calendarId: (
          writable.find((c) => c.isDefault && !hidden.has(c.id)) ??
          writable.find((c) => !hidden.has(c.id)) ??
          writable[0]
        )?.id,
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

  function calendarChanged(message: string) {
    setOverlay(undefined);
    setStatus(message);
    void refreshCalendars();
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
    <div className={props.compact ? 'calendar-screen compact' : 'calendar-screen'}>
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
        <button
          type="button"
          className="calendars-toggle"
          aria-expanded={listOpen}
          aria-controls="calendar-list"
          onClick={() => setListOpen((open) => !open)}
        >
          {t('calendarsCount', { n: calendars.length })}
        </button>
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
      <StatusMessage text={status} />

      <div className="calendar-body">
        <CalendarList
          t={t}
          id="calendar-list"
          calendars={calendars}
          hidden={hidden}
          open={listOpen}
          onToggle={toggleCalendar}
          onManage={(c) =>
            setOverlay({
              kind: 'calendar',
              mode:
                c.access === 'read' || c.access === 'write'
                  ? { kind: 'shared', calendar: c, share: sharesWithMe.find((x) => x.calendarId === c.id) }
                  : { kind: 'edit', calendar: c, isDefault: c.id === calendars[0]?.id },
            })
          }
          onNew={() => setOverlay({ kind: 'calendar', mode: { kind: 'new', color: unusedColor(calendars) } })}
          onSubscribe={() =>
            setOverlay({ kind: 'calendar', mode: { kind: 'subscribe', color: unusedColor(calendars) } })
          }
          sharedBy={
            new Map(
              sharesWithMe.filter((x) => x.status === 'accepted').map((x) => [x.calendarId, x.owner.name]),
            )
          }
        >
          <ShareInvitations
            t={t}
            invitations={sharesWithMe.filter((share) => share.status === 'pending')}
            onAnswered={calendarChanged}
          />
          <EventInvitations
            t={t}
            locale={props.locale}
            timeZone={timeZone}
            invitations={invitations}
            onAnswered={(message) => {
              calendarChanged(message);
              calendar.current?.getApi().refetchEvents();
            }}
          />
        </CalendarList>
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
      </div>
      <p className="hint zone-note">{t('timesShownIn', { zone: timeZone })}</p>

      {overlay?.kind === 'create' && (
        <Dialog label={t('newEvent')} onClose={() => setOverlay(undefined)}>
          <EventForm
            t={t}
            locale={props.locale}
            heading={t('newEvent')}
            initial={overlay.initial}
            calendars={writable}
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
          calendars={writable}
          calendar={calendars.length > 1 ? calendarById.get(overlay.occurrence.calendarId ?? '') : undefined}
          readOnly={isReadOnly(calendarById.get(overlay.occurrence.calendarId ?? ''))}
          canInvite={(calendarById.get(overlay.occurrence.calendarId ?? '')?.access ?? 'owner') === 'owner'}
          reload={reload}
          onDone={finished}
          onClose={() => setOverlay(undefined)}
        />
      )}
      {overlay?.kind === 'calendar' && (
        <CalendarDialog
          key={'calendar' in overlay.mode ? overlay.mode.calendar.id : overlay.mode.kind}
          t={t}
          locale={props.locale}
          timeZone={timeZone}
          mode={overlay.mode}
          onDone={calendarChanged}
          onClose={() => setOverlay(undefined)}
        />
      )}
    </div>
  );
}
