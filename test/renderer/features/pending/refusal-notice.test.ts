import { describe, expect, it } from 'vitest';
import type { ClipView } from '../../../../app/clip/views';
import {
  countDropRefusals,
  summarizeRefused,
} from '../../../../renderer/features/pending/refusal-notice';
import type { ClipsData } from '../../../../renderer/stores/clips-reducers';

function data(clips: Array<Pick<ClipView, 'id' | 'state' | 'updatedAt'>>): ClipsData {
  return {
    byId: Object.fromEntries(clips.map((clip) => [clip.id, clip as ClipView])),
    order: clips.map((clip) => clip.id),
  } as unknown as ClipsData;
}

describe('the refusal notice counts', () => {
  const clips = data([
    { id: 'a', state: 'rejected', updatedAt: '2026-01-01T00:00:02.000Z' },
    { id: 'b', state: 'missing', updatedAt: '2026-01-01T00:00:03.000Z' },
    { id: 'c', state: 'reserved', updatedAt: '2026-01-01T00:00:04.000Z' },
    { id: 'd', state: 'rejected', updatedAt: '2026-01-01T00:00:01.000Z' },
  ]);

  it('refused and missing clips changed after the mark, and which History filter opens them', () => {
    expect(summarizeRefused(clips, '')).toEqual({
      count: 3,
      state: 'any',
      newest: '2026-01-01T00:00:03.000Z',
    });
    expect(summarizeRefused(clips, '2026-01-01T00:00:02.000Z')).toMatchObject({
      count: 1,
      state: 'missing',
    });
    expect(summarizeRefused(clips, '2026-01-01T00:00:03.000Z').count).toBe(0);
  });

  it('files a drop did not add, in drops after the last one seen', () => {
    const drops = [
      {
        id: 2,
        outcomes: [
          { fileName: 'a', outcome: 'rejected' as const },
          { fileName: 'b', outcome: 'accepted' as const },
          { fileName: 'c', outcome: 'duplicate' as const },
        ],
      },
      { id: 1, outcomes: [{ fileName: 'd', outcome: 'rejected' as const }] },
    ];
    expect(countDropRefusals(drops, 0)).toBe(3);
    expect(countDropRefusals(drops, 1)).toBe(2);
    expect(countDropRefusals(drops, 2)).toBe(0);
  });
});
