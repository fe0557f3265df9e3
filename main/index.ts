/**
 * The composition root of the Electron main process: builds the real adapters, registers IPC,
 * opens the window. Everything else depends on ports passed to it (architecture.md section 3).
 */
import { app, dialog, ipcMain, protocol, safeStorage, shell, type BrowserWindow } from 'electron';
import path from 'node:path';
import { baseName } from '../app/clip/display-name';
import { gameLabelFor } from '../app/clip/game-label';
import { initialDraft } from '../app/clip/draft';
import { CLIP_EXTENSIONS } from '../app/clip/file-types';
import type { IntakeStatus } from '../app/ipc/contract';
import { SafeStorageTokenStore } from './account/safe-storage-token-store';
import { tokenAccount } from './account/token-account';
import { startCompanion, type Companion } from './core/companion';
import { shutdown } from './core/shutdown';
import { createStreamLogger } from './util/logger';
import { DataFolderHeldError } from './instance/data-folder';
import { captureEarlyOpenFiles, installDesktop, type Desktop } from './desktop/install-desktop';
import { createIntakePort } from './intake/intake-port';
import { APP_VERSION } from './util/version';
import { createAddClips } from './ipc/add-clips';
import { pushClipChanges } from './ipc/clips.ipc';
import { createLinksPort } from './ipc/open-link';
import { ProgressBatcher } from './pipeline/upload-progress';
import { createUploadsPort } from './pipeline/uploads-port';
import { registerIpc } from './ipc/register-ipc';
import { createBroadcaster, trustedSender } from './ipc/typed-ipc';
import {
  createMediaHandler,
  MEDIA_SCHEME,
  MEDIA_SCHEME_PRIVILEGES,
  mediaSourceOf,
} from './protocol/media-protocol';
import { SettingsService } from './settings/settings-service';
import { loadSettings } from './settings/settings-store';
import { createMainWindow } from './window';

const logger = createStreamLogger({
  level: process.env.GAMECLIPS_LOG_LEVEL === 'debug' ? 'debug' : 'info',
});
const distDir = path.resolve(__dirname, '..');

// Custom schemes must be registered before the app is ready; the window's thumbnail picker
// streams clips from it (main/protocol/media-protocol.ts).
protocol.registerSchemesAsPrivileged([MEDIA_SCHEME_PRIVILEGES]);

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  const earlyOpenFiles = captureEarlyOpenFiles();
  await app.whenReady();

  const userData = app.getPath('userData');
  let videos: string | undefined;
  try {
    videos = app.getPath('videos');
  } catch {
    videos = undefined;
  }
  const settings = await loadSettings(userData, videos, logger);
  const tokens = new SafeStorageTokenStore(userData, safeStorage);
  // Built once the window exists; settings changes reach it from then on.
  let desktop: Desktop | undefined;

  let window: BrowserWindow | undefined;
  let rendererUrl: string | undefined;
  let intakeStatus: IntakeStatus = { state: 'starting' };
  const broadcaster = createBroadcaster(() => window?.webContents);
  const isTrusted = trustedSender(
    () => window?.webContents,
    () => rendererUrl,
  );

  const settingsService = new SettingsService({
    userDataDir: userData,
    initial: settings,
    tokens,
    logger,
    chooseFolder: async () => {
      const options = { properties: ['openDirectory' as const, 'createDirectory' as const] };
      const answer = window
        ? await dialog.showOpenDialog(window, options)
        : await dialog.showOpenDialog(options);
      return answer.canceled ? undefined : answer.filePaths[0];
    },
    onChanged: (view) => {
      broadcaster.send('settings:changed', view);
      desktop?.settingsChanged(settingsService.current());
    },
    onTokenChanged: () => {
      // Clips blocked as signed out are tried again with the new token at once.
      void companionReady.then((companion) => companion.accountChanged());
    },
    onFoldersChanged: (folders) => {
      // Intake watches exactly the folders the user now has; new ones are scanned at once.
      void companionReady
        .then((companion) => companion.intake.setRoots(folders))
        .catch((error: unknown) =>
          logger.error('settings: watched folders not applied', { error: String(error) }),
        );
    },
  });

  // Upload progress reaches the window in batches, about 10 a second (contract: upload:progressed).
  const uploadProgress = new ProgressBatcher(100, (items) =>
    broadcaster.send('upload:progressed', { items }),
  );
  const companionReady: Promise<Companion> = startCompanion({
    dataDir: userData,
    service:
      settings.service.kind === 'sandbox'
        ? { kind: 'sandbox' }
        : {
            kind: 'custom',
            baseUrl: settings.service.baseUrl,
            scid: settings.service.scid,
            account: tokenAccount(tokens),
            ...(settings.service.uploadHosts ? { uploadHosts: settings.service.uploadHosts } : {}),
          },
    watchedFolders: settings.watchedFolders,
    mode: 'app',
    logger,
    initialDraft: (filePath, probe) => {
      const current = settingsService.current();
      const game = gameLabelFor(filePath, {
        roots: current.watchedFolders,
        folderLabels: current.folderLabels,
      });
      return initialDraft(
        current.defaults,
        { path: filePath, probe, ...(game !== undefined ? { game } : {}) },
        new Date(),
      );
    },
    savedByUser: () => settingsService.current().defaults.savedByUser,
    // Read at each decision, so a change in settings applies to the next block and the next clip.
    uploadSettings: () => {
      const current = settingsService.current();
      return {
        sendPolicy: current.sendPolicy,
        parallelBlocks: current.uploads.parallelBlocks,
        bandwidthCapBytesPerSecond: current.uploads.bandwidthCapBytesPerSecond,
      };
    },
    events: {
      uploadProgress: (clipId, sentBytes, totalBytes, detail) =>
        uploadProgress.report(clipId, sentBytes, totalBytes, detail),
      uploadCompleted: (record) => uploadProgress.forget(record.id),
      failed: (record) => uploadProgress.forget(record.id),
      // The window renders the frame from the local file and answers with clips:save-thumbnail.
      // The draft carries the frame from the start (the settings' default until one is chosen).
      thumbnailsWanted: (clipId, offsetMs) =>
        broadcaster.send('clips:thumbnails-requested', { clipId, offsetMs }),
      intakeStatusChanged: (status) => {
        intakeStatus = status;
        broadcaster.send('intake:status-changed', status);
      },
      blocked: (record) => logger.warn('clip blocked', { id: record.id, code: record.error?.code }),
    },
  });
  companionReady.catch((error: unknown) => {
    logger.error('could not start the pipeline', { error: String(error) });
    // Another process (the CLI's watch, say) holds the data folder: the window says who.
    const held = error instanceof DataFolderHeldError;
    intakeStatus = {
      state: 'error',
      message: held
        ? error.message
        : `The app could not start: ${error instanceof Error ? error.message : String(error)}`,
    };
    broadcaster.send('intake:status-changed', intakeStatus);
  });
  const ledger = () => companionReady.then((companion) => companion.ledger);
  protocol.handle(
    MEDIA_SCHEME,
    createMediaHandler(async (clipId) => mediaSourceOf((await ledger()).get(clipId))),
  );

  const status = async () => {
    const companion = await companionReady;
    return {
      version: APP_VERSION,
      service: {
        kind: companion.service.kind,
        baseUrl: companion.service.baseUrl,
        hasAccount: companion.service.kind === 'sandbox' || (await tokens.hasToken()),
        tokenEncrypted: companion.service.kind === 'sandbox' || (await tokens.isEncrypted()),
      },
      watchedFolders: settingsService
        .current()
        .watchedFolders.map((folder) => baseName(folder) || folder),
      intake: intakeStatus,
      uploadsPaused: companion.uploads.allPaused,
    };
  };
  const intake = createIntakePort(() => companionReady.then((companion) => companion.intake));
  const uploads = createUploadsPort({
    uploads: () =>
      companionReady.then((companion) => ({
        service: companion.uploads,
        ledger: companion.ledger,
        thumbnails: companion.thumbnails,
        reserveAgain: (clipId: string) => companion.reservations.enqueue(clipId),
      })),
    status,
    chooseFile: async () => {
      const options = {
        properties: ['openFile' as const],
        filters: [{ name: 'Videos', extensions: CLIP_EXTENSIONS.map((ext) => ext.slice(1)) }],
      };
      const answer = window
        ? await dialog.showOpenDialog(window, options)
        : await dialog.showOpenDialog(options);
      return answer.canceled ? undefined : answer.filePaths[0];
    },
  });
  // Add clips (button and File menu): main's own dialog, then the same gate as a drop.
  const addClips = createAddClips({
    showOpenDialog: (options) =>
      window ? dialog.showOpenDialog(window, options) : dialog.showOpenDialog(options),
    intake,
    platform: process.platform,
    logger,
  });
  // The browser opens only a published clip's own link, asked for by id (issue 14, item 6).
  const links = createLinksPort({ ledger, openExternal: (url) => shell.openExternal(url), logger });
  registerIpc(ipcMain, isTrusted, logger, {
    ledger,
    status,
    intake,
    addClips,
    links,
    uploads,
    settings: settingsService,
  });
  const addClipsFromMenu = (kind: 'files' | 'folder') =>
    void addClips.choose(kind).then((result) => {
      if (result.ok && result.value.length > 0)
        broadcaster.send('clips:files-added', { outcomes: result.value });
    });

  desktop = installDesktop({
    ...{ distDir, userData, logger, ledger, broadcaster, earlyOpenFiles, intake, uploads },
    settings: () => settingsService.current(),
    rendererUrl: () => rendererUrl,
    addClips: addClipsFromMenu,
  });
  const opened = createMainWindow(distDir, {
    placement: await desktop.windowPlacement(),
    show: !desktop.startHidden,
  });
  window = opened.window;
  rendererUrl = opened.rendererUrl;
  desktop.attachWindow(window);
  window.on('closed', () => {
    window = undefined;
  });

  const companion = await companionReady;
  const stopPushing = pushClipChanges(companion.ledger, broadcaster);

  let quitting = false;
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (event) => {
    if (quitting) return;
    // Finish what is in flight and flush the ledger before the process goes away.
    event.preventDefault();
    quitting = true;
    void shutdown(
      [
        { name: 'window updates', stop: stopPushing },
        { name: 'upload progress', stop: () => uploadProgress.stop() },
        // Tray, notifier, window state and login item, bounded so a stuck one cannot hold the quit.
        { name: 'desktop', stop: () => desktop?.dispose(), boundMs: 5000 },
        ...companion.shutdownParts(),
      ],
      logger,
    ).finally(() => app.exit(0));
  });
}

main().catch((error: unknown) => {
  logger.error('fatal start-up error', {
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  app.exit(1);
});
