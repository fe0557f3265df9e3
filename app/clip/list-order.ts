/**
 * The order of the window's lists: newest recording first, clips without a date last, ties by id
 * so the order never flickers. Shared by the window's mirror and by main when it answers a new
 * window's first rows (first-rows.ts), so those rows are exactly the ones the whole list starts
 * with.
 */
import type { ClipView } from './views';

/** What the order reads of a clip. */
export type ListOrderKey = Pick<ClipView, 'id' | 'recordedAt'>;

/** A time string's instant in ms; a missing or unreadable one sorts last. */
export function timeOf(iso: string | undefined): number {
  const time = iso === undefined ? Number.NaN : Date.parse(iso);
  return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
}

/** Newest recording first; clips without a date last; ties by id so the order never flickers. */
export function compareClips(a: ListOrderKey, b: ListOrderKey): number {
  const byDate = timeOf(b.recordedAt) - timeOf(a.recordedAt);
  if (byDate !== 0 && !Number.isNaN(byDate)) return byDate;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
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
function inCompareOrder(clips: readonly ListOrderKey[]): boolean {
  let previous: ListOrderKey | undefined;
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

/** The ids of `clips` in `compareClips` order, reading each date once (not once per comparison). */
export function idsInListOrder(clips: readonly ListOrderKey[]): string[] {
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
