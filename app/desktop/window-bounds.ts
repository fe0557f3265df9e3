/**
 * Where the window reopens: the remembered bounds, checked against the displays present now. A
 * monitor unplugged since last time must not leave the window off-screen, and a file edited by
 * hand must not produce a window larger than any screen.
 */
import { z } from 'zod';

export interface Rectangle {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export const SavedWindowStateSchema = z.object({
  x: z.int().min(-100_000).max(100_000),
  y: z.int().min(-100_000).max(100_000),
  width: z.int().min(1).max(100_000),
  height: z.int().min(1).max(100_000),
  isMaximized: z.boolean().default(false),
});
export type SavedWindowState = z.output<typeof SavedWindowStateSchema>;

export interface WindowPlacement {
  /** Absent: let the OS place the window (centred on the primary display). */
  readonly position?: { readonly x: number; readonly y: number };
  readonly width: number;
  readonly height: number;
  readonly isMaximized: boolean;
}

/** How much of the title bar must be on a display for the user to grab it. */
const MIN_VISIBLE_WIDTH = 120;
const MIN_VISIBLE_HEIGHT = 40;

/**
 * Decides the placement from what was saved (anything: it comes from a file) and the work areas
 * of the displays now attached. Sizes are clamped to the largest work area and the minimum size;
 * the position is kept only if the top of the window is on some display.
 */
export function placeWindow(
  saved: unknown,
  workAreas: readonly Rectangle[],
  defaults: { readonly width: number; readonly height: number },
  minimum: { readonly width: number; readonly height: number },
): WindowPlacement {
  const parsed = SavedWindowStateSchema.safeParse(saved);
  const largest = workAreas.reduce(
    (best, area) => ({
      width: Math.max(best.width, area.width),
      height: Math.max(best.height, area.height),
    }),
    { width: 0, height: 0 },
  );
  const clamp = (value: number, min: number, max: number) =>
    Math.max(min, max > 0 ? Math.min(value, max) : value);
  if (!parsed.success) {
    return {
      width: clamp(defaults.width, minimum.width, largest.width),
      height: clamp(defaults.height, minimum.height, largest.height),
      isMaximized: false,
    };
  }
  const state = parsed.data;
  const width = clamp(state.width, minimum.width, largest.width);
  const height = clamp(state.height, minimum.height, largest.height);
  const titleBar = { x: state.x, y: state.y, width, height: MIN_VISIBLE_HEIGHT };
  const isReachable = workAreas.some((area) => {
    const overlapWidth = overlap(titleBar.x, titleBar.width, area.x, area.width);
    const overlapHeight = overlap(titleBar.y, titleBar.height, area.y, area.height);
    return (
      overlapWidth >= Math.min(MIN_VISIBLE_WIDTH, width) && overlapHeight >= MIN_VISIBLE_HEIGHT
    );
  });
  return {
    ...(isReachable ? { position: { x: state.x, y: state.y } } : {}),
    width,
    height,
    isMaximized: state.isMaximized,
  };
}

function overlap(start1: number, length1: number, start2: number, length2: number): number {
  return Math.max(0, Math.min(start1 + length1, start2 + length2) - Math.max(start1, start2));
}
