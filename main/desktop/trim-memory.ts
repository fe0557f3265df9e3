/**
 * Gives memory back to the OS while the window is closed to the tray (quality-bars.md P7: the
 * game gets the memory, not us).
 *
 * Start-up and a window's life allocate in bursts (10,000 ledger records read, the clip list sent
 * to the window), and V8 grows its young generation to match; once idle it keeps those pages
 * committed and never gives them back on its own in the main process. So, a few seconds after
 * the window closes to the tray (or after a start straight into the tray), this runs V8's
 * "last resort" collection once: the same full collection V8 runs under memory pressure, which
 * also shrinks the young generation and releases freed pages. It takes some tens of
 * milliseconds, at a moment nobody waits on the app; while the window is open it never runs.
 *
 * This is documented in the README ("Memory while you play") and the footprint bench measures
 * the app as it does this, not a collection the bench forces.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Logger } from '../util/logger';

/** How long after the window closed the trim waits: the closing work has finished by then. */
export const TRIM_DELAY_MS = 3000;

export interface MemoryTrimmer {
  /** The window closed and the app stays in the tray (or started there): trim soon. */
  windowGone(): void;
  /** A window is being built again: do not trim under it. */
  windowBack(): void;
  stop(): void;
}

type Collect = () => void;

/**
 * V8's collection under memory pressure. Node exposes `gc` only behind --expose-gc, which an
 * Electron main process cannot be given from code; the flag set now applies to contexts made
 * after it, so a fresh context hands over the function, once.
 */
export function memoryPressureCollector(): Collect {
  let gc: ((options: object) => void) | undefined;
  return () => {
    if (!gc) {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as (options: object) => void;
    }
    gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  };
}

export function createMemoryTrimmer(options: {
  readonly logger: Logger;
  readonly delayMs?: number;
  readonly collect?: Collect;
}): MemoryTrimmer {
  const collect = options.collect ?? memoryPressureCollector();
  let timer: NodeJS.Timeout | undefined;
  // Quitting destroys the window after the trimmer was stopped; its 'closed' must not arm a
  // trim that would log into a process (or a logs folder) already on its way out.
  let stopped = false;
  const cancel = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  return {
    windowGone() {
      cancel();
      if (stopped) return;
      timer = setTimeout(() => {
        timer = undefined;
        const before = process.memoryUsage().rss;
        try {
          collect();
        } catch (error) {
          options.logger.warn('memory: trim failed', { error: String(error) });
          return;
        }
        const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
        options.logger.info('memory: trimmed with the window closed', {
          rssBeforeMiB: mib(before),
          rssAfterMiB: mib(process.memoryUsage().rss),
        });
      }, options.delayMs ?? TRIM_DELAY_MS);
      timer.unref();
    },
    windowBack: cancel,
    stop() {
      stopped = true;
      cancel();
    },
  };
}
