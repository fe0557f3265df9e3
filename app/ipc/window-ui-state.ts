/**
 * How the window was being used when it closed to the tray: the screen, the clip open in the
 * editor, each list's search and filters, and where each list was scrolled. The window reports
 * it as it changes (`window:save-state`); main keeps the last one in memory only and hands it to
 * the window it builds again (`window:restore-state`), so closing to the tray (which destroys
 * the renderer, quality-bars.md P7) costs the user nothing.
 *
 * It crosses a trust boundary like every other payload: strict, bounded, re-validated in main.
 */
import { z } from 'zod';
import { CLIP_STATES } from '../clip/clip';
import { CLIP_SORTS } from '../clip/clip-query';
import { USER_VISIBILITIES } from '../gameclips/enums';

const DaySchema = z.union([z.literal(''), z.string().regex(/^\d{4}-\d{2}-\d{2}$/u)]);

/** One list's search, filters and sort (app/clip/clip-query.ts ClipQuery). */
export const ClipQuerySchema = z.strictObject({
  text: z.string().max(500),
  state: z.enum([...CLIP_STATES, 'any']),
  game: z.string().max(200),
  visibility: z.enum([...USER_VISIBILITIES, 'any']),
  from: DaySchema,
  to: DaySchema,
  sort: z.enum(CLIP_SORTS),
});

/**
 * Where a list was scrolled: the first clip in view and how far past its top, in CSS pixels. A
 * clip rather than a pixel offset, so the place survives rows measured differently next time.
 */
export const ListScrollSchema = z.strictObject({
  clipId: z.uuid(),
  offsetPx: z.int().min(0).max(100_000),
});

export const WindowUiStateSchema = z.strictObject({
  screen: z.enum(['pending', 'history', 'settings']),
  openClipId: z.uuid().optional(),
  queries: z.strictObject({ pending: ClipQuerySchema, history: ClipQuerySchema }),
  /** Whether each list's Filters panel is open. */
  filtersOpen: z.strictObject({ pending: z.boolean(), history: z.boolean() }).optional(),
  scroll: z.strictObject({
    pending: ListScrollSchema.optional(),
    history: ListScrollSchema.optional(),
  }),
});

export type WindowUiState = z.infer<typeof WindowUiStateSchema>;
export type ListScroll = z.infer<typeof ListScrollSchema>;
