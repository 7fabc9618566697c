import { type ChangeEvent, useState } from 'react';
import { ProblemAlert } from './Announce.tsx';
import { api, type ImportReport, type Me, saveFile } from './api.ts';
import type { Translate } from './i18n.ts';
import { haptic } from './telegram.ts';

/** Import an .ics file, export .ics and JSON, delete the account (with the erase date and undo), sign out. */
export function DataSection(props: {
  t: Translate;
  locale: string;
  me: Me;
  inTelegram: boolean;
  onMeChanged: (me: Me) => void;
  onSignOut: () => void;
}) {
  const { t, me } = props;
  const [report, setReport] = useState<ImportReport | undefined>();
  const [importing, setImporting] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  const [confirmingDeletion, setConfirmingDeletion] = useState(false);

  async function importFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setImporting(true);
    setProblem(undefined);
    setReport(undefined);
    try {
      setReport(await api.importIcs(await file.text()));
      haptic('success');
    } catch (error) {
      haptic('error');
      setProblem(t('importFailed', { reason: (error as Error).message }));
    } finally {
      setImporting(false);
    }
  }

  async function download(path: '/export' | '/export.ics', fileName: string) {
    try {
      saveFile(await api.download(path), fileName);
    } catch (error) {
      setProblem((error as Error).message);
    }
  }

  async function changeDeletion(request: boolean) {
    try {
      props.onMeChanged(request ? await api.requestDeletion() : await api.cancelDeletion());
      haptic(request ? 'warning' : 'success');
      setConfirmingDeletion(false);
    } catch (error) {
      setProblem((error as Error).message);
    }
  }

  const eraseDate = me.deletionScheduledFor
    ? new Intl.DateTimeFormat(props.locale, { dateStyle: 'long', timeZone: me.timezone ?? 'UTC' }).format(
        new Date(me.deletionScheduledFor),
      )
    : undefined;

  return (
    <>
      <section aria-labelledby="settings-import">
        <h3 id="settings-import">{t('importTitle')}</h3>
        <label htmlFor="settings-import-file">{t('importFile')}</label>
        <input
          id="settings-import-file"
          type="file"
          accept=".ics,text/calendar"
          disabled={importing}
          onChange={importFile}
        />
        <div role="status">
          {importing && <p>{t('importing')}</p>}
          {report && (
            <>
              <p>
                {t('importReport', {
                  created: report.created,
                  updated: report.updated,
                  skipped: report.skipped,
                })}
              </p>
              {report.errors.length > 0 && (
                <ul className="import-errors">
                  {report.errors.map((e, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: errors have no identity but their place.
                    <li key={i}>{e.uid ? `${e.uid}: ${e.message}` : e.message}</li>
                  ))}
                </ul>
              )}
            </>
          )}
        </div>
      </section>

      <section aria-labelledby="settings-export">
        <h3 id="settings-export">{t('exportTitle')}</h3>
        <div className="actions start">
          <button type="button" onClick={() => download('/export.ics', 'televent.ics')}>
            {t('exportIcs')}
          </button>
          <button type="button" onClick={() => download('/export', 'televent-export.json')}>
            {t('exportJson')}
          </button>
        </div>
      </section>

      <ProblemAlert problem={problem} />

      <section aria-labelledby="settings-account">
        <h3 id="settings-account">{t('accountTitle')}</h3>
        {eraseDate ? (
          <>
            <p className="notice">{t('deletionScheduled', { date: eraseDate })}</p>
            <button type="button" className="primary" onClick={() => changeDeletion(false)}>
              {t('deletionUndo')}
            </button>
          </>
        ) : confirmingDeletion ? (
          <div className="actions start">
            <p>{t('deletionConfirm')}</p>
            <button type="button" onClick={() => setConfirmingDeletion(false)}>
              {t('cancel')}
            </button>
            <button type="button" className="danger" onClick={() => changeDeletion(true)}>
              {t('deletionYes')}
            </button>
          </div>
        ) : (
          <button type="button" className="danger" onClick={() => setConfirmingDeletion(true)}>
            {t('deletionRequest')}
          </button>
        )}
        {!props.inTelegram && (
          <p>
            <button type="button" className="quiet" onClick={props.onSignOut}>
              {t('signOut')}
            </button>
          </p>
        )}
      </section>
    </>
  );
}
