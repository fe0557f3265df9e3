/**
 * What happens when a renderer or a helper process dies (OBS-style: the user is told, logs keep
 * the reason). A window whose renderer is gone is reloaded once and the user told; a second loss
 * within CRASH_LOOP_MS is a crash loop: no more reloads, the user gets a dialog instead.
 */
import type { App, WebContents } from 'electron';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../util/logger';

/** Two renderer losses closer than this are a loop. */
export const CRASH_LOOP_MS = 60_000;

export interface RendererGone {
  readonly reason: string;
  readonly exitCode?: number;
}

export interface CrashGuardOptions {
  readonly logger: Logger;
  /** The window came back after a crash: tell the user (a notification or a line). */
  readonly reloaded: (details: RendererGone) => void;
  /** It crashed again at once: stop reloading and say so (a dialog with "Open logs"). */
  readonly gaveUp: (details: RendererGone) => void;
  readonly now?: () => number;
}

/** Watches one window's webContents; returns a function that stops watching. */
export function guardRenderer(
  contents: Pick<WebContents, 'on' | 'removeListener' | 'reload' | 'isDestroyed'>,
  options: CrashGuardOptions,
): () => void {
  const now = options.now ?? Date.now;
  let lastLoss: number | undefined;
  let stopped = false;
  const onGone = (_event: unknown, details: RendererGone) => {
    // A clean exit is the window closing, not a crash.
    if (details.reason === 'clean-exit' || stopped) return;
    options.logger.error('window renderer gone', {
      reason: details.reason,
      exitCode: details.exitCode,
    });
    const at = now();
    const looping = lastLoss !== undefined && at - lastLoss < CRASH_LOOP_MS;
    lastLoss = at;
    if (looping) {
      stopped = true;
      options.logger.error('window keeps crashing; not reloading it again');
      options.gaveUp(details);
      return;
    }
    if (!contents.isDestroyed()) contents.reload();
    options.reloaded(details);
  };
  contents.on('render-process-gone', onGone as never);
  return () => contents.removeListener('render-process-gone', onGone as never);
}

/** GPU, utility and other helper processes: logged, Electron restarts what it needs. */
export function logChildProcesses(app: Pick<App, 'on'>, logger: Logger): void {
  app.on('child-process-gone', (_event, details) => {
    if (details.reason === 'clean-exit') return;
    logger.warn('child process gone', {
      type: details.type,
      reason: details.reason,
      exitCode: details.exitCode,
      ...(details.name ? { name: details.name } : {}),
    });
  });
}

/** Written when the app starts, removed when it quits cleanly (main/index.ts). */
export const RUNNING_MARKER = 'running.marker';

export interface RunMarker {
  /** The previous run ended without a clean quit (crash, kill, power loss). */
  readonly previousRunUnclean: boolean;
  /** Call at a clean quit. */
  clear(): Promise<void>;
}

/** Notes that the app runs, and whether the last run ended cleanly. */
export async function markRunning(userData: string, startedAt = new Date()): Promise<RunMarker> {
  const file = path.join(userData, RUNNING_MARKER);
  const previousRunUnclean = existsSync(file);
  await mkdir(userData, { recursive: true });
  await writeFile(file, `${process.pid} ${startedAt.toISOString()}\n`);
  return { previousRunUnclean, clear: () => rm(file, { force: true }) };
}
