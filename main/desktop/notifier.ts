/**
 * Desktop notifications driven by ledger changes: the pure decision (app/desktop/notifications)
 * says what is worth saying; this shows it, collapses bursts, and on click shows the window and
 * asks it to focus the clip.
 */
import type { Notification as ElectronNotification } from 'electron';
import type { ClipState } from '../../app/clip/clip';
import {
  coalesceNotifications,
  notificationFor,
  type ClipNotification,
} from '../../app/desktop/notifications';
import type { Translator } from '../../app/i18n/messages';
import type { Settings } from '../../app/settings';
import type { Logger } from '../util/logger';
import type { ClipLedger } from '../ledger/clip-ledger';

/** Changes that land within this window are shown together (a folder of clips at once). */
export const NOTIFICATION_BURST_MS = 400;

export interface NotifierOptions {
  readonly ledger: ClipLedger;
  readonly settings: () => Settings;
  readonly iconPath: string;
  readonly onClick: (clipId: string) => void;
  readonly logger: Logger;
  /** The language of the notifications, read when each is made. */
  readonly translator?: () => Translator;
}

/**
 * Linux notification servers read the body as markup: a file named `<a href=...>` would become a
 * link. Escaped, it shows as typed.
 */
export function escapeMarkup(text: string): string {
  return text.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;');
}

export function startNotifier(
  { Notification }: Pick<typeof Electron.CrossProcessExports, 'Notification'>,
  options: NotifierOptions,
): () => void {
  const known = new Map<string, ClipState>();
  for (const record of options.ledger.all()) known.set(record.id, record.state);
  // Electron drops a notification's click handler if the object is garbage collected.
  const shown = new Set<ElectronNotification>();
  let burst: ClipNotification[] = [];
  let timer: NodeJS.Timeout | undefined;

  const flush = () => {
    timer = undefined;
    const pending = coalesceNotifications(burst, options.translator?.());
    burst = [];
    if (!Notification.isSupported()) return;
    for (const item of pending) {
      const notification = new Notification({
        title: item.title,
        body: process.platform === 'linux' ? escapeMarkup(item.body) : item.body,
        icon: options.iconPath,
      });
      shown.add(notification);
      notification.on('click', () => {
        shown.delete(notification);
        options.onClick(item.clipId);
      });
      notification.on('close', () => shown.delete(notification));
      notification.show();
    }
  };

  const unsubscribe = options.ledger.subscribe((change) => {
    if (change.removedId !== undefined) known.delete(change.removedId);
    const record = change.upserted;
    if (!record) return;
    const previous = known.get(record.id);
    known.set(record.id, record.state);
    const settings = options.settings();
    const decision = notificationFor(
      previous,
      record,
      settings.desktop.notifications,
      settings.sendPolicy,
      options.translator?.(),
    );
    if (!decision) return;
    burst.push(decision);
    timer ??= setTimeout(flush, NOTIFICATION_BURST_MS);
  });
  return () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
    for (const notification of shown) notification.close();
    shown.clear();
  };
}
