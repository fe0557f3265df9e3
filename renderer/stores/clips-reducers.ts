/**
 * Pure state changes of the clips store: (state, what happened) -> new state.
 *
 * The state keeps three things apart (architecture.md section 4):
 * - the mirror of main's records (`byId` + `order`), replaced only by what main says;
 * - local drafts (`drafts`): caption text typed here and not yet confirmed saved by main;
 * - request status (`saves`, `list`).
 * A draft is only dropped when main confirms it saved exactly that text, so an update from main
 * that arrives while someone types never overwrites what they typed.
 */
import type { FirstRows } from '../../app/clip/first-rows';
import type { ClipView } from '../../app/clip/views';
import type { ErrorView } from '../../app/errors';
import { truncateCaption } from '../../app/gameclips/validate';
import type { ClipsChanged } from '../../app/ipc/contract';
import { idsInListOrder, timeOf } from '../../app/clip/list-order';

export { compareClips } from '../../app/clip/list-order';

/** Where a caption edit stands with main. */
export interface DraftSave {
  /**
   * editing: typed, waiting for the debounce; saving: a request is out; saved: main confirmed
   * the text shown; failed: main (or the bridge) refused the last request.
   */
  readonly phase: 'editing' | 'saving' | 'saved' | 'failed';
  /** The caption carried by the request in flight, so its answer can be matched to the draft. */
  readonly sending?: string;
  readonly error?: ErrorView;
}

/**
 * Whether the clip list itself has arrived. `first-rows`: only the rows a new window shows are
 * in (app/clip/first-rows.ts), with main's count of each tab; the whole list is on its way.
 */
export type ListStatus =
  | { readonly phase: 'loading' }
  | { readonly phase: 'first-rows'; readonly counts: FirstRows['counts'] }
  | { readonly phase: 'ready' }
  | { readonly phase: 'failed'; readonly error: ErrorView };

/** The data half of the clips store. */
export interface ClipsData {
  /** Mirror of main's records, by local clip id. */
  readonly byId: Readonly<Record<string, ClipView>>;
  /** Mirror ids, newest recording first. */
  readonly order: readonly string[];
  /** Unconfirmed caption edits by clip id. */
  readonly drafts: Readonly<Record<string, string>>;
  /** Save request status by clip id. */
  readonly saves: Readonly<Record<string, DraftSave>>;
  /** Choices (visibility, thumbnail frame) made here and not yet confirmed by main. */
  readonly choices: Readonly<Record<string, FieldChoice>>;
  /** The last refusal of a command (send, pause, ...) per clip, shown on its row. */
  readonly commandErrors: Readonly<Record<string, ErrorView>>;
  readonly list: ListStatus;
}

/** The non-caption fields of a draft the window chooses, saved at once rather than debounced. */
export interface FieldChoice {
  readonly visibility?: ClipView['visibility'];
  readonly thumbnailOffsetMs?: number;
  /** The game label; '' clears it. */
  readonly game?: string;
}

/** The state before main has answered anything. */
export function initialClipsData(): ClipsData {
  return {
    byId: {},
    order: [],
    drafts: {},
    saves: {},
    choices: {},
    commandErrors: {},
    list: { phase: 'loading' },
  };
}

/**
 * Whether `incoming` is older than what the mirror holds. Command answers and event pushes can
 * cross; the record with the later `updatedAt` is main's later word.
 */
function isStale(incoming: ClipView, existing: ClipView | undefined): boolean {
  return existing !== undefined && timeOf(incoming.updatedAt) < timeOf(existing.updatedAt);
}

function without<T>(record: Readonly<Record<string, T>>, ids: Iterable<string>): Record<string, T> {
  const copy = { ...record };
  for (const id of ids) delete copy[id];
  return copy;
}

/** Main answered `clips:list`: the mirror is replaced; drafts of clips still there survive. */
export function clipsReceived(state: ClipsData, list: readonly ClipView[]): ClipsData {
  const byId: Record<string, ClipView> = {};
  for (const clip of list) {
    const existing = state.byId[clip.id];
    byId[clip.id] = existing !== undefined && isStale(clip, existing) ? existing : clip;
  }
  const gone = Object.keys(state.drafts)
    .concat(Object.keys(state.saves))
    .filter((id) => byId[id] === undefined);
  return {
    ...state,
    byId,
    order: idsInListOrder(Object.values(byId)),
    drafts: without(state.drafts, gone),
    saves: without(state.saves, gone),
    list: { phase: 'ready' },
  };
}

/**
 * Main answered a new window's first rows. They are shown only while nothing else has come in:
 * once the whole list (or a failure) is here, the rows are old news.
 */
export function firstRowsReceived(state: ClipsData, rows: FirstRows): ClipsData {
  if (state.list.phase !== 'loading' || rows.clips.length === 0) return state;
  const byId: Record<string, ClipView> = { ...state.byId };
  for (const clip of rows.clips) {
    const existing = byId[clip.id];
    if (existing === undefined || !isStale(clip, existing)) byId[clip.id] = clip;
  }
  return {
    ...state,
    byId,
    order: idsInListOrder(Object.values(byId)),
    list: { phase: 'first-rows', counts: rows.counts },
  };
}

/** Whether the mirror holds every clip (the whole list is in), so counts and batches are true. */
export function isListComplete(list: ListStatus): boolean {
  return list.phase === 'ready';
}

/**
 * `clips:list` failed; the mirror stays as it was, unless it held only a new window's first rows:
 * those go, so the window says the list could not be loaded instead of passing a few rows off as
 * all of it.
 */
export function clipsLoadFailed(state: ClipsData, error: ErrorView): ClipsData {
  if (state.list.phase === 'first-rows')
    return { ...state, byId: {}, order: [], list: { phase: 'failed', error } };
  return { ...state, list: { phase: 'failed', error } };
}

/** A reload of the list began. */
export function clipsLoadStarted(state: ClipsData): ClipsData {
  return state.list.phase === 'loading' ? state : { ...state, list: { phase: 'loading' } };
}

/**
 * Main pushed `clips:changed`: upserts replace mirror entries, removed ids go with their drafts.
 * Drafts of upserted clips are untouched, whatever caption the upsert carries. The order is only
 * rebuilt when membership or a recording date changed, so progress ticks keep the same array.
 */
export function clipsChanged(state: ClipsData, delta: ClipsChanged): ClipsData {
  let byId: Record<string, ClipView> | undefined;
  let reorder = false;
  for (const clip of delta.upserts) {
    const existing = (byId ?? state.byId)[clip.id];
    if (isStale(clip, existing)) continue;
    byId ??= { ...state.byId };
    byId[clip.id] = clip;
    if (existing === undefined || existing.recordedAt !== clip.recordedAt) reorder = true;
  }
  const removed = delta.removedIds.filter((id) => (byId ?? state.byId)[id] !== undefined);
  if (byId === undefined && removed.length === 0) return state;
  const nextById = without(byId ?? state.byId, removed);
  let order = state.order;
  if (reorder) order = idsInListOrder(Object.values(nextById));
  else if (removed.length > 0) {
    const gone = new Set(removed);
    order = state.order.filter((id) => !gone.has(id));
  }
  return {
    ...state,
    byId: nextById,
    order,
    drafts: removed.length > 0 ? without(state.drafts, removed) : state.drafts,
    saves: removed.length > 0 ? without(state.saves, removed) : state.saves,
  };
}

/**
 * The user typed in a caption field. The text is cut to the GameClips limit here, at the one
 * place every edit passes, never splitting a surrogate pair.
 */
export function captionEdited(state: ClipsData, id: string, text: string): ClipsData {
  if (state.byId[id] === undefined) return state;
  const caption = truncateCaption(text);
  const previous = state.saves[id];
  if (state.drafts[id] === caption && previous?.phase === 'editing') return state;
  const save: DraftSave =
    previous?.sending === undefined
      ? { phase: 'editing' }
      : { phase: 'editing', sending: previous.sending };
  return {
    ...state,
    drafts: { ...state.drafts, [id]: caption },
    saves: { ...state.saves, [id]: save },
  };
}

/** A save request carrying `caption` went out to main. */
export function draftSaveStarted(state: ClipsData, id: string, caption: string): ClipsData {
  if (state.byId[id] === undefined) return state;
  return { ...state, saves: { ...state.saves, [id]: { phase: 'saving', sending: caption } } };
}

/**
 * Main saved the draft and answered with the clip as it now is. The draft is dropped only if it
 * still holds the text that was sent; if the user typed on meanwhile, it stays for the next save.
 */
export function draftSaved(state: ClipsData, id: string, view: ClipView): ClipsData {
  const existing = state.byId[id];
  if (existing === undefined) return state;
  const sent = state.saves[id]?.sending ?? view.caption;
  const draft = state.drafts[id];
  const byId = isStale(view, existing) ? state.byId : { ...state.byId, [id]: view };
  const order =
    byId === state.byId || existing.recordedAt === view.recordedAt
      ? state.order
      : idsInListOrder(Object.values(byId));
  if (draft === undefined || draft === sent) {
    return {
      ...state,
      byId,
      order,
      drafts: without(state.drafts, [id]),
      saves: { ...state.saves, [id]: { phase: 'saved' } },
    };
  }
  return { ...state, byId, order, saves: { ...state.saves, [id]: { phase: 'editing' } } };
}

/** Main (or the bridge) refused the save. The typed text stays, with the reason beside it. */
export function draftSaveFailed(state: ClipsData, id: string, error: ErrorView): ClipsData {
  if (state.byId[id] === undefined) return state;
  return { ...state, saves: { ...state.saves, [id]: { phase: 'failed', error } } };
}

/** The user chose a visibility or a frame; it shows at once and is sent to main. */
export function fieldChosen(state: ClipsData, id: string, choice: FieldChoice): ClipsData {
  if (state.byId[id] === undefined) return state;
  return { ...state, choices: { ...state.choices, [id]: { ...state.choices[id], ...choice } } };
}

/**
 * Main saved a choice: the mirror takes main's view and the choice is dropped where main now
 * holds that value (a later choice made meanwhile stays).
 */
export function fieldSaved(state: ClipsData, id: string, view: ClipView): ClipsData {
  const next = clipsChanged(state, { upserts: [view], removedIds: [] });
  const choice = next.choices[id];
  if (choice === undefined) return next;
  const left: { -readonly [K in keyof FieldChoice]: FieldChoice[K] } = { ...choice };
  if (left.visibility === view.visibility) delete left.visibility;
  if (left.thumbnailOffsetMs === view.thumbnailOffsetMs) delete left.thumbnailOffsetMs;
  if (left.game !== undefined && left.game === (view.game ?? '')) delete left.game;
  const choices = { ...next.choices };
  if (Object.keys(left).length === 0) delete choices[id];
  else choices[id] = left;
  return { ...next, choices };
}

/** Main refused a choice: the mirror's value shows again, with the reason on the row. */
export function fieldSaveFailed(state: ClipsData, id: string, error: ErrorView): ClipsData {
  if (state.byId[id] === undefined) return state;
  return {
    ...state,
    choices: without(state.choices, [id]),
    commandErrors: { ...state.commandErrors, [id]: error },
  };
}

/** A command answered with clips as they now are; their old refusals are cleared. */
export function commandSucceeded(state: ClipsData, views: readonly ClipView[]): ClipsData {
  const next = clipsChanged(state, { upserts: views, removedIds: [] });
  const cleared = views.filter((view) => next.commandErrors[view.id] !== undefined);
  return cleared.length === 0
    ? next
    : {
        ...next,
        commandErrors: without(
          next.commandErrors,
          cleared.map((view) => view.id),
        ),
      };
}

/** A command was refused for these clips. */
export function commandFailed(
  state: ClipsData,
  ids: readonly string[],
  error: ErrorView,
): ClipsData {
  const commandErrors = { ...state.commandErrors };
  for (const id of ids) if (state.byId[id] !== undefined) commandErrors[id] = error;
  return { ...state, commandErrors };
}
