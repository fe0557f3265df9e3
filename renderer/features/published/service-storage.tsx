/**
 * Settings: what the built-in service holds and where, with a cap (oldest clips not marked saved
 * go first) and removal of clips older than N days (issue 16, item 5). Only the service's copies
 * are removed; the user's files stay, and the window says so.
 */
import { useEffect, useState } from 'react';
import type { ServiceStorage } from '../../../app/ipc/contract';
import { errorSentence, t } from '../../../app/i18n/translate';
import { binaryBytes, capFromMebibytes } from '../../../app/service/storage-cap';
import { useApp, useSettings, useSettingsActions } from '../../stores/stores-context';

type Answer<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: { code: string; message: string } };

interface StorageVerbs {
  readonly storage?: () => Promise<Answer<ServiceStorage>>;
  readonly trimStorage?: (
    rule: { maxBytes: number } | { olderThanDays: number },
  ) => Promise<Answer<ServiceStorage & { removed: number }>>;
}

function verbs(): StorageVerbs {
  return (globalThis as { companion?: { service?: StorageVerbs } }).companion?.service ?? {};
}

const MB = 1024 * 1024;

function megabytes(bytes: number): string {
  return (bytes / MB).toFixed(1);
}

export function ServiceStorageSection() {
  const builtIn = useApp((state) => state.status?.service.kind === 'sandbox');
  const [storage, setStorage] = useState<ServiceStorage | undefined>();
  // The cap is a stored setting, applied by the app after each publish and at start-up.
  const storedCap = useSettings((state) => state.view?.settings.serviceStorage?.capBytes ?? null);
  const settings = useSettingsActions();
  const [capMb, setCapMb] = useState(() => (storedCap === null ? '1024' : String(storedCap / MB)));
  const [days, setDays] = useState('30');
  const [message, setMessage] = useState<string | undefined>();
  const { storage: read, trimStorage } = verbs();

  useEffect(() => {
    if (!builtIn || !read) return;
    void read().then((answer) => {
      if (answer.ok) setStorage(answer.value);
      else setMessage(errorSentence(answer.error));
    });
  }, [builtIn, read]);

  // The app trimmed the service to the stored cap: the summary shows what is left.
  useEffect(() => {
    if (!builtIn || !read) return;
    const events = (
      globalThis as {
        companion?: { events?: { onServiceStorageTrimmed?: (fn: () => void) => () => void } };
      }
    ).companion?.events;
    return events?.onServiceStorageTrimmed?.(() => {
      void read().then((answer) => answer.ok && setStorage(answer.value));
    });
  }, [builtIn, read]);

  if (!builtIn || !read || !trimStorage) return null;

  async function trim(rule: { maxBytes: number } | { olderThanDays: number }, why: 'cap' | 'age') {
    const answer = await trimStorage!(rule);
    if (!answer.ok) {
      setMessage(t('storage.failed', { message: errorSentence(answer.error) }));
      return;
    }
    setStorage(answer.value);
    setMessage(
      t(why === 'cap' ? 'storage.trimmedCap' : 'storage.trimmedAge', {
        count: answer.value.removed,
      }),
    );
  }

  return (
    <section
      className="settings-group"
      aria-labelledby="service-storage-title"
      data-testid="service-storage"
    >
      <h3 id="service-storage-title">{t('storage.title')}</h3>
      {storage ? (
        <p data-testid="service-storage-summary" data-total-bytes={storage.totalBytes}>
          {t('storage.summary', {
            clips: storage.clips,
            video: megabytes(storage.videoBytes),
            thumbnails: megabytes(storage.thumbnailBytes),
          })}
          <br />
          <span className="muted small">{t('storage.where')} </span>
          <code className="small" data-testid="service-storage-folder">
            {storage.dataDir}
          </code>
        </p>
      ) : (
        <p className="muted">{t('app.loading')}</p>
      )}
      <p className="muted small">{t('storage.filesStay')}</p>
      <label className="field">
        <span>{t('storage.capLabel')}</span>
        <input
          type="number"
          min={0}
          step="any"
          value={capMb}
          data-testid="storage-cap-mb"
          onChange={(event) => setCapMb(event.target.value)}
        />
      </label>
      <button
        type="button"
        className="button"
        data-testid="storage-apply-cap"
        onClick={() => {
          const maxBytes = capFromMebibytes(capMb);
          if (maxBytes === undefined) return;
          void settings
            .changed({ serviceStorage: { capBytes: maxBytes } })
            .then(() => trim({ maxBytes }, 'cap'));
        }}
      >
        {t('storage.applyCap')}
      </button>
      {storedCap === null ? null : (
        <button
          type="button"
          className="button button--quiet"
          data-testid="storage-remove-cap"
          onClick={() => void settings.changed({ serviceStorage: { capBytes: null } })}
        >
          {t('storage.removeCap')}
        </button>
      )}
      <p className="muted small" data-testid="storage-cap-kept">
        {storedCap === null
          ? t('storage.capNone')
          : t('storage.capKept', { cap: binaryBytes(storedCap) })}
      </p>
      <label className="field">
        <span>{t('storage.daysLabel')}</span>
        <input
          type="number"
          min={0}
          step={1}
          value={days}
          data-testid="storage-days"
          onChange={(event) => setDays(event.target.value)}
        />
      </label>
      <button
        type="button"
        className="button button--danger"
        data-testid="storage-remove-older"
        onClick={() => {
          const value = Number(days);
          if (Number.isInteger(value) && value >= 0) void trim({ olderThanDays: value }, 'age');
        }}
      >
        {t('storage.removeOlder')}
      </button>
      {message ? (
        <p role="status" data-testid="service-storage-message">
          {message}
        </p>
      ) : null}
    </section>
  );
}
