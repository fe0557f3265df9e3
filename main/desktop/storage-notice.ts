/**
 * The desktop notification for clips the app removed from the built-in service to stay under the
 * stored cap (issue 16, item 5); the window shows the same sentence (service:storage-trimmed).
 */
import type { StorageTrimmed } from '../../app/ipc/contract';
import type { Translator } from '../../app/i18n/messages';
import { binaryBytes } from '../../app/service/storage-cap';
import { escapeMarkup } from './notifier';

/** The sentence for a notice, in the translator's language. */
export function storageTrimmedSentence(tr: Translator, notice: StorageTrimmed): string {
  return tr.plural('storage.autoTrimmed', notice.removed, { cap: binaryBytes(notice.capBytes) });
}

export function tellStorageTrimmed(
  { Notification }: Pick<typeof Electron.CrossProcessExports, 'Notification'>,
  tr: Translator,
  notice: StorageTrimmed,
): void {
  if (!Notification.isSupported()) return;
  const body = storageTrimmedSentence(tr, notice);
  new Notification({
    title: tr.t('storage.autoTrimmedTitle'),
    body: process.platform === 'linux' ? escapeMarkup(body) : body,
  }).show();
}
