/**
 * The tray: an icon per state (idle, working, attention), the count of clips waiting for review in
 * the tooltip (and beside the icon on macOS), and a menu to open the window, pause or resume every
 * upload, open the recordings folder, and quit.
 */
import type { MenuItemConstructorOptions } from 'electron';
import path from 'node:path';
import { trayStatus, type TrayIconState, type TrayStatus } from '../../app/desktop/tray-state';
import type { ClipRecord } from '../../app/clip/clip';
import { english, type Translator } from '../../app/i18n/messages';

export interface TrayActions {
  readonly openWindow: () => void;
  readonly pauseAll: () => Promise<boolean | undefined>;
  readonly resumeAll: () => Promise<boolean | undefined>;
  /** Undefined when no folder is watched: the item is then disabled. */
  readonly recordingsFolder: () => string | undefined;
  readonly openFolder: (folder: string) => void;
  readonly quit: () => void;
  /** The language the tray speaks, read at each redraw (settings may change it). */
  readonly translator?: () => Translator;
  /** Set when a downloaded update waits: the menu offers "Restart to update". */
  readonly restartToUpdate?: () => (() => void) | undefined;
}

export interface AppTray {
  /** Recomputes icon, tooltip and menu from the records. */
  update(records: readonly Pick<ClipRecord, 'state'>[]): void;
  /** Redraws with the records it has (the language or an update changed). */
  refresh(): void;
  readonly status: () => TrayStatus;
  destroy(): void;
}

/** macOS takes black "Template" images it tints for light and dark menu bars; others colour. */
export function trayIconPath(
  iconsDir: string,
  state: TrayIconState,
  platform: NodeJS.Platform = process.platform,
): string {
  return path.join(iconsDir, `tray-${state}${platform === 'darwin' ? 'Template' : ''}.png`);
}

export type TrayRuntime = Pick<
  typeof Electron.CrossProcessExports,
  'Tray' | 'Menu' | 'nativeImage'
>;

export function createAppTray(
  { Tray, Menu, nativeImage }: TrayRuntime,
  iconsDir: string,
  actions: TrayActions,
): AppTray {
  let records: readonly Pick<ClipRecord, 'state'>[] = [];
  let uploadsPaused = false;
  const tr = () => actions.translator?.() ?? english;
  let status = trayStatus(records, uploadsPaused, tr());
  let shownIcon: TrayIconState | undefined;
  const tray = new Tray(nativeImage.createFromPath(trayIconPath(iconsDir, status.icon)));
  shownIcon = status.icon;
  // Windows and most Linux trays open the window on a click; the menu is on the other button.
  tray.on('click', () => actions.openWindow());

  const setPaused = (paused: boolean | undefined) => {
    if (paused === undefined) return;
    uploadsPaused = paused;
    render();
  };

  function menuTemplate(): MenuItemConstructorOptions[] {
    const folder = actions.recordingsFolder();
    const words = tr();
    const waiting =
      status.waitingForReview === 0
        ? words.t('tray.open')
        : words.plural('tray.review', status.waitingForReview);
    const restart = actions.restartToUpdate?.();
    return [
      { id: 'open', label: waiting, click: () => actions.openWindow() },
      { type: 'separator' },
      uploadsPaused
        ? {
            id: 'resume-all',
            label: words.t('tray.resumeAll'),
            click: () => void actions.resumeAll().then(setPaused),
          }
        : {
            id: 'pause-all',
            label: words.t('tray.pauseAll'),
            click: () => void actions.pauseAll().then(setPaused),
          },
      {
        id: 'open-folder',
        label: words.t('tray.openFolder'),
        enabled: folder !== undefined,
        click: () => {
          const current = actions.recordingsFolder();
          if (current !== undefined) actions.openFolder(current);
        },
      },
      { type: 'separator' },
      ...(restart
        ? ([
            { id: 'restart-to-update', label: words.t('menu.restartToUpdate'), click: restart },
          ] satisfies MenuItemConstructorOptions[])
        : []),
      { id: 'quit', label: words.t('tray.quit'), click: () => actions.quit() },
    ];
  }

  function render(): void {
    status = trayStatus(records, uploadsPaused, tr());
    if (status.icon !== shownIcon) {
      tray.setImage(nativeImage.createFromPath(trayIconPath(iconsDir, status.icon)));
      shownIcon = status.icon;
    }
    tray.setToolTip(status.tooltip);
    // macOS shows a title beside the menu-bar icon: the waiting count, or nothing.
    if (process.platform === 'darwin')
      tray.setTitle(status.waitingForReview > 0 ? String(status.waitingForReview) : '');
    // Linux trays read the menu once: set it again on every change.
    tray.setContextMenu(Menu.buildFromTemplate(menuTemplate()));
  }

  render();
  return {
    update(next) {
      records = next;
      render();
    },
    refresh: render,
    status: () => status,
    destroy: () => tray.destroy(),
  };
}
