/**
 * User Timing marks for the window's start (the footprint bench reads them, and so does a
 * person in DevTools' Performance panel): measured from the page's time origin, i.e. from the
 * moment the window's renderer started loading, as VS Code marks its renderer start-up.
 */

/** Asked main for the clip list, got it, and drew the first rows of a list. */
export type StartMark = 'clips-asked' | 'clips-received' | 'clips-listed';

const marked = new Set<StartMark>();

/** Marks `name` the first time it happens in this page; later calls do nothing. */
export function markStart(name: StartMark): void {
  if (marked.has(name) || typeof performance?.mark !== 'function') return;
  marked.add(name);
  performance.mark(`gameclips:${name}`);
}
