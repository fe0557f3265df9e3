/**
 * The first-run note on Pending (issue 15, item 3): what "reserved" means, and what the current
 * send policy will do with the clips. Dismissed once, remembered in this window's storage.
 */
import { useState } from 'react';
import type { SendPolicy } from '../../../app/settings';
import { t } from '../../../app/i18n/translate';
import { useSettings } from '../../stores/stores-context';

const DISMISSED_KEY = 'gameclips.reservedNoteDismissed';

function wasDismissed(): boolean {
  try {
    return globalThis.localStorage?.getItem(DISMISSED_KEY) === '1';
  } catch {
    return false;
  }
}

/** What the send policy will do, in one sentence. */
export function policySentence(policy: SendPolicy | undefined): string {
  switch (policy?.kind) {
    case 'after-delay':
      return t('reservedNote.policy.after-delay', { minutes: policy.minutes });
    case 'immediate':
      return t('reservedNote.policy.immediate');
    default:
      return t('reservedNote.policy.review');
  }
}

export function ReservedNote() {
  const [dismissed, setDismissed] = useState(wasDismissed);
  const policy = useSettings((state) => state.view?.settings.sendPolicy);
  if (dismissed) return null;
  const dismiss = () => {
    try {
      globalThis.localStorage?.setItem(DISMISSED_KEY, '1');
    } catch {
      // No storage: dismissed for this run.
    }
    setDismissed(true);
  };
  return (
    <div className="reserved-note" role="note" data-testid="reserved-note">
      <p>
        {t('reservedNote.body')}{' '}
        <span data-testid="reserved-note-policy">{policySentence(policy)}</span>
      </p>
      <button
        type="button"
        className="button button--quiet button--small"
        data-testid="reserved-note-dismiss"
        onClick={dismiss}
      >
        {t('reservedNote.dismiss')}
      </button>
    </div>
  );
}
