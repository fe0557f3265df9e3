/**
 * Waits the pipeline uses: every one ends early when its signal aborts, so stopping finishes
 * within seconds whatever `Retry-After` the service sent (issue 13 item 7), and none is longer
 * than a timer can hold (2^31 - 1 ms; beyond that setTimeout fires after 1 ms).
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const delay = Number.isFinite(ms) ? Math.min(Math.max(0, ms), MAX_TIMER_MS) : MAX_TIMER_MS;
    const timer = setTimeout(done, delay);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done);
  });
}
