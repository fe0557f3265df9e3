/**
 * Read-side of the clips store. Components select narrowly (one clip, one caption) so a progress
 * tick on one clip re-renders that card only.
 */
import { isInHistory, isPending } from '../../app/clip/clip';
import type { ClipState } from '../../app/clip/clip';
import type { ClipView } from '../../app/clip/views';
import type { ErrorView } from '../../app/errors';
import type { ClipsData, DraftSave } from './clips-reducers';

/** One clip of the mirror. */
export function selectClip(state: ClipsData, id: string): ClipView | undefined {
  return state.byId[id];
}

/** The caption to show: the local draft if there is one, else main's. */
export function selectCaption(state: ClipsData, id: string): string {
  return state.drafts[id] ?? state.byId[id]?.caption ?? '';
}

/** Whether a caption edit has not been confirmed by main yet. */
export function selectHasDraft(state: ClipsData, id: string): boolean {
  return state.drafts[id] !== undefined;
}

/** The save status of one clip's draft. */
export function selectSave(state: ClipsData, id: string): DraftSave | undefined {
  return state.saves[id];
}

/** Drafts not yet confirmed, e.g. to warn before the window goes away. */
export function selectUnsavedCount(state: ClipsData): number {
  return Object.keys(state.drafts).length;
}

/** Which part of the window a clip belongs in. */
export type ClipSection = 'pending' | 'rejected' | 'closed';

/** Pending clips are the user's to edit and send; rejected ones were refused before any POST. */
export function sectionOf(state: ClipState): ClipSection {
  if (isPending(state)) return 'pending';
  return state === 'rejected' ? 'rejected' : 'closed';
}

/** Ids per section, in list order. */
export interface ClipSections {
  readonly pending: readonly string[];
  readonly rejected: readonly string[];
  readonly closed: readonly string[];
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, index) => id === b[index]);
}

/**
 * A memoized selector of the sections. It returns the same arrays while membership is unchanged
 * (progress ticks, caption saves), which `useStore` needs for a stable snapshot and which keeps
 * the lists from re-rendering. Build one per component or store.
 */
export function createSectionsSelector(): (state: ClipsData) => ClipSections {
  let lastOrder: ClipsData['order'] | undefined;
  let lastById: ClipsData['byId'] | undefined;
  let last: ClipSections = { pending: [], rejected: [], closed: [] };
  return (state) => {
    if (state.order === lastOrder && state.byId === lastById) return last;
    lastOrder = state.order;
    lastById = state.byId;
    const next: Record<ClipSection, string[]> = { pending: [], rejected: [], closed: [] };
    for (const id of state.order) {
      const clip = state.byId[id];
      if (clip !== undefined) next[sectionOf(clip.state)].push(id);
    }
    const sections: ClipSections = {
      pending: sameIds(next.pending, last.pending) ? last.pending : next.pending,
      rejected: sameIds(next.rejected, last.rejected) ? last.rejected : next.rejected,
      closed: sameIds(next.closed, last.closed) ? last.closed : next.closed,
    };
    if (
      sections.pending !== last.pending ||
      sections.rejected !== last.rejected ||
      sections.closed !== last.closed
    )
      last = sections;
    return last;
  };
}

/** Whether main has no clips at all for the window. */
export function selectIsEmpty(state: ClipsData): boolean {
  return state.order.length === 0;
}

/** The visibility to show: a choice not yet confirmed, else main's. */
export function selectVisibility(state: ClipsData, id: string): ClipView['visibility'] | undefined {
  return state.choices[id]?.visibility ?? state.byId[id]?.visibility;
}

/** The thumbnail frame to show: a choice not yet confirmed, else main's. */
export function selectThumbnailOffset(state: ClipsData, id: string): number | undefined {
  return state.choices[id]?.thumbnailOffsetMs ?? state.byId[id]?.thumbnailOffsetMs;
}

/** The game label to show: a choice not yet confirmed, else main's ('' for none). */
export function selectGame(state: ClipsData, id: string): string {
  return state.choices[id]?.game ?? state.byId[id]?.game ?? '';
}

/** The last refusal of a command for one clip. */
export function selectCommandError(state: ClipsData, id: string): ErrorView | undefined {
  return state.commandErrors[id];
}

/** Which tab a clip is listed under: pending work, or history (published, failed, ...). */
export function isHistoryClip(clip: ClipView): boolean {
  return isInHistory(clip.state);
}

/** Ids of pending and of history clips, memoized like the sections. */
export function createTabsSelector(): (state: ClipsData) => {
  readonly pending: readonly string[];
  readonly history: readonly string[];
} {
  const sections = createSectionsSelector();
  let last: { pending: readonly string[]; history: readonly string[] } = {
    pending: [],
    history: [],
  };
  let lastSections: ClipSections | undefined;
  return (state) => {
    const current = sections(state);
    if (current === lastSections) return last;
    lastSections = current;
    const history = [...current.rejected, ...current.closed];
    const historyIds =
      history.length === 0
        ? []
        : state.order.filter((id) => {
            const clip = state.byId[id];
            return clip !== undefined && !isPending(clip.state);
          });
    last = {
      pending: current.pending,
      history: sameIds(historyIds, last.history) ? last.history : historyIds,
    };
    return last;
  };
}

/**
 * The window's one tabs selector: the header's counts and the pending and history screens read
 * the same partition, so it is walked once per change of the clips, not once per component.
 * Memoized on the state's own arrays, so it stays correct for any store it is given.
 */
export const selectTabs = createTabsSelector();

/**
 * How many clips a tab holds: main's count while only a new window's first rows are in (so the
 * header never shows the few rows as the whole list), then the mirror's own.
 */
export function selectTabCount(state: ClipsData, tab: 'pending' | 'history'): number {
  return state.list.phase === 'first-rows' ? state.list.counts[tab] : selectTabs(state)[tab].length;
}
