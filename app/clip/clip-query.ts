/**
 * Finding a clip in a long list: search words, filters and a sort order over the window's clip
 * views. Pure, so the list, the tests and the benchmark share one definition; one pass over the
 * ids, so a keystroke with 5,000 clips stays far inside a frame (quality-bars.md P8).
 */
import type { UserVisibility } from '../gameclips/enums';
import type { ClipState } from './clip';
import type { ClipView } from './views';

export const CLIP_SORTS = [
  'newest',
  'oldest',
  'largest',
  'smallest',
  'longest',
  'shortest',
  'name',
] as const;
export type ClipSort = (typeof CLIP_SORTS)[number];

/** What the user asked for on one list; empty fields filter nothing. */
export interface ClipQuery {
  /** Words that must all appear in the file name, caption or game (any case, any accents). */
  readonly text: string;
  readonly state: ClipState | 'any';
  /** A game label, '' for "any game"; `NO_GAME` for clips with none. */
  readonly game: string;
  readonly visibility: UserVisibility | 'any';
  /** Recording date bounds, `YYYY-MM-DD` in the user's time zone, inclusive; '' for open. */
  readonly from: string;
  readonly to: string;
  readonly sort: ClipSort;
}

/** The game filter's value for clips with no game. */
export const NO_GAME = '\u0000none';

export const EMPTY_QUERY: ClipQuery = {
  text: '',
  state: 'any',
  game: '',
  visibility: 'any',
  from: '',
  to: '',
  sort: 'newest',
};

/** Whether the query filters anything (the sort alone does not hide clips). */
export function isFiltering(query: ClipQuery): boolean {
  return (
    query.text.trim() !== '' ||
    query.state !== 'any' ||
    query.game !== '' ||
    query.visibility !== 'any' ||
    query.from !== '' ||
    query.to !== ''
  );
}

/**
 * How many of the filters behind the "Filters" button are set (state, game, visibility, each date):
 * the button shows the count so a closed panel never hides that clips are being filtered.
 */
export function panelFilterCount(query: ClipQuery): number {
  return [
    query.state !== 'any',
    query.game !== '',
    query.visibility !== 'any',
    query.from !== '',
    query.to !== '',
  ].filter(Boolean).length;
}

/** Lower case without accents, so "pokemon" finds "Pokémon" and "ÉLDEN" finds "elden". */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLocaleLowerCase();
}

/** The local calendar day of an ISO instant, as `YYYY-MM-DD`. */
function localDay(iso: string | undefined): string | undefined {
  if (iso === undefined) return undefined;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** When a clip was recorded, else when it last changed (a refused file has no probe). */
function whenOf(clip: ClipView): string {
  return clip.recordedAt ?? clip.updatedAt;
}

function compare(sort: ClipSort, a: ClipView, b: ClipView): number {
  switch (sort) {
    case 'newest':
      return whenOf(b).localeCompare(whenOf(a));
    case 'oldest':
      return whenOf(a).localeCompare(whenOf(b));
    case 'largest':
      return b.sizeBytes - a.sizeBytes;
    case 'smallest':
      return a.sizeBytes - b.sizeBytes;
    case 'longest':
      return (b.durationSeconds ?? -1) - (a.durationSeconds ?? -1);
    case 'shortest':
      return (a.durationSeconds ?? Infinity) - (b.durationSeconds ?? Infinity);
    case 'name':
      return a.fileName.localeCompare(b.fileName, undefined, { numeric: true });
  }
}

// A clip's searchable text, folded once per clip view: views are replaced, never changed, when
// main reports a change, so each keystroke folds only clips it has not seen (P8).
const haystacks = new WeakMap<ClipView, string>();

function haystackOf(clip: ClipView): string {
  let haystack = haystacks.get(clip);
  if (haystack === undefined) {
    haystack = foldForSearch(`${clip.fileName}\n${clip.caption}\n${clip.game ?? ''}`);
    haystacks.set(clip, haystack);
  }
  return haystack;
}

/**
 * The ids of `ids` that match `query`, in its sort order (ties keep the list's order). Returns
 * `ids` itself when nothing filters and the sort is the list's own (newest), so a memoized list
 * keeps its identity.
 */
export function queryClips(
  ids: readonly string[],
  byId: Readonly<Record<string, ClipView | undefined>>,
  query: ClipQuery,
): readonly string[] {
  if (!isFiltering(query) && query.sort === 'newest') return ids;
  const words = foldForSearch(query.text).split(/\s+/u).filter(Boolean);
  const matched: ClipView[] = [];
  for (const id of ids) {
    const clip = byId[id];
    if (clip === undefined) continue;
    if (query.state !== 'any' && clip.state !== query.state) continue;
    if (query.visibility !== 'any' && clip.visibility !== query.visibility) continue;
    if (query.game !== '') {
      const game = clip.game ?? '';
      if (query.game === NO_GAME ? game !== '' : game !== query.game) continue;
    }
    if (query.from !== '' || query.to !== '') {
      const day = localDay(whenOf(clip));
      if (day === undefined) continue;
      if (query.from !== '' && day < query.from) continue;
      if (query.to !== '' && day > query.to) continue;
    }
    if (words.length > 0) {
      const haystack = haystackOf(clip);
      if (!words.every((word) => haystack.includes(word))) continue;
    }
    matched.push(clip);
  }
  // The list already runs newest first; other orders sort what matched. Array.prototype.sort is
  // stable, so equal clips keep the list's order.
  if (query.sort !== 'newest') matched.sort((a, b) => compare(query.sort, a, b));
  return matched.map((clip) => clip.id);
}

/** The games among `ids`, for the game filter: by name, each once. */
export function gamesAmong(
  ids: readonly string[],
  byId: Readonly<Record<string, ClipView | undefined>>,
): readonly string[] {
  const games = new Set<string>();
  for (const id of ids) {
    const game = byId[id]?.game;
    if (game !== undefined && game !== '') games.add(game);
  }
  return [...games].sort((a, b) => a.localeCompare(b));
}
