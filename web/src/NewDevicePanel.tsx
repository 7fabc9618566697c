import { StatusMessage } from './Announce.tsx';
import type { NewDevice } from './api.ts';
import { useCopy } from './copy.ts';
import type { MessageKey, Translate } from './i18n.ts';

// What a calendar app asks for, and where, for the apps people use most (see
// docs/caldav-client-quirks.md for how each one connects).
const clients: { name: string; steps: MessageKey }[] = [
  { name: 'Apple Calendar (iPhone, iPad, Mac)', steps: 'stepsApple' },
  { name: 'Thunderbird', steps: 'stepsThunderbird' },
  { name: 'DAVx⁵ (Android)', steps: 'stepsDavx5' },
  { name: 'Evolution (GNOME)', steps: 'stepsEvolution' },
];

/** A device password just created: shown this once, with a copy button and the set-up steps. */
export function NewDevicePanel(props: {
  t: Translate;
  device: NewDevice;
  onDownloadProfile: () => void;
  onDone: () => void;
}) {
  const { t, device } = props;
  const [copied, copy] = useCopy(t);

  const fields: { label: string; value: string; id: string }[] = [
    { label: t('devicePassword'), value: device.password, id: 'new-device-password' },
    { label: t('deviceServer'), value: device.caldav.url, id: 'new-device-server' },
    { label: t('deviceUser'), value: device.caldav.username, id: 'new-device-user' },
  ];

  return (
    <section className="new-device" aria-labelledby="new-device-title">
      <h3 id="new-device-title">{t('deviceCreatedTitle', { name: device.name })}</h3>
      <p className="notice">{t('deviceShownOnce')}</p>
      <dl className="credentials">
        {fields.map((field) => (
          <div key={field.id}>
            <dt id={field.id}>{field.label}</dt>
            <dd>
              <code>{field.value}</code>
              <button
                type="button"
                className="quiet"
                aria-label={t('copyNamed', { what: field.label })}
                onClick={() => copy(field.label, field.value)}
              >
                {t('copy')}
              </button>
            </dd>
          </div>
        ))}
      </dl>
      <StatusMessage text={copied} />
      <p>
        <button type="button" className="primary" onClick={props.onDownloadProfile}>
          {t('deviceProfile')}
        </button>
      </p>
      <p className="hint">{t('deviceProfileHint')}</p>
      {clients.map((client) => (
        <details key={client.name}>
          <summary>{client.name}</summary>
          <p>{t(client.steps, { server: device.caldav.url, user: device.caldav.username })}</p>
        </details>
      ))}
      <div className="actions">
        <button type="button" onClick={props.onDone}>
          {t('deviceDone')}
        </button>
      </div>
    </section>
  );
}
