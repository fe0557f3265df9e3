/**
 * Settings: what the built-in service holds and where, with a cap (oldest clips not marked saved
 * go first) and removal of clips older than N days (issue 16, item 5). Only the service's copies
 * are removed; the user's files stay, and the window says so.
 */
import { useEffect, useState } from 'react';
import type { ServiceStorage } from '../../../app/ipc/contract';
import { errorSentence, t } from '../../../app/i18n/translate';
import { useApp } from '../../stores/stores-context';

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
  const [capMb, setCapMb] = useState('1024');
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
          const value = Number(capMb);
          if (Number.isFinite(value) && value >= 0)
            void trim({ maxBytes: Math.floor(value * MB) }, 'cap');
        }}
      >
        {t('storage.applyCap')}
      </button>
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
