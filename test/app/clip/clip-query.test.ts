import { describe, expect, it } from 'vitest';
import {
  EMPTY_QUERY,
  NO_GAME,
  gamesAmong,
  isFiltering,
  panelFilterCount,
  queryClips,
  type ClipQuery,
} from '../../../app/clip/clip-query';
import type { ClipView } from '../../../app/clip/views';

function view(id: string, overrides: Partial<ClipView>): ClipView {
  return {
    id,
    fileName: `${id}.mp4`,
    sizeBytes: 1_000_000,
    durationSeconds: 10,
    recordedAt: '2026-11-20T12:00:00.000Z',
    state: 'reserved',
    caption: '',
    visibility: 'Owner',
    updatedAt: '2026-11-20T12:00:00.000Z',
    commands: [],
    ...overrides,
  };
}

const clips = [
  view('a', {
    caption: 'Pokémon catch',
    game: 'Pokémon Legends',
    sizeBytes: 3,
    durationSeconds: 30,
  }),
  view('b', { fileName: 'Ace round.mp4', game: 'Valorant', visibility: 'Public', sizeBytes: 9 }),
  view('c', { state: 'blocked', recordedAt: '2026-10-01T12:00:00.000Z', sizeBytes: 5 }),
  view('d', { state: 'uploading', game: 'Valorant', durationSeconds: 90, sizeBytes: 1 }),
];
const byId = Object.fromEntries(clips.map((clip) => [clip.id, clip]));
const ids = clips.map((clip) => clip.id);
const run = (query: Partial<ClipQuery>) => queryClips(ids, byId, { ...EMPTY_QUERY, ...query });

describe('queryClips', () => {
  it('returns the list itself when nothing filters, so a memoized list keeps its identity', () => {
    expect(run({})).toBe(ids);
    expect(isFiltering(EMPTY_QUERY)).toBe(false);
  });

  it('searches file name, caption and game, every word, in any case and without accents', () => {
    expect(run({ text: 'pokemon' })).toEqual(['a']);
    expect(run({ text: 'ACE   round' })).toEqual(['b']);
    expect(run({ text: 'valorant ace' })).toEqual(['b']);
    expect(run({ text: 'nothing like this' })).toEqual([]);
  });

  it('filters by state, game (or none), visibility and recording day', () => {
    expect(run({ state: 'blocked' })).toEqual(['c']);
    expect(run({ game: 'Valorant' })).toEqual(['b', 'd']);
    expect(run({ game: NO_GAME })).toEqual(['c']);
    expect(run({ visibility: 'Public' })).toEqual(['b']);
    expect(run({ from: '2026-11-01' })).toEqual(['a', 'b', 'd']);
    expect(run({ to: '2026-10-31' })).toEqual(['c']);
  });

  it('sorts by size and length, keeping the list order between equals', () => {
    expect(run({ sort: 'largest' })).toEqual(['b', 'c', 'a', 'd']);
    expect(run({ sort: 'smallest' })).toEqual(['d', 'a', 'c', 'b']);
    expect(run({ sort: 'longest' })).toEqual(['d', 'a', 'b', 'c']);
    expect(run({ sort: 'oldest' })[0]).toBe('c');
  });

  it('lists the games present, each once, by name', () => {
    expect(gamesAmong(ids, byId)).toEqual(['Pokémon Legends', 'Valorant']);
  });
});

describe('panelFilterCount', () => {
  it('counts the filters behind the Filters button, not the search or the sort', () => {
    expect(panelFilterCount(EMPTY_QUERY)).toBe(0);
    expect(panelFilterCount({ ...EMPTY_QUERY, text: 'halo', sort: 'longest' })).toBe(0);
    expect(
      panelFilterCount({
        ...EMPTY_QUERY,
        state: 'reserved',
        game: 'Halo Infinite',
        visibility: 'Public',
        from: '2025-01-01',
        to: '2025-02-01',
      }),
    ).toBe(5);
  });
});
