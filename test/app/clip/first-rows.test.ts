import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newClipRecord, rejectedClipRecord, type ClipRecord } from '../../../app/clip/clip';
import { CLIP_SORTS, EMPTY_QUERY, queryClips, type ClipQuery } from '../../../app/clip/clip-query';
import {
  FIRST_ROWS,
  MAX_FIRST_ROWS,
  firstRows,
  firstRowsRequestFor,
  tabOf,
  type ListTab,
} from '../../../app/clip/first-rows';
import { idsInListOrder } from '../../../app/clip/list-order';
import { toClipView } from '../../../app/clip/views';
import { errorView } from '../../../app/errors';

const WORDS = ['ace', 'clutch', 'boss', 'win'] as const;

function clipId(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

/** A pending clip or a refused one (History), some refused ones with no recording date. */
function record(n: number, day: number, caption: string, refused: boolean, dated: boolean) {
  const common = {
    id: clipId(n),
    origin: 'watch' as const,
    file: { path: `/v/clip-${n}.mp4`, size: 1000 + n, mtimeMs: 1, fingerprint: `f${n}` },
    draft: { caption, visibility: 'Owner' as const },
    now: '2026-11-30T00:00:00.000Z',
  };
  // Few distinct days, so many clips share a time and the order falls to their ids.
  const probe = {
    container: 'mp4' as const,
    durationSeconds: 1 + (n % 50),
    recordedAt: `2026-11-${String(1 + day).padStart(2, '0')}T12:00:00.000Z`,
  };
  return refused
    ? rejectedClipRecord({
        ...common,
        error: errorView('intake/not-a-video'),
        ...(dated ? { probe } : {}),
      })
    : newClipRecord({ ...common, probe });
}

/** What the window's list shows: the tab's clips in list order, through the query. */
function windowList(records: readonly ClipRecord[], tab: ListTab, query: ClipQuery): string[] {
  const views = records.filter((r) => tabOf(r.state) === tab).map(toClipView);
  const byId = Object.fromEntries(views.map((view) => [view.id, view]));
  return [...queryClips(idsInListOrder(views), byId, query)];
}

const recordsArb = fc
  .array(
    fc.record({
      day: fc.integer({ min: 0, max: 4 }),
      caption: fc.constantFrom(...WORDS, ''),
      refused: fc.boolean(),
      dated: fc.boolean(),
    }),
    { maxLength: 500, size: 'max' },
  )
  .map((specs) =>
    specs.map((spec, n) => record(n, spec.day, spec.caption, spec.refused, spec.dated)),
  );

const queryArb = fc.record({
  text: fc.constantFrom('', ...WORDS),
  sort: fc.constantFrom(...CLIP_SORTS),
});

describe('a new window’s first rows', () => {
  it('are exactly the rows the whole list starts with, for any list, search and sort', () => {
    fc.assert(
      fc.property(
        recordsArb,
        fc.constantFrom<ListTab>('pending', 'history'),
        queryArb,
        (records, tab, q) => {
          const query = { ...EMPTY_QUERY, ...q };
          const expected = windowList(records, tab, query);
          const answer = firstRows(records, { tab, query });
          expect(answer.clips.map((clip) => clip.id)).toEqual(expected.slice(0, FIRST_ROWS));
          expect(answer.counts).toEqual({
            pending: records.filter((r) => tabOf(r.state) === 'pending').length,
            history: records.filter((r) => tabOf(r.state) === 'history').length,
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('run through the clip the list was scrolled to, and a screenful past it', () => {
    fc.assert(
      fc.property(recordsArb, queryArb, fc.nat(), (records, q, pick) => {
        const query = { ...EMPTY_QUERY, ...q };
        const expected = windowList(records, 'pending', query);
        fc.pre(expected.length > 0);
        const index = pick % expected.length;
        const answer = firstRows(records, {
          tab: 'pending',
          query,
          throughClipId: expected[index] as string,
        });
        const wanted = Math.min(Math.max(FIRST_ROWS, index + 1 + FIRST_ROWS), expected.length);
        // Past the cap the rows would cost what the whole list does: the window waits for it.
        expect(answer.clips.map((clip) => clip.id)).toEqual(
          wanted > MAX_FIRST_ROWS ? [] : expected.slice(0, wanted),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('are none when the scrolled-to clip is too far down, gone or not in the list', () => {
    const many = Array.from({ length: 500 }, (_, n) => record(n, n % 5, 'ace', false, true));
    const order = windowList(many, 'pending', EMPTY_QUERY);
    const deep = { tab: 'pending' as const, query: EMPTY_QUERY };
    expect(firstRows(many, { ...deep, throughClipId: order[450] as string }).clips).toEqual([]);
    expect(
      firstRows(many, { ...deep, throughClipId: order[100] as string }).clips.map((c) => c.id),
    ).toEqual(order.slice(0, 101 + FIRST_ROWS));

    const records = Array.from({ length: 40 }, (_, n) =>
      record(n, n % 3, 'ace', n % 2 === 0, true),
    );
    const refused = records.find((r) => tabOf(r.state) === 'history') as ClipRecord;
    expect(
      firstRows(records, { tab: 'pending', query: EMPTY_QUERY, throughClipId: refused.id }).clips,
    ).toEqual([]);
    expect(
      firstRows(records, { tab: 'pending', query: EMPTY_QUERY, throughClipId: clipId(999) }).clips,
    ).toEqual([]);
  });

  it('are asked for the list the last window showed, or Pending for a first window', () => {
    expect(firstRowsRequestFor(undefined)).toEqual({ tab: 'pending', query: EMPTY_QUERY });
    const history = { ...EMPTY_QUERY, text: 'clutch', sort: 'oldest' as const };
    const state = {
      screen: 'history' as const,
      queries: { pending: EMPTY_QUERY, history },
      scroll: { history: { clipId: clipId(7), offsetPx: 12 } },
    };
    expect(firstRowsRequestFor(state)).toEqual({
      tab: 'history',
      query: history,
      throughClipId: clipId(7),
    });
    expect(firstRowsRequestFor({ ...state, screen: 'pending' })).toEqual({
      tab: 'pending',
      query: EMPTY_QUERY,
    });
    expect(firstRowsRequestFor({ ...state, screen: 'settings' })).toBeUndefined();
  });
});
