/**
 * Which clip changes deserve a desktop notification, given the user's settings. Pure: main feeds
 * it the state a clip had and the record it has now; it answers what to say, or nothing.
 *
 * A notification fires on the *transition* into a state, never on a rewrite of the same state, so
 * a restart (which re-reads every record) or a draft edit never repeats one.
 */
import type { ClipRecord, ClipState } from '../clip/clip';
import { baseName, escapeDisplayName } from '../clip/display-name';
import { english, type Translator } from '../i18n/messages';
import type { SendPolicy, Settings } from '../settings';

export type NotificationKind = 'reserved' | 'blocked' | 'published' | 'failed';
export type NotificationPreferences = Settings['desktop']['notifications'];

export interface ClipNotification {
  readonly kind: NotificationKind;
  readonly clipId: string;
  readonly title: string;
  readonly body: string;
}

/** The state a notification kind announces. */
const KIND_OF_STATE: Partial<Record<ClipState, NotificationKind>> = {
  reserved: 'reserved',
  blocked: 'blocked',
  published: 'published',
  failed: 'failed',
};

/**
 * Decides the notification for one change. `previous` is the state the clip had before (undefined
 * for a new clip). A clip reserved under the `immediate` policy goes straight on to upload, so
 * there is nothing to review and nothing to say.
 */
export function notificationFor(
  previous: ClipState | undefined,
  next: Pick<ClipRecord, 'id' | 'state' | 'file' | 'error'>,
  preferences: NotificationPreferences,
  sendPolicy: SendPolicy,
  tr: Translator = english,
): ClipNotification | undefined {
  if (previous === next.state) return undefined;
  const kind = KIND_OF_STATE[next.state];
  if (kind === undefined || !preferences[kind]) return undefined;
  // A paused or retried upload may pass through `reserved` again; only a fresh reservation counts.
  if (kind === 'reserved' && (sendPolicy.kind === 'immediate' || !isFreshReservation(previous)))
    return undefined;
  // A hostile name (bidi overrides, control characters) must not disguise itself here either.
  const name = escapeDisplayName(baseName(next.file.path));
  const reason = (fallback: 'notify.blocked.fallback' | 'notify.failed.fallback') =>
    next.error ? tr.error(next.error) : tr.t(fallback);
  switch (kind) {
    case 'reserved':
      return {
        kind,
        clipId: next.id,
        title: tr.t('notify.reserved.title'),
        body: tr.t('notify.reserved.body', { name }),
      };
    case 'blocked':
      return {
        kind,
        clipId: next.id,
        title: tr.t('notify.blocked.title'),
        body: tr.t('notify.blocked.body', { name, reason: reason('notify.blocked.fallback') }),
      };
    case 'published':
      return {
        kind,
        clipId: next.id,
        title: tr.t('notify.published.title'),
        body: tr.t('notify.published.body', { name }),
      };
    case 'failed':
      return {
        kind,
        clipId: next.id,
        title: tr.t('notify.failed.title'),
        body: tr.t('notify.failed.body', { name, reason: reason('notify.failed.fallback') }),
      };
  }
}

function isFreshReservation(previous: ClipState | undefined): boolean {
  return previous === undefined || previous === 'reserving' || previous === 'waiting-retry';
}

/** At most this many notifications of one kind are shown one by one; more become one summary. */
export const MAX_SINGLE_NOTIFICATIONS = 3;

/**
 * Collapses a burst (a thousand clips dropped at once) into a few notifications: per kind, up to
 * MAX_SINGLE_NOTIFICATIONS as they are, beyond that one summary that opens the first clip.
 */
export function coalesceNotifications(
  burst: readonly ClipNotification[],
  tr: Translator = english,
): readonly ClipNotification[] {
  const byKind = new Map<NotificationKind, ClipNotification[]>();
  for (const notification of burst) {
    const list = byKind.get(notification.kind) ?? [];
    list.push(notification);
    byKind.set(notification.kind, list);
  }
  const out: ClipNotification[] = [];
  for (const [kind, list] of byKind) {
    const first = list[0];
    if (first === undefined) continue;
    if (list.length <= MAX_SINGLE_NOTIFICATIONS) out.push(...list);
    else out.push({ kind, clipId: first.clipId, ...summary(kind, list.length, tr) });
  }
  return out;
}

function summary(
  kind: NotificationKind,
  count: number,
  tr: Translator,
): { title: string; body: string } {
  return {
    title: tr.plural(`notify.many.${kind}.title`, count),
    body: tr.t(`notify.many.${kind}.body`),
  };
}
