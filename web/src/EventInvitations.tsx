import { type FormEvent, useId, useState } from 'react';
import { ProblemAlert } from './Announce.tsx';
import { api, type EventInvitation, type Invitee } from './api.ts';
import type { Translate } from './i18n.ts';
import { formatRange } from './zoned-time.ts';

type Answer = 'accepted' | 'tentative' | 'declined';
const answerKeys = {
  accepted: 'answerAccepted',
  tentative: 'answerTentative',
  declined: 'answerDeclined',
} as const;

/**
 * Events you are invited to and have not answered (issue 14 item 3), above the calendar list with
 * Accept, Maybe and Decline: the answer goes into the organizer's event, and accepted or maybe
 * puts the event in your calendar.
 */
export function EventInvitations(props: {
  t: Translate;
  locale: string;
  timeZone: string;
  invitations: readonly EventInvitation[];
  onAnswered: (message: string) => void;
}) {
  const { t } = props;
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  const waiting = props.invitations.filter((i) => i.answer === 'needs-action');
  if (waiting.length === 0) return null;

  async function answer(invitation: EventInvitation, choice: Answer) {
    setBusy(true);
    setProblem(undefined);
    try {
      await api.answerInvitation(invitation.id, choice);
      props.onAnswered(
        t('eventInvitationAnswered', {
          title: invitation.summary ?? t('untitled'),
          answer: t(answerKeys[choice]),
        }),
      );
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }

  const whenOf = (invitation: EventInvitation) =>
    invitation.start
      ? formatRange(new Date(invitation.start), new Date(invitation.start), {
          timeZone: props.timeZone,
          locale: props.locale,
          allDay: invitation.allDay,
        })
      : '';

  return (
    <section className="invitations" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('invitationsTitle')}</h3>
      <ul>
        {waiting.map((invitation) => (
          <li key={invitation.id}>
            <p>
              {t('eventInvitationText', {
                person: invitation.organizer.name,
                title: invitation.summary ?? t('untitled'),
                when: whenOf(invitation),
              })}
            </p>
            <div className="actions start">
              <button
                type="button"
                className="primary"
                disabled={busy}
                onClick={() => answer(invitation, 'accepted')}
              >
                {t('invitationAccept')}
              </button>
              <button type="button" disabled={busy} onClick={() => answer(invitation, 'tentative')}>
                {t('eventInvitationMaybe')}
              </button>
              <button type="button" disabled={busy} onClick={() => answer(invitation, 'declined')}>
                {t('invitationDecline')}
              </button>
            </div>
          </li>
        ))}
      </ul>
      <ProblemAlert problem={problem} />
    </section>
  );
}

/** "@anna, 12345, bob@example.org" as invitees, or the first piece that is none of those. */
export function parseInvitees(text: string): { people: Invitee[] } | { wrong: string } {
  const people: Invitee[] = [];
  for (const piece of text.split(/[,;\s]+/).filter(Boolean)) {
    if (/^@[A-Za-z0-9_]{5,32}$/.test(piece)) people.push({ username: piece.slice(1) });
    else if (/^[1-9][0-9]{0,15}$/.test(piece)) people.push({ telegramId: Number(piece) });
    else if (/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(piece)) people.push({ email: piece });
    else return { wrong: piece };
  }
  return { people };
}

/** Invites people to one of your events from its details: Telegram users and anyone with an e-mail address. */
export function InvitePeople(props: { t: Translate; eventId: string }) {
  const { t } = props;
  const id = useId();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  const [status, setStatus] = useState('');

  async function invite(event: FormEvent) {
    event.preventDefault();
    setProblem(undefined);
    const parsed = parseInvitees(text);
    if ('wrong' in parsed) {
      setProblem(t('errorInvitee', { text: parsed.wrong }));
      return;
    }
    if (parsed.people.length === 0) return;
    setBusy(true);
    try {
      await api.inviteToEvent(props.eventId, parsed.people);
      setStatus(t('invitedPeople', { people: text.trim() }));
      setText('');
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="invite-people" onSubmit={invite} noValidate>
      <label htmlFor={`${id}-people`}>{t('invitePeople')}</label>
      <input
        id={`${id}-people`}
        value={text}
        onChange={(e) => setText(e.target.value)}
        aria-describedby={`${id}-hint`}
        autoComplete="off"
        maxLength={2000}
      />
      <p id={`${id}-hint`} className="hint">
        {t('invitePeopleHint')}
      </p>
      <div className="actions start">
        <button type="submit" disabled={busy}>
          {t('inviteSend')}
        </button>
      </div>
      <ProblemAlert problem={problem} />
      {status && (
        <p className="notice" role="status">
          {status}
        </p>
      )}
    </form>
  );
}
