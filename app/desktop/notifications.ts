/**
 * Which clip changes deserve a desktop notification, given the user's settings. Pure: main feeds
 * it the state a clip had and the record it has now; it answers what to say, or nothing.
 *
 * A notification fires on the *transition* into a state, never on a rewrite of the same state, so
 * a restart (which re-reads every record) or a draft edit never repeats one.
 */
import type { ClipRecord, ClipState } from '../clip/clip';
import { baseName, escapeDisplayName } from '../clip/display-name';
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
): ClipNotification | undefined {
  if (previous === next.state) return undefined;
  const kind = KIND_OF_STATE[next.state];
  if (kind === undefined || !preferences[kind]) return undefined;
  // A paused or retried upload may pass through `reserved` again; only a fresh reservation counts.
  if (kind === 'reserved' && (sendPolicy.kind === 'immediate' || !isFreshReservation(previous)))
    return undefined;
  // A hostile name (bidi overrides, control characters) must not disguise itself here either.
  const name = escapeDisplayName(baseName(next.file.path));
  switch (kind) {
    case 'reserved':
      return {
        kind,
        clipId: next.id,
        title: 'Clip ready for review',
        body: `${name} is reserved. Add a caption and send it when you are ready.`,
      };
    case 'blocked':
      return {
        kind,
        clipId: next.id,
        title: 'A clip needs you',
        body: `${name}: ${next.error?.message ?? 'The clip cannot go on without you.'}`,
      };
    case 'published':
      return { kind, clipId: next.id, title: 'Clip published', body: `${name} is live.` };
    case 'failed':
      return {
        kind,
        clipId: next.id,
        title: 'Upload failed',
        body: `${name}: ${next.error?.message ?? 'The upload did not finish.'}`,
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
    else out.push({ kind, clipId: first.clipId, ...summary(kind, list.length) });
  }
  return out;
}

function summary(kind: NotificationKind, count: number): { title: string; body: string } {
  switch (kind) {
    case 'reserved':
      return {
        title: `${count} clips ready for review`,
        body: 'Add captions and send them when you are ready.',
      };
    case 'blocked':
      return { title: `${count} clips need you`, body: 'Open the app to see why.' };
    case 'published':
      return { title: `${count} clips published`, body: 'They are live.' };
    case 'failed':
      return { title: `${count} uploads failed`, body: 'Open the app to retry them.' };
  }
}
