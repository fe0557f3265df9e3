/**
 * The line that tells the user the app removed old clips from the built-in service to stay under
 * the stored cap (issue 16, item 5): shown on every screen until dismissed; the rows of those
 * clips say they are no longer online.
 */
import { useEffect, useState } from 'react';
import type { StorageTrimmed } from '../../../app/ipc/contract';
import { t } from '../../../app/i18n/translate';
import { binaryBytes } from '../../../app/service/storage-cap';

type Subscribe = (listener: (notice: StorageTrimmed) => void) => () => void;

function subscribe(): Subscribe | undefined {
  return (globalThis as { companion?: { events?: { onServiceStorageTrimmed?: Subscribe } } })
    .companion?.events?.onServiceStorageTrimmed;
}

/** The sentence for a notice, in the window's language. */
export function trimmedSentence(notice: StorageTrimmed): string {
  return t(notice.removed === 1 ? 'storage.autoTrimmed.one' : 'storage.autoTrimmed.other', {
    count: notice.removed,
    cap: binaryBytes(notice.capBytes),
  });
}

export function StorageTrimmedNotice() {
  const [notice, setNotice] = useState<StorageTrimmed | undefined>();
  useEffect(() => subscribe()?.(setNotice), []);
  if (!notice) return null;
  return (
    <p className="notice" role="status" data-testid="storage-trimmed-notice">
      {trimmedSentence(notice)}{' '}
      <button
        type="button"
        className="button button--quiet"
        data-testid="storage-trimmed-dismiss"
        onClick={() => setNotice(undefined)}
      >
        {t('storage.dismiss')}
      </button>
    </p>
  );
}
