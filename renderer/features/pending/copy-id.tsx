/**
 * A copy button for the GameClips clip id (issue 15, item 8): the id is long and usually cut
 * off, so the button copies all of it and says so.
 */
import { useEffect, useState } from 'react';
import { t } from '../../../app/i18n/translate';

/** Copies text: the async clipboard first, the selection-based copy where it is refused. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'copy-buffer';
    document.body.append(area);
    area.select();
    try {
      return document.execCommand('copy');
    } finally {
      area.remove();
    }
  }
}

export function CopyIdButton({ id }: { id: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2500);
    return () => clearTimeout(timer);
  }, [state]);
  return (
    <>
      <button
        type="button"
        className="link-button"
        data-testid="copy-clip-id"
        aria-label={t('card.copyIdLabel')}
        onClick={() => void copyText(id).then((done) => setState(done ? 'copied' : 'failed'))}
      >
        {t('card.copyId')}
      </button>
      <span className="small muted" role="status" data-testid="copy-clip-id-status">
        {state === 'copied' ? t('card.copied') : state === 'failed' ? t('card.copyFailed') : ''}
      </span>
    </>
  );
}
