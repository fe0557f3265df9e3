/**
 * What the tray shows, decided from the clip records alone: one of three icons and the number of
 * clips waiting for the user's review. Kept pure so the tray and its tests agree on one rule.
 */
import type { ClipRecord, ClipState } from '../clip/clip';
import { english, type Translator } from '../i18n/messages';

export type TrayIconState = 'idle' | 'working' | 'attention';

export interface TrayStatus {
  readonly icon: TrayIconState;
  /** Clips reserved and waiting for the user's caption, visibility and Send. */
  readonly waitingForReview: number;
  /** Clips that need the user (blocked or failed). */
  readonly needingAttention: number;
  /** Clips the app is busy with right now (reserving, retrying, uploading, processing). */
  readonly inFlight: number;
  readonly tooltip: string;
}

/** States where the app cannot go on without the user. */
const ATTENTION: ReadonlySet<ClipState> = new Set(['blocked', 'failed']);
/** States where the app is doing something on its own. */
const WORKING: ReadonlySet<ClipState> = new Set([
  'reserving',
  'waiting-retry',
  'uploading',
  'processing',
]);

/** Attention wins over work, work over idle: the icon shows the most urgent thing. */
export function trayStatus(
  records: Iterable<Pick<ClipRecord, 'state'>>,
  uploadsPaused = false,
  tr: Translator = english,
): TrayStatus {
  let waitingForReview = 0;
  let needingAttention = 0;
  let inFlight = 0;
  for (const record of records) {
    if (record.state === 'reserved') waitingForReview += 1;
    else if (ATTENTION.has(record.state)) needingAttention += 1;
    else if (WORKING.has(record.state)) inFlight += 1;
  }
  const icon: TrayIconState =
    needingAttention > 0 ? 'attention' : inFlight > 0 ? 'working' : 'idle';
  return {
    icon,
    waitingForReview,
    needingAttention,
    inFlight,
    tooltip: trayTooltip({ waitingForReview, needingAttention, inFlight, uploadsPaused }, tr),
  };
}

function trayTooltip(
  counts: {
    waitingForReview: number;
    needingAttention: number;
    inFlight: number;
    uploadsPaused: boolean;
  },
  tr: Translator,
): string {
  const parts: string[] = [];
  if (counts.needingAttention > 0)
    parts.push(tr.plural('tray.tip.attention', counts.needingAttention));
  if (counts.waitingForReview > 0)
    parts.push(tr.plural('tray.tip.review', counts.waitingForReview));
  if (counts.inFlight > 0) parts.push(tr.plural('tray.tip.inFlight', counts.inFlight));
  if (counts.uploadsPaused) parts.push(tr.t('tray.tip.paused'));
  return parts.length === 0
    ? tr.t('tray.tip.idle')
    : tr.t('tray.tip.summary', { parts: parts.join(tr.t('tray.tip.separator')) });
}
