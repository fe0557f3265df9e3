/**
 * Well-formed payloads shared by the contract test and the fuzz test, so both start from the
 * same examples of what the window sends.
 */
import { EMPTY_QUERY } from '../../app/clip/clip-query';

export const SAMPLE_CLIP_ID = '00000000-0000-4000-8000-0000000000aa';

/** What the window reports of itself (app/ipc/window-ui-state.ts). */
export const SAMPLE_WINDOW_STATE = {
  screen: 'history',
  openClipId: SAMPLE_CLIP_ID,
  queries: {
    pending: EMPTY_QUERY,
    history: {
      ...{ text: 'clutch', state: 'published', game: '', visibility: 'any' },
      ...{ from: '2026-01-01', to: '', sort: 'oldest' },
    },
  },
  scroll: { history: { clipId: SAMPLE_CLIP_ID, offsetPx: 12 } },
};
