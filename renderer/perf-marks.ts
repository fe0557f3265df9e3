/**
 * User Timing marks for the window's start (the footprint bench reads them, and so does a
 * person in DevTools' Performance panel): measured from the page's time origin, i.e. from the
 * moment the window's renderer started loading, as VS Code marks its renderer start-up.
 */

/**
 * Asked main for the clips, got the new window's first rows, got the whole list, and painted the
 * first rows of a list.
 */
export type StartMark = 'clips-asked' | 'first-rows-received' | 'clips-received' | 'clips-listed';

const marked = new Set<StartMark>();

/** Marks `name` the first time it happens in this page; later calls do nothing. */
export function markStart(name: StartMark): void {
  if (marked.has(name) || typeof performance?.mark !== 'function') return;
  marked.add(name);
  performance.mark(`gameclips:${name}`);
}

/**
 * After the next frame is painted: a requestAnimationFrame callback runs just before the paint,
 * and a task queued from it runs just after. Outside a page, after the current task.
 */
export function afterNextPaint(): Promise<void> {
  return new Promise((resolve) => {
    const later = () => setTimeout(resolve, 0);
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(later);
    else later();
  });
}
