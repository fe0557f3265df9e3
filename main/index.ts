/**
 * The composition root of the Electron main process: builds the real adapters, registers IPC,
 * opens the window. Everything else depends on ports passed to it (architecture.md section 3).
 */
import * as electron from 'electron';
import {
  app,
  clipboard,
  crashReporter,
  dialog,
  ipcMain,
  protocol,
  safeStorage,
  session,
  shell,
  type BrowserWindow,
} from 'electron';
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
import { DataFolderHeldError } from './instance/data-folder';
import { decideProxy, proxyFromChromium, type ProxyDecision } from '../app/gameclips/proxy';
import { english, translator } from '../app/i18n/messages';
import { resolveLocale } from '../app/i18n/translate';
import {
  createFileLogger,
  createStreamLogger,
  describeError,
  logUncaught,
  type Logger,
} from './util/logger';
import { logChildProcesses, markRunning } from './desktop/crash-guard';
import { createField, showFatalStartupError } from './desktop/field';
import { secretsOfAuthorization } from './diagnostics/bundle';
import { startUpdates, UPDATE_FEED_URL, type Updates } from './desktop/updates';
import { captureEarlyOpenFiles, installDesktop, type Desktop } from './desktop/install-desktop';
import { createIntakePort } from './intake/intake-port';
import { APP_VERSION } from './util/version';
import { createAddClips } from './ipc/add-clips';
import { pushClipChanges } from './ipc/clips.ipc';
import { createLinksPort } from './ipc/open-link';
import { ok } from '../app/ipc/result';
import { createRemovalPort } from './ipc/remove-from-service';
import { createStoragePort } from './ipc/service-storage';
import { tellStorageTrimmed } from './desktop/storage-notice';
import { serviceDataDir } from './util/paths';
import { createShareLinks, galleryLink, type PublishedService } from './ipc/share-link';
import { createNetworkShare } from './core/network-share';
import { ProgressBatcher } from './pipeline/upload-progress';
import { createUploadsPort } from './pipeline/uploads-port';
import { registerIpc } from './ipc/register-ipc';
import { createBroadcaster, trustedSender, type Broadcaster } from './ipc/typed-ipc';
import {
  createMediaHandler,
  MEDIA_SCHEME,
  MEDIA_SCHEME_PRIVILEGES,
  mediaSourceOf,
  mediaUrl,
} from './protocol/media-protocol';
import { createPublishedMedia, playbackProblem } from './protocol/published-media';
import { SettingsService } from './settings/settings-service';
import { loadSettings } from './settings/settings-store';
import { createMainWindow } from './window';
import { createMemoryTrimmer } from './desktop/trim-memory';
import { loadAutoUpdater } from './desktop/load-updater';

const logLevel = process.env.GAMECLIPS_LOG_LEVEL === 'debug' ? 'debug' : 'info';
/** The OS logs folder (Help > Open Logs Folder); undefined if the OS gives none. */
const logsDir = ((): string | undefined => {
  try {
    return app.getPath('logs');
  } catch {
    return undefined;
  }
})();
// A packaged app started from its icon has no terminal: the log file is what a user can send.
const logger: Logger = logsDir
  ? createFileLogger({ dir: logsDir, level: logLevel, stderr: !app.isPackaged })
  : createStreamLogger({ level: logLevel });
logUncaught(logger);
logChildProcesses(app, logger);
// Crash dumps stay on this machine (Help > Export Diagnostics does not send them anywhere).
crashReporter.start({ uploadToServer: false, submitURL: '', compress: true });
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
  const runMarker = await markRunning(userData);
  let videos: string | undefined;
  try {
    videos = app.getPath('videos');
  } catch {
    videos = undefined;
  }
  const settings = await loadSettings(userData, videos, logger);
  const tokens = new SafeStorageTokenStore(userData, safeStorage);
  // Tray, menus, notifications and dialogs speak the window's language setting.
  const systemLanguages = () => {
    const preferred = app.getPreferredSystemLanguages?.() ?? [];
    return preferred.length > 0 ? preferred : [app.getLocale()];
  };
  const words = () =>
    translator(resolveLocale(settingsService.current().language, systemLanguages()));
  // Built once the window exists; settings changes reach it from then on.
  let desktop: Desktop | undefined;

  let window: BrowserWindow | undefined;
  let rendererUrl: string | undefined;
  let intakeStatus: IntakeStatus = { state: 'starting' };
  const toWindow = createBroadcaster(() => window?.webContents);
  // A window rebuilt from the tray loads everything it shows by itself; only a focus request (a
  // notification clicked while it was closed) must wait until its page listens (ready-to-show).
  let windowListening = false;
  let pendingFocus: { readonly clipId: string } | undefined;
  const broadcaster: Broadcaster = {
    send(channel, payload) {
      if (channel === 'clips:focus-requested' && !windowListening)
        pendingFocus = payload as { readonly clipId: string };
      else toWindow.send(channel, payload);
    },
  };
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
      // "Share on my network" applies at once: listeners open or close without a restart.
      void networkShare.apply();
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

  // The system proxy for the service, as Chromium resolves it (PAC, WPAD, OS settings): block
  // PUTs follow it unless HTTPS_PROXY/NO_PROXY say otherwise (app/gameclips/proxy.ts).
  let systemProxy: ProxyDecision | undefined;
  const serviceUrl = settings.service.kind === 'custom' ? settings.service.baseUrl : undefined;
  if (serviceUrl)
    await session.defaultSession
      .resolveProxy(serviceUrl)
      .then((answer) => {
        systemProxy = proxyFromChromium(answer);
        logger.info('system proxy for the service', { answer });
      })
      .catch((error: unknown) =>
        logger.warn('system proxy not resolved', { error: String(error) }),
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
            account: tokenAccount(tokens),
            ...(settings.service.uploadHosts ? { uploadHosts: settings.service.uploadHosts } : {}),
          },
    watchedFolders: settings.watchedFolders,
    mode: 'app',
    proxy: (target) => decideProxy(target, process.env, systemProxy),
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
    storageCapBytes: () => settingsService.current().serviceStorage.capBytes ?? undefined,
    // Machine-local on Windows (not roaming); the CLI asks the same function (issue 16, item 5).
    serviceDataDir: serviceDataDir(userData),
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
      serviceStorageTrimmed: (notice) => {
        broadcaster.send('service:storage-trimmed', notice);
        tellStorageTrimmed(electron, words(), notice);
      },
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
  // Issue 16, item 3: the built-in service also answers share pages on the LAN when switched on.
  const networkShare = createNetworkShare({
    sandbox: () => companionReady.then((companion) => companion.sandbox),
    wanted: () => settingsService.current().shareOnNetwork,
    logger,
  });
  void networkShare.apply();

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
  // Issue 16: a link that works now (share page, or a download link fetched again), never a dead one.
  const publishedService = (): Promise<PublishedService> =>
    companionReady.then(({ service, client, account }) => ({
      kind: service.kind,
      baseUrl: service.baseUrl,
      client,
      account,
    }));
  const shareLinks = createShareLinks({
    ledger,
    service: publishedService,
    writeClipboard: (text) => clipboard.writeText(text),
    logger,
    networkOrigin: () => networkShare.origin(),
  });
  // The window plays a clip from its file, or a published one from the service (issue 16, item 1).
  const mediaHandler = createMediaHandler(
    async (clipId) => mediaSourceOf((await ledger()).get(clipId)),
    createPublishedMedia({
      ledger,
      downloadLink: (id, options) => shareLinks.download(id, options),
      authorization: () => companionReady.then(({ account }) => account.authorization()),
      tokenScope: () => companionReady.then(({ service }) => ({ serviceOrigin: service.baseUrl })),
      logger,
    }),
  );
  protocol.handle(MEDIA_SCHEME, mediaHandler);
  const shares = {
    playbackProblem: async (id: string) => ok(await playbackProblem(mediaHandler, mediaUrl(id))),
    copy: (id: string) => shareLinks.copy(id),
    sharePage: (id: string, action: 'create' | 'revoke') => shareLinks.sharePage(id, action),
    async openGallery() {
      const link = await galleryLink(await publishedService());
      if (!link.ok) return link;
      await shell.openExternal(link.value);
      return ok(true as const);
    },
  };
  const links = createLinksPort({
    ledger,
    openExternal: (url) => shell.openExternal(url),
    showItemInFolder: (file) => shell.showItemInFolder(file),
    logger,
    working: (id) => shareLinks.working(id),
  });
  const removal = createRemovalPort({
    ledger,
    client: () => companionReady.then((companion) => companion.client),
    logger,
  });
  const storage = createStoragePort({ ledger, service: publishedService });
  registerIpc(ipcMain, isTrusted, logger, {
    network: { view: () => networkShare.apply().then(ok) },
    shares,
    removal,
    storage,
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

  let updates: Updates | undefined;
  const field = createField(electron, {
    logsDir: logsDir ?? path.join(userData, 'logs'),
    userData,
    logger,
    words,
    window: () => window,
    secrets: async () => {
      const token = await tokens.read().catch(() => undefined);
      return secretsOfAuthorization(token);
    },
    restartToUpdate: () => updates?.restartToUpdate(),
  });
  desktop = installDesktop({
    ...{ distDir, userData, logger, ledger, broadcaster, earlyOpenFiles, intake, uploads },
    settings: () => settingsService.current(),
    rendererUrl: () => rendererUrl,
    addClips: addClipsFromMenu,
    translator: words,
    help: field.help,
    openWindow: () => void openWindow(true),
  });
  // The window is built at start and again whenever it is shown after a close to the tray.
  const trimmer = createMemoryTrimmer({ logger });
  let opening: Promise<void> | undefined;
  const openWindow = (show: boolean): Promise<void> =>
    (opening ??= (async () => {
      const shell = desktop!;
      trimmer.windowBack();
      const opened = createMainWindow(distDir, { placement: await shell.windowPlacement(), show });
      const created = opened.window;
      window = created;
      rendererUrl = opened.rendererUrl;
      windowListening = false;
      created.once('ready-to-show', () => {
        windowListening = true;
        if (pendingFocus) toWindow.send('clips:focus-requested', pendingFocus);
        pendingFocus = undefined;
      });
      shell.attachWindow(created);
      const stopWatching = field.watchWindow(created);
      created.on('closed', () => {
        stopWatching();
        if (window !== created) return;
        window = undefined;
        windowListening = false;
        trimmer.windowGone();
      });
      if (show) created.once('ready-to-show', () => created.focus());
    })().finally(() => (opening = undefined)));
  // Started at login into the tray: no window (and no renderer) until the user opens one (P7);
  // once start-up (the ledger, the first scan) is done, what it used is given back.
  if (desktop.startHidden)
    void companionReady.then(
      () => {
        if (!window) trimmer.windowGone();
      },
      () => undefined,
    );
  else await openWindow(true);
  if (runMarker.previousRunUnclean) {
    logger.warn('the previous run did not end cleanly');
    void field.announceUncleanExit();
  }
  updates = startUpdates({
    feedUrl: UPDATE_FEED_URL,
    // Loaded only when a feed is set, from its own bundle: electron-updater stays out of memory
    // (and out of main's bundle) otherwise.
    updater: () => loadAutoUpdater(__dirname),
    logger,
    onReady: (version) => {
      desktop?.refresh();
      const tr = words();
      if (electron.Notification.isSupported())
        new electron.Notification({
          title: tr.t('notify.updateReady.title'),
          body: tr.t('notify.updateReady.body', { version }),
        }).show();
    },
    beforeInstall: () => companionReady.then((companion) => companion.stop()),
  });

  const companion = await companionReady;
  const stopPushing = pushClipChanges(companion.ledger, broadcaster);

  let quitting = false;
  // Closing the last window keeps the app in the tray unless the user turned that off.
  app.on('window-all-closed', () => {
    if (!settingsService.current().desktop.closeToTray) app.quit();
  });
  app.on('before-quit', (event) => {
    if (quitting) return;
    // Finish what is in flight and flush the ledger before the process goes away.
    event.preventDefault();
    quitting = true;
    void shutdown(
      [
        { name: 'window updates', stop: stopPushing },
        { name: 'memory trim', stop: () => trimmer.stop() },
        { name: 'upload progress', stop: () => uploadProgress.stop() },
        { name: 'updates', stop: () => updates?.stop() },
        // Tray, notifier, window state and login item, bounded so a stuck one cannot hold the quit.
        { name: 'desktop', stop: () => desktop?.dispose(), boundMs: 5000 },
        ...companion.shutdownParts(),
      ],
      logger,
    )
      .then(() => runMarker.clear())
      .finally(() => app.exit(0));
  });
}

main().catch(async (error: unknown) => {
  logger.error('fatal start-up error', { error: describeError(error) });
  // A packaged app started from its icon would vanish without a word: say why, offer the logs.
  await showFatalStartupError(
    electron,
    (() => {
      try {
        return translator(resolveLocale('system', [app.getLocale()]));
      } catch {
        return english;
      }
    })(),
    error instanceof Error ? error.message : String(error),
    logsDir,
  ).catch(() => undefined);
  app.exit(1);
});
