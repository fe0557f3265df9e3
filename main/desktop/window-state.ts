/**
 * Remembers the window's size and position in `window-state.json` under userData, and places the
 * window from it at start, validated against the displays attached now (app/desktop/window-bounds).
 */
import type { BrowserWindow, Screen } from 'electron';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { placeWindow, type WindowPlacement } from '../../app/desktop/window-bounds';
import type { Logger } from '../util/logger';
import { writeFileAtomic } from '../util/atomic-file';

export const WINDOW_STATE_FILE = 'window-state.json';
/** Moves and resizes arrive dozens a second while dragging; one write after the last is enough. */
const SAVE_DELAY_MS = 500;

export async function loadWindowPlacement(
  userData: string,
  screen: Pick<Screen, 'getAllDisplays'>,
  defaults: { width: number; height: number },
  minimum: { width: number; height: number },
): Promise<WindowPlacement> {
  let saved: unknown;
  try {
    saved = JSON.parse(await readFile(path.join(userData, WINDOW_STATE_FILE), 'utf8'));
  } catch {
    saved = undefined;
  }
  const workAreas = screen.getAllDisplays().map((display) => display.workArea);
  return placeWindow(saved, workAreas, defaults, minimum);
}

/** Saves the window's normal bounds (not the maximized ones) whenever they settle, and on close. */
export function rememberWindowState(
  window: BrowserWindow,
  userData: string,
  logger: Logger,
): () => Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  const save = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (window.isDestroyed()) return writing;
    const bounds = window.getNormalBounds();
    const state = { ...bounds, isMaximized: window.isMaximized() };
    writing = writing
      .then(async () => {
        await mkdir(userData, { recursive: true });
        await writeFileAtomic(path.join(userData, WINDOW_STATE_FILE), `${JSON.stringify(state)}\n`);
      })
      .catch((error: unknown) =>
        logger.warn('could not remember the window position', { error: String(error) }),
      );
    return writing;
  };
  const later = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void save(), SAVE_DELAY_MS);
    timer.unref?.();
  };
  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const)
    window.on(event as 'resize', later);
  window.on('close', () => void save());
  return save;
}
