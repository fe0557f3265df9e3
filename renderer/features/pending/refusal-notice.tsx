/**
 * "2 files were not added: see why" (issue 15, item 1). Files refused by the watched folders,
 * or gone missing, land in History; files refused from a drop or "Add clips..." are answered in
 * the drop list. Either way the Pending screen says so, once, until the user dismisses it or
 * opens them.
 */
import { useMemo, useRef, useState } from 'react';
import type { ClipState } from '../../../app/clip/clip';
import { t } from '../../../app/i18n/translate';
import { isListComplete, type ClipsData } from '../../stores/clips-reducers';
import { useClips, useUi, useUiActions } from '../../stores/stores-context';
import type { DropFeedback } from '../../stores/ui-store';

/** States of a clip that was not added, or is no longer there to upload. */
export const REFUSED_STATES: ReadonlySet<ClipState> = new Set<ClipState>([
  'rejected',
  'missing',
  'incomplete',
]);

/** Where the notice remembers what it already told, across starts. */
const SEEN_KEY = 'gameclips.refusalsSeenAt';

function readSeenAt(): string {
  try {
    return globalThis.localStorage?.getItem(SEEN_KEY) ?? '';
  } catch {
    return '';
  }
}

function writeSeenAt(value: string): void {
  try {
    globalThis.localStorage?.setItem(SEEN_KEY, value);
  } catch {
    // No storage (tests, a locked profile): the notice is then remembered for this run only.
  }
}

/** What the notice counts: refused records newer than the mark, as a stable summary. */
export interface RefusedSummary {
  readonly count: number;
  /** The one state they share, to filter History by; 'any' when they differ. */
  readonly state: ClipState | 'any';
  /** The newest `updatedAt` counted, to become the mark. */
  readonly newest: string;
}

/** Pure: the refused records changed after `seenAt`. */
export function summarizeRefused(state: ClipsData, seenAt: string): RefusedSummary {
  let count = 0;
  let only: ClipState | 'any' | undefined;
  let newest = seenAt;
  for (const id of state.order) {
    const clip = state.byId[id];
    if (clip === undefined || !REFUSED_STATES.has(clip.state) || clip.updatedAt <= seenAt) continue;
    count += 1;
    only = only === undefined || only === clip.state ? clip.state : 'any';
    if (clip.updatedAt > newest) newest = clip.updatedAt;
  }
  return { count, state: only ?? 'any', newest };
}

/** Pure: files a drop or "Add clips..." did not add, in drops newer than `seenDropId`. */
export function countDropRefusals(drops: readonly DropFeedback[], seenDropId: number): number {
  let count = 0;
  for (const drop of drops) {
    if (drop.id <= seenDropId) continue;
    for (const outcome of drop.outcomes)
      if (outcome.outcome === 'rejected' || outcome.outcome === 'duplicate') count += 1;
  }
  return count;
}

export function RefusalNotice() {
  const [seenAt, setSeenAt] = useState(readSeenAt);
  const [seenDropId, setSeenDropId] = useState(0);
  // A primitive snapshot, so progress ticks on other clips do not re-render the notice.
  // Walked again only when the clips change, not on every store update (progress, drafts).
  const last = useRef<{ byId: unknown; seenAt: string; key: string } | undefined>(undefined);
  const key = useClips((state) => {
    const cached = last.current;
    if (cached !== undefined && cached.byId === state.byId && cached.seenAt === seenAt)
      return cached.key;
    const summary = summarizeRefused(state, seenAt);
    const fresh = `${summary.count}|${summary.state}|${summary.newest}`;
    last.current = { byId: state.byId, seenAt, key: fresh };
    return fresh;
  });
  const summary = useMemo(() => {
    const [count = '0', state = 'any', newest = ''] = key.split('|');
    return { count: Number(count), state: state as ClipState | 'any', newest };
  }, [key]);
  const drops = useUi((state) => state.drops);
  const ui = useUiActions();
  // Counted over every clip: not from a new window's first rows.
  const complete = useClips((state) => isListComplete(state.list));
  const fromDrops = countDropRefusals(drops, seenDropId);
  const total = summary.count + fromDrops;
  if (total === 0 || !complete) return null;

  const markSeen = () => {
    if (summary.newest > seenAt) {
      writeSeenAt(summary.newest);
      setSeenAt(summary.newest);
    }
    setSeenDropId(Math.max(seenDropId, ...drops.map((drop) => drop.id)));
  };
  const open = () => {
    markSeen();
    if (summary.count > 0) {
      ui.queryChanged('history', { state: summary.state });
      ui.screenChosen('history');
      return;
    }
    const list = document.querySelector<HTMLElement>('[data-testid="drop-results"]');
    list?.scrollIntoView({ block: 'nearest' });
    list?.focus();
  };
  return (
    <div className="notice notice--warning" role="status" data-testid="refusal-notice">
      <p className="notice__text">
        {total === 1 ? t('refusals.one') : t('refusals.many', { count: total })}
      </p>
      <button
        type="button"
        className="button button--small"
        data-testid="refusal-open"
        onClick={open}
      >
        {t('refusals.why')}
      </button>
      <button
        type="button"
        className="button button--quiet button--small"
        data-testid="refusal-dismiss"
        onClick={markSeen}
      >
        {t('refusals.dismiss')}
      </button>
    </div>
  );
}
