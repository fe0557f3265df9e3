/**
 * A new window's first rows. Closing to the tray destroys the window (quality-bars.md P7), and
 * the one built again must show clips within a second even with 10,000 of them, while the whole
 * list (3 MB of views) is still being made and sent. So the window first asks for just the rows
 * it will show: the top of the list it reopens on, searched, filtered and sorted as it was, and
 * scrolled down to the clip it was scrolled to. They are exactly the rows the whole list starts
 * with, so nothing moves when it arrives.
 *
 * Main works out which list from the window state it keeps (`window:restore-state`), so the
 * window asks for both at once rather than one after the other.
 */
import { isPending, type ClipRecord } from './clip';
import type { WindowUiState } from '../ipc/window-ui-state';
import { EMPTY_QUERY, queryClips, isFiltering, type ClipQuery } from './clip-query';
import { idsInListOrder } from './list-order';
import { toClipView, type ClipView } from './views';

/** The window's two lists. */
export type ListTab = 'pending' | 'history';

export interface FirstRowsRequest {
  readonly tab: ListTab;
  readonly query: ClipQuery;
  /** The clip the list was scrolled to: the rows run through it and a screenful past it. */
  readonly throughClipId?: string;
}

export interface FirstRows {
  /**
   * The list's first rows, in its order. Empty when they would not show what the window will
   * (the scrolled-to clip is too far down, or gone): the window then waits for the whole list.
   */
  readonly clips: readonly ClipView[];
  /** How many clips each tab holds, for the counts shown before the whole list is in. */
  readonly counts: Readonly<Record<ListTab, number>>;
}

/** A tall window's rows (about 101 px each) and the list's overscan, with room to spare. */
export const FIRST_ROWS = 30;
/** Past this, the rows cost what the whole list costs to send: the window waits for it. */
export const MAX_FIRST_ROWS = 400;

/**
 * The list a window opens on, from what the last window reported (or Pending, for the first
 * window of a run): its screen's list, searched, filtered and scrolled as it was. Settings shows
 * no list, so it has no first rows.
 */
export function firstRowsRequestFor(
  state: WindowUiState | undefined,
): FirstRowsRequest | undefined {
  const tab = state?.screen ?? 'pending';
  if (tab === 'settings') return undefined;
  const through = state?.scroll[tab]?.clipId;
  return {
    tab,
    query: state?.queries[tab] ?? EMPTY_QUERY,
    ...(through !== undefined ? { throughClipId: through } : {}),
  };
}

/** Which list a clip is shown in; the window's tabs split the clips the same way. */
export function tabOf(state: ClipRecord['state']): ListTab {
  return isPending(state) ? 'pending' : 'history';
}

/** The first rows of `request.tab` among `records`, as the window's list will show them. */
export function firstRows(records: readonly ClipRecord[], request: FirstRowsRequest): FirstRows {
  const counts = { pending: 0, history: 0 };
  const inTab: ClipRecord[] = [];
  for (const record of records) {
    const tab = tabOf(record.state);
    counts[tab] += 1;
    if (tab === request.tab) inTab.push(record);
  }
  // Views only for what the query has to read: the list's own order needs none of the rest.
  const plain = !isFiltering(request.query) && request.query.sort === 'newest';
  const views = new Map<string, ClipView>();
  const viewOf = (record: ClipRecord): ClipView => {
    let view = views.get(record.id);
    if (view === undefined) views.set(record.id, (view = toClipView(record)));
    return view;
  };
  const ordered = idsInListOrder(
    inTab.map((record) =>
      plain ? { id: record.id, recordedAt: record.probe?.recordedAt } : viewOf(record),
    ),
  );
  const found = plain ? ordered : queryClips(ordered, Object.fromEntries(views), request.query);
  const through =
    request.throughClipId === undefined ? 0 : found.indexOf(request.throughClipId) + 1;
  const wanted = Math.min(Math.max(FIRST_ROWS, through + FIRST_ROWS), found.length);
  if (request.throughClipId !== undefined && (through === 0 || wanted > MAX_FIRST_ROWS))
    return { clips: [], counts };
  const byId = new Map(inTab.map((record) => [record.id, record]));
  const clips = found.slice(0, wanted).map((id) => viewOf(byId.get(id) as ClipRecord));
  return { clips, counts };
}
