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
import type { ClipView } from '../../app/clip/views';
import type { ErrorView } from '../../app/errors';
import { truncateCaption } from '../../app/gameclips/validate';
import type { ClipsChanged } from '../../app/ipc/contract';

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

/** Whether the clip list itself has arrived. */
export type ListStatus =
  | { readonly phase: 'loading' }
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

function timeOf(iso: string | undefined): number {
  const time = iso === undefined ? Number.NaN : Date.parse(iso);
  return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
}

/** Newest recording first; clips without a date last; ties by id so the order never flickers. */
export function compareClips(a: ClipView, b: ClipView): number {
  const byDate = timeOf(b.recordedAt) - timeOf(a.recordedAt);
  if (byDate !== 0 && !Number.isNaN(byDate)) return byDate;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Whether `incoming` is older than what the mirror holds. Command answers and event pushes can
 * cross; the record with the later `updatedAt` is main's later word.
 */
function isStale(incoming: ClipView, existing: ClipView | undefined): boolean {
  return existing !== undefined && timeOf(incoming.updatedAt) < timeOf(existing.updatedAt);
}

/** `YYYY-MM-DDTHH:mm:ss.sssZ`, as `toISOString` writes: such strings order as their times do. */
function isCanonicalTime(iso: string | undefined): iso is string {
  return iso !== undefined && iso.length === 24 && iso[10] === 'T' && iso[23] === 'Z';
}

/**
 * Whether `clips` already run in `compareClips` order, judged on the strings alone: main sends
 * its list newest first with times as `toISOString` writes them, so a 5,000-clip list is
 * confirmed in one pass without parsing a date.
 */
function inCompareOrder(clips: readonly ClipView[]): boolean {
  let previous: ClipView | undefined;
  for (const clip of clips) {
    if (!isCanonicalTime(clip.recordedAt)) return false;
    if (previous !== undefined) {
      const before = previous.recordedAt as string;
      if (before < clip.recordedAt) return false;
      if (before === clip.recordedAt && !(previous.id < clip.id)) return false;
    }
    previous = clip;
  }
  return true;
}

/** The ids in `compareClips` order, reading each date once (not once per comparison). */
function sortedIds(byId: Readonly<Record<string, ClipView>>): string[] {
  const clips = Object.values(byId);
  if (inCompareOrder(clips)) return clips.map((clip) => clip.id);
  const keyed = clips.map((clip) => ({ id: clip.id, time: timeOf(clip.recordedAt) }));
  const compare = (a: { id: string; time: number }, b: { id: string; time: number }) => {
    const byDate = b.time - a.time;
    if (byDate !== 0 && !Number.isNaN(byDate)) return byDate;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
  // Main sends its list newest first already: one pass confirms it and the sort is skipped.
  let ordered = true;
  for (let index = 1; index < keyed.length && ordered; index += 1)
    ordered =
      compare(keyed[index - 1] as (typeof keyed)[number], keyed[index] as (typeof keyed)[number]) <=
      0;
  if (!ordered) keyed.sort(compare);
  return keyed.map((entry) => entry.id);
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
    order: sortedIds(byId),
    drafts: without(state.drafts, gone),
    saves: without(state.saves, gone),
    list: { phase: 'ready' },
  };
}

/** `clips:list` failed; the mirror stays as it was. */
export function clipsLoadFailed(state: ClipsData, error: ErrorView): ClipsData {
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
  if (reorder) order = sortedIds(nextById);
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
    byId === state.byId || existing.recordedAt === view.recordedAt ? state.order : sortedIds(byId);
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
