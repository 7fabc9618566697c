import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { ProblemAlert, StatusMessage } from './Announce.tsx';
import { api, type Device, type Me, type NewDevice, saveFile } from './api.ts';
import type { Translate } from './i18n.ts';
import { NewDevicePanel } from './NewDevicePanel.tsx';
import { haptic } from './telegram.ts';
import { useBackButton } from './telegram-buttons.ts';
import { formatDateTime } from './zoned-time.ts';

/**
 * Device passwords for calendar apps (CalDAV): create one (shown once, with what to type where),
 * list them with when they were made and last used, revoke one after a confirmation.
 */
export function DevicesPage(props: { t: Translate; locale: string; me: Me; onBack: () => void }) {
  const { t } = props;
  const [devices, setDevices] = useState<Device[] | undefined>();
  const [name, setName] = useState('');
  const [created, setCreated] = useState<NewDevice | undefined>();
  const [revoking, setRevoking] = useState<Device | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [status, setStatus] = useState('');
  useBackButton(true, props.onBack);

  const load = useCallback(async () => {
    try {
      setDevices(await api.devices());
    } catch (error) {
      setProblem(t('errorLoadDevices', { reason: (error as Error).message }));
    }
  }, [t]);
  useEffect(() => {
    void load();
  }, [load]);

  async function create(event: FormEvent) {
    event.preventDefault();
    setProblem(undefined);
    try {
      const device = await api.createDevice(name.trim() || t('deviceDefaultName'));
      setCreated(device);
      setName('');
      haptic('success');
      await load();
    } catch (error) {
      setProblem((error as Error).message);
    }
  }

  async function revoke(device: Device) {
    try {
      await api.revokeDevice(device.id);
      haptic('warning');
      setRevoking(undefined);
      setStatus(t('deviceRevoked', { name: device.name }));
      if (created?.id === device.id) setCreated(undefined);
      await load();
    } catch (error) {
      setProblem((error as Error).message);
    }
  }

  async function downloadProfile(device: NewDevice) {
    try {
      const profile = await api.appleProfile({ name: device.name, password: device.password });
      saveFile(profile, 'televent.mobileconfig');
    } catch (error) {
      setProblem((error as Error).message);
    }
  }

  const when = (iso: string) =>
    formatDateTime(new Date(iso), { timeZone: props.me.timezone ?? 'UTC', locale: props.locale });

  return (
    <main className="page devices">
      <h2>{t('devicesTitle')}</h2>
      <p>{t('devicesIntro')}</p>
      <StatusMessage text={status} />
      <ProblemAlert problem={problem} />

      {created ? (
        <NewDevicePanel
          t={t}
          device={created}
          onDownloadProfile={() => downloadProfile(created)}
          onDone={() => setCreated(undefined)}
        />
      ) : (
        <form className="inline-form" onSubmit={create}>
          <label htmlFor="device-name">{t('deviceName')}</label>
          <input
            id="device-name"
            value={name}
            maxLength={64}
            placeholder={t('deviceNamePlaceholder')}
            onChange={(e) => setName(e.target.value)}
          />
          <button type="submit" className="primary">
            {t('deviceCreate')}
          </button>
        </form>
      )}

      <h3>{t('devicesList')}</h3>
      {devices === undefined ? (
        <p aria-busy="true">{t('loading')}</p>
      ) : devices.length === 0 ? (
        <p className="hint">{t('devicesNone')}</p>
      ) : (
        <ul className="device-list">
          {devices.map((device) => (
            <li key={device.id}>
              <div>
                <strong>{device.name}</strong>
                <p className="hint">
                  {t('deviceCreated', { when: when(device.createdAt) })} ·{' '}
                  {device.lastUsedAt
                    ? t('deviceLastUsed', { when: when(device.lastUsedAt) })
                    : t('deviceNeverUsed')}
                </p>
              </div>
              {revoking?.id === device.id ? (
                <div className="actions">
                  <span>{t('deviceRevokeConfirm', { name: device.name })}</span>
                  <button type="button" onClick={() => setRevoking(undefined)}>
                    {t('cancel')}
                  </button>
                  <button type="button" className="danger" onClick={() => revoke(device)}>
                    {t('deviceRevokeYes')}
                  </button>
                </div>
              ) : (
                <button
                  type="button"
                  className="danger"
                  aria-label={t('deviceRevokeNamed', { name: device.name })}
                  onClick={() => setRevoking(device)}
                >
                  {t('deviceRevoke')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
