/**
 * The field tools behind the Help menu and the crash paths, over Electron's dialog and shell:
 * open the logs folder, export diagnostics (with a "captions too?" choice), shortcuts, about, a
 * crashed window reloaded once and a crash loop stopped with a dialog, the unclean-exit notice,
 * and the fatal start-up dialog. Electron arrives as a parameter, as in desktop.ts.
 */
import type { BrowserWindow, MessageBoxOptions } from 'electron';
import os from 'node:os';
import path from 'node:path';
import type { Translator } from '../../app/i18n/messages';
import type { Logger } from '../util/logger';
import { APP_VERSION } from '../util/version';
import { writeDiagnosticsZip } from '../diagnostics/bundle';
import type { HelpActions } from './app-menu';
import { contextMenuTemplate, type ContextMenuRequest } from './app-menu';
import { guardRenderer, type RendererGone } from './crash-guard';

export type FieldRuntime = Pick<
  typeof Electron.CrossProcessExports,
  'dialog' | 'shell' | 'Notification' | 'Menu' | 'app'
>;

export interface FieldOptions {
  readonly logsDir: string;
  readonly userData: string;
  readonly logger: Logger;
  readonly words: () => Translator;
  readonly window: () => BrowserWindow | undefined;
  /** The token, to scrub from the bundle if it ever slipped into a file. */
  readonly secrets?: () => Promise<readonly string[]>;
  readonly restartToUpdate?: () => (() => void) | undefined;
}

export interface Field {
  readonly help: () => HelpActions;
  /** Crash guard and right-click menu for a new window; returns a function that stops both. */
  watchWindow(window: BrowserWindow): () => void;
  /** Says once that the last run did not end cleanly. */
  announceUncleanExit(): Promise<void>;
}

export function createField(runtime: FieldRuntime, options: FieldOptions): Field {
  const { dialog, shell, Notification, Menu } = runtime;
  const { logger } = options;
  const openLogs = () =>
    void shell.openPath(options.logsDir).then((message) => {
      if (message !== '') logger.warn('could not open the logs folder', { message });
    });
  const messageBox = (box: MessageBoxOptions) => {
    const window = options.window();
    return window && !window.isDestroyed()
      ? dialog.showMessageBox(window, box)
      : dialog.showMessageBox(box);
  };

  const downloadsFolder = () => {
    try {
      return runtime.app.getPath('downloads');
    } catch {
      return os.homedir();
    }
  };
  const exportDiagnostics = async () => {
    const tr = options.words();
    const choice = await messageBox({
      type: 'info',
      message: tr.t('dialog.diagnostics.message'),
      detail: tr.t('dialog.diagnostics.detail'),
      checkboxLabel: tr.t('dialog.diagnostics.captions'),
      checkboxChecked: false,
      buttons: [tr.t('dialog.diagnostics.export'), tr.t('dialog.cancel')],
      defaultId: 0,
      cancelId: 1,
    });
    if (choice.response !== 0) return;
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/gu, '-');
    const target = await dialog.showSaveDialog({
      defaultPath: path.join(downloadsFolder(), `gameclips-diagnostics-${stamp}.zip`),
      filters: [{ name: 'Zip', extensions: ['zip'] }],
    });
    if (target.canceled || !target.filePath) return;
    try {
      await writeDiagnosticsZip(target.filePath, {
        dataDir: options.userData,
        logsDir: options.logsDir,
        appVersion: APP_VERSION,
        versions: {
          electron: process.versions.electron,
          chrome: process.versions.chrome,
          node: process.versions.node,
        },
        includeCaptions: choice.checkboxChecked,
        secrets: (await options.secrets?.()) ?? [],
      });
      logger.info('diagnostics exported', { captions: choice.checkboxChecked });
      shell.showItemInFolder(target.filePath);
    } catch (error) {
      logger.error('diagnostics not exported', { error: String(error) });
      await messageBox({
        type: 'error',
        message: tr.t('dialog.diagnostics.failed', { reason: String(error) }),
        buttons: [tr.t('dialog.ok')],
      });
    }
  };

  const help = (): HelpActions => ({
    openLogs,
    exportDiagnostics: () =>
      void exportDiagnostics().catch((error: unknown) =>
        logger.error('diagnostics not exported', { error: String(error) }),
      ),
    showShortcuts: () => {
      const tr = options.words();
      void messageBox({
        type: 'info',
        message: tr.t('dialog.shortcuts.message'),
        detail: tr.t('dialog.shortcuts.detail', {
          mod: process.platform === 'darwin' ? 'Cmd' : 'Ctrl',
        }),
        buttons: [tr.t('dialog.ok')],
      });
    },
    showAbout: () => {
      const tr = options.words();
      void messageBox({
        type: 'info',
        message: tr.t('dialog.about.message', { version: APP_VERSION }),
        detail: tr.t('dialog.about.detail', {
          electron: process.versions.electron ?? '-',
          chrome: process.versions.chrome ?? '-',
          node: process.versions.node,
          os: `${os.type()} ${os.release()} ${process.arch}`,
        }),
        buttons: [tr.t('dialog.ok')],
      });
    },
    restartToUpdate: options.restartToUpdate?.(),
  });

  const notify = (title: string, body: string) => {
    if (!Notification.isSupported()) return;
    new Notification({ title, body }).show();
  };

  return {
    help,
    watchWindow(window) {
      const contents = window.webContents;
      const stopGuard = guardRenderer(contents, {
        logger,
        reloaded: (details: RendererGone) => {
          const tr = options.words();
          notify(
            tr.t('notify.reloaded.title'),
            tr.t('notify.reloaded.body', { reason: details.reason }),
          );
        },
        gaveUp: (details: RendererGone) => {
          const tr = options.words();
          void messageBox({
            type: 'error',
            message: tr.t('dialog.crashLoop.message'),
            detail: tr.t('dialog.crashLoop.detail', { reason: details.reason }),
            buttons: [tr.t('dialog.openLogs'), tr.t('dialog.ok')],
            defaultId: 0,
          }).then((answer) => {
            if (answer.response === 0) openLogs();
          });
        },
      });
      const onContextMenu = (_event: unknown, params: ContextMenuRequest) => {
        const template = contextMenuTemplate(
          params,
          {
            replaceMisspelling: (word) => contents.replaceMisspelling(word),
            addToDictionary: (word) => contents.session.addWordToSpellCheckerDictionary(word),
          },
          options.words(),
        );
        if (template.length > 0) Menu.buildFromTemplate(template).popup({ window });
      };
      contents.on('context-menu', onContextMenu as never);
      return () => {
        stopGuard();
        contents.removeListener('context-menu', onContextMenu as never);
      };
    },
    async announceUncleanExit() {
      const tr = options.words();
      const answer = await messageBox({
        type: 'warning',
        message: tr.t('dialog.unclean.message'),
        detail: tr.t('dialog.unclean.detail'),
        buttons: [tr.t('dialog.ok'), tr.t('dialog.openLogs')],
        defaultId: 0,
      });
      if (answer.response === 1) openLogs();
    },
  };
}

/** A fatal start-up error: the reason and "Open logs", then the app exits. */
export async function showFatalStartupError(
  runtime: Pick<FieldRuntime, 'dialog' | 'shell'>,
  tr: Translator,
  reason: string,
  logsDir: string | undefined,
): Promise<void> {
  const buttons = logsDir ? [tr.t('dialog.openLogs'), tr.t('dialog.quit')] : [tr.t('dialog.quit')];
  const answer = await runtime.dialog.showMessageBox({
    type: 'error',
    message: tr.t('dialog.fatal.message'),
    detail: tr.t('dialog.fatal.detail', { reason }),
    buttons,
    defaultId: 0,
  });
  if (logsDir && answer.response === 0) await runtime.shell.openPath(logsDir);
}
