/**
 * The composition root of the Electron main process: builds the real adapters, registers IPC,
 * opens the window. Everything else depends on ports passed to it (architecture.md section 3).
 */
import { app, ipcMain, session, type BrowserWindow } from 'electron';
import path from 'node:path';
import { baseName } from '../app/clip/display-name';
import type { IntakeStatus } from '../app/ipc/contract';
import { fail, type IpcResult } from '../app/ipc/result';
import { startCompanion, type Companion } from './core/companion';
import { createStreamLogger } from './core/logger';
import { APP_VERSION } from './core/version';
import { pushClipChanges } from './ipc/clips.ipc';
import { ProgressBatcher } from './pipeline/upload-progress';
import { createUploadsPort } from './pipeline/uploads-port';
import { registerIpc } from './ipc/register-ipc';
import { createBroadcaster, trustedSender } from './ipc/typed-ipc';
import { loadSettings } from './settings/settings-store';
import { createMainWindow } from './window';

const logger = createStreamLogger({
  level: process.env.GAMECLIPS_LOG_LEVEL === 'debug' ? 'debug' : 'info',
});
const distDir = path.resolve(__dirname, '..');

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  // No page of ours needs a permission (camera, notifications from the page, ...): refuse them all.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  );

  const userData = app.getPath('userData');
  let videos: string | undefined;
  try {
    videos = app.getPath('videos');
  } catch {
    videos = undefined;
  }
  const settings = await loadSettings(userData, videos, logger);

  let window: BrowserWindow | undefined;
  let rendererUrl: string | undefined;
  let intakeStatus: IntakeStatus = { state: 'starting' };
  const broadcaster = createBroadcaster(() => window?.webContents);
  const isTrusted = trustedSender(
    () => window?.webContents,
    () => rendererUrl,
  );

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
            authorization: () => Promise.resolve(process.env.GAMECLIPS_AUTHORIZATION),
          },
    watchedFolders: settings.watchedFolders,
    mode: 'app',
    logger,
    initialDraft: () => ({
      caption: settings.defaults.captionTemplate,
      visibility: settings.defaults.visibility,
    }),
    savedByUser: () => settings.defaults.savedByUser,
    uploadSettings: () => ({
      sendPolicy: settings.sendPolicy,
      parallelBlocks: settings.uploads.parallelBlocks,
      bandwidthCapBytesPerSecond: settings.uploads.bandwidthCapBytesPerSecond,
    }),
    events: {
      uploadProgress: (clipId, sentBytes, totalBytes) =>
        uploadProgress.report(clipId, sentBytes, totalBytes),
      uploadCompleted: (record) => uploadProgress.forget(record.id),
      failed: (record) => uploadProgress.forget(record.id),
      // The window renders the frame from the local file and answers with clips:save-thumbnail.
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
    intakeStatus = {
      state: 'error',
      message: `The app could not start: ${error instanceof Error ? error.message : String(error)}`,
    };
    broadcaster.send('intake:status-changed', intakeStatus);
  });
  const ledger = () => companionReady.then((companion) => companion.ledger);

  const status = async () => {
    const companion = await companionReady;
    return {
      version: APP_VERSION,
      service: {
        kind: companion.service.kind,
        baseUrl: companion.service.baseUrl,
        hasAccount: true,
        tokenEncrypted: true,
      },
      watchedFolders: settings.watchedFolders.map((folder) => baseName(folder) || folder),
      intake: intakeStatus,
      uploadsPaused: companion.uploads.allPaused,
    };
  };
  registerIpc(ipcMain, isTrusted, logger, {
    ledger,
    status,
    // FOUNDATION: replaced by the intake (issue 4) and settings (issue 7) ports.
    intake: { registerFiles: notBuiltYet, forceDuplicate: notBuiltYet },
    uploads: createUploadsPort({
      uploads: () =>
        companionReady.then((companion) => ({
          service: companion.uploads,
          ledger: companion.ledger,
          thumbnails: companion.thumbnails,
        })),
      status,
    }),
    settings: {
      get: notBuiltYet,
      update: notBuiltYet,
      addFolder: notBuiltYet,
      removeFolder: notBuiltYet,
      setToken: notBuiltYet,
      clearToken: notBuiltYet,
    },
  });

  const opened = createMainWindow(distDir);
  window = opened.window;
  rendererUrl = opened.rendererUrl;
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
    stopPushing();
    uploadProgress.stop();
    void companion.stop().finally(() => app.exit(0));
  });
}

function notBuiltYet<T>(): Promise<IpcResult<T>> {
  return Promise.resolve(fail('app/internal', 'not built yet'));
}

main().catch((error: unknown) => {
  logger.error('fatal start-up error', {
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  app.exit(1);
});
