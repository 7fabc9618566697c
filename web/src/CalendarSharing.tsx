import { type FormEvent, useEffect, useId, useState } from 'react';
import { ProblemAlert, StatusMessage } from './Announce.tsx';
import { api, type CalendarInfo, type CalendarShare } from './api.ts';
import type { Translate } from './i18n.ts';
import { haptic } from './telegram.ts';

type Access = CalendarShare['access'];

/**
 * Who the owner's calendar is shared with (issue 14): each person with what they may do (read, or
 * also change events) and Stop sharing, and a form that invites someone who has started the bot by
 * their @username. The invitee answers in the bot, the web app or over REST.
 */
export function CalendarSharing(props: { t: Translate; calendar: CalendarInfo }) {
  const { t, calendar } = props;
  const id = useId();
  const [shares, setShares] = useState<CalendarShare[]>([]);
  const [username, setUsername] = useState('');
  const [access, setAccess] = useState<Access>('read');
  const [problem, setProblem] = useState<string | undefined>();
  const [status, setStatus] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.shares(calendar.id).then(setShares, (error: unknown) => setProblem(String(error)));
  }, [calendar.id]);

  async function run(action: () => Promise<string>) {
    setBusy(true);
    setProblem(undefined);
    try {
      setStatus(await action());
      setShares(await api.shares(calendar.id));
      haptic('success');
    } catch (error) {
      haptic('error');
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }

  function invite(event: FormEvent) {
    event.preventDefault();
    const name = username.trim().replace(/^@/, '');
    // A Telegram id (digits) or an @username, as people find them in Telegram.
    const target = /^\d{1,15}$/.test(name)
      ? { telegramId: Number(name) }
      : /^[A-Za-z0-9_]{5,32}$/.test(name)
        ? { username: name }
        : undefined;
    if (!target) {
      setProblem(t('errorUsername'));
      return;
    }
    void run(async () => {
      const share = await api.shareCalendar(calendar.id, target, access);
      setUsername('');
      return t('shareInvited', { person: share.sharee?.name ?? name, name: calendar.name });
    });
  }

  const personOf = (share: CalendarShare) => share.sharee?.name ?? t('shareLinkUnopened');

  return (
    <section className="calendar-sharing dialog-part" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('sharingTitle')}</h3>
      <p className="hint">{t('sharingIntro')}</p>
      {shares.length > 0 && (
        <ul className="shares">
          {shares.map((share) => (
            <li key={share.id}>
              <span className="name">
                {personOf(share)}
                {share.status === 'pending' && <span className="badge">{t('sharePending')}</span>}
              </span>
              <select
                aria-label={t('shareAccessOf', { person: personOf(share) })}
                value={share.access}
                disabled={busy}
                onChange={(e) =>
                  run(async () => {
                    const changed = await api.changeShare(share, e.target.value as Access);
                    return t('shareAccessChanged', { person: personOf(changed) });
                  })
                }
              >
                <option value="read">{t('shareAccessRead')}</option>
                <option value="write">{t('shareAccessWrite')}</option>
              </select>
              <button
                type="button"
                className="danger quiet"
                disabled={busy}
                onClick={() =>
                  run(async () => {
                    await api.revokeShare(share);
                    return t('shareStopped', { person: personOf(share) });
                  })
                }
              >
                {t('shareStopNamed', { person: personOf(share) })}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="share-form" onSubmit={invite} noValidate>
        <label htmlFor={`${id}-username`}>{t('shareUsername')}</label>
        <input
          id={`${id}-username`}
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          placeholder="@username"
          maxLength={33}
          autoComplete="off"
        />
        <label htmlFor={`${id}-access`}>{t('shareAccess')}</label>
        <select id={`${id}-access`} value={access} onChange={(e) => setAccess(e.target.value as Access)}>
          <option value="read">{t('shareAccessRead')}</option>
          <option value="write">{t('shareAccessWrite')}</option>
        </select>
        <div className="actions start">
          <button type="submit" className="primary" disabled={busy}>
            {t('shareInvite')}
          </button>
        </div>
      </form>
      <ProblemAlert problem={problem} />
      <StatusMessage text={status} />
    </section>
  );
}

/** Invitations to calendars shared with you, each with Accept and Decline (above the calendar list). */
export function ShareInvitations(props: {
  t: Translate;
  invitations: readonly CalendarShare[];
  onAnswered: (message: string) => void;
}) {
  const { t } = props;
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  if (props.invitations.length === 0) return null;

  async function answer(share: CalendarShare, choice: 'accept' | 'decline') {
    setBusy(true);
    setProblem(undefined);
    try {
      await api.answerShare(share.id, choice);
      props.onAnswered(
        t(choice === 'accept' ? 'shareAccepted' : 'shareDeclined', { name: share.calendarName }),
      );
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="invitations" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('invitationsTitle')}</h3>
      <ul>
        {props.invitations.map((share) => (
          <li key={share.id}>
            <p>
              {t('invitationText', {
                person: share.owner.name,
                name: share.calendarName,
                access: t(share.access === 'write' ? 'shareAccessWrite' : 'shareAccessRead'),
              })}
            </p>
            <div className="actions start">
              <button
                type="button"
                className="primary"
                disabled={busy}
                onClick={() => answer(share, 'accept')}
              >
                {t('invitationAccept')}
              </button>
              <button type="button" disabled={busy} onClick={() => answer(share, 'decline')}>
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
