import { useState } from 'react';
import { ProblemAlert, StatusMessage } from './Announce.tsx';
import { api, type CalendarFeed } from './api.ts';
import { useCopy } from './copy.ts';
import type { Translate } from './i18n.ts';

/**
 * A calendar's secret subscription link for Google Calendar, Outlook or any ICS reader. The server
 * keeps only a hash, so the link is shown once, when made; a new link replaces the old one, which
 * stops working, and "Turn off" revokes whatever link there is.
 */
export function FeedLink(props: { t: Translate; calendarId: string; calendarName: string }) {
  const { t } = props;
  const [feed, setFeed] = useState<CalendarFeed | undefined>();
  const [confirmingNew, setConfirmingNew] = useState(false);
  const [status, setStatus] = useState<string | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [copied, copy] = useCopy(t);

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setProblem(undefined);
    try {
      await action();
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }

  const make = () =>
    run(async () => {
      setFeed(await api.createFeed(props.calendarId));
      setConfirmingNew(false);
      setStatus(t('feedMade'));
    });

  const turnOff = () =>
    run(async () => {
      await api.revokeFeed(props.calendarId);
      setFeed(undefined);
      setConfirmingNew(false);
      setStatus(t('feedTurnedOff'));
    });

  const addresses = feed
    ? [
        { label: t('feedWebcal'), value: feed.webcalUrl ?? feed.url.replace(/^https?:\/\//, 'webcal://') },
        { label: t('feedHttps'), value: feed.url },
      ]
    : [];

  return (
    <section className="feed-link dialog-part" aria-labelledby="feed-link-title">
      <h3 id="feed-link-title">{t('feedTitle')}</h3>
      <p className="hint">{t('feedIntro', { name: props.calendarName })}</p>
      {addresses.length > 0 && (
        <dl className="credentials feed-addresses">
          {addresses.map((address) => (
            <div key={address.label} className="address">
              <dt>{address.label}</dt>
              <dd>
                <code>{address.value}</code>
                <button
                  type="button"
                  className="quiet"
                  aria-label={t('copyNamed', { what: address.label })}
                  onClick={() => copy(address.label, address.value)}
                >
                  {t('copy')}
                </button>
              </dd>
            </div>
          ))}
        </dl>
      )}
      {confirmingNew && (
        <p className="notice" role="alert">
          {t('feedNewWarning')}
        </p>
      )}
      <div className="actions start">
        {confirmingNew ? (
          <>
            <button type="button" onClick={() => setConfirmingNew(false)}>
              {t('cancel')}
            </button>
            <button type="button" className="primary" disabled={busy} onClick={make}>
              {t('feedNewYes')}
            </button>
          </>
        ) : (
          <button
            type="button"
            disabled={busy}
            onClick={() => (feed ? setConfirmingNew(true) : make())}
            className={feed ? undefined : 'primary'}
          >
            {feed ? t('feedNew') : t('feedMake')}
          </button>
        )}
        <button type="button" className="danger" disabled={busy} onClick={turnOff}>
          {t('feedTurnOff')}
        </button>
      </div>
      <ProblemAlert problem={problem} />
      <StatusMessage text={status} />
      <StatusMessage text={copied} />
    </section>
  );
}
