/**
 * Updates through electron-updater's `generic` provider: the feed URL is written in at build time
 * (GAMECLIPS_UPDATE_URL; empty = updates off). Checks at start and every 6 hours, downloads in
 * the background (electron-updater verifies the file's sha512 from latest*.yml and refuses a
 * mismatch), then offers "Restart to update" in the tray and the Help menu.
 *
 * The updater arrives as a parameter: the app passes electron-updater's `autoUpdater`; tests a
 * platform updater built over a plain-Node app adapter, against a loopback feed.
 */
import type { Logger } from '../util/logger';

declare const __UPDATE_FEED_URL__: string | undefined;

/** The feed set at build time, or '' (updates off). */
export const UPDATE_FEED_URL: string =
  typeof __UPDATE_FEED_URL__ === 'string' ? __UPDATE_FEED_URL__ : '';

export const UPDATE_CHECK_INTERVAL_MS = 6 * 60 * 60 * 1000;

/** The parts of electron-updater's AppUpdater used here. */
export interface UpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  logger: unknown;
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface Updates {
  /** The downloaded version waiting for a restart, if any. */
  readyVersion(): string | undefined;
  /** Restarts into the downloaded version (undefined when none waits). */
  restartToUpdate(): (() => void) | undefined;
  /** One check now (also what the timer does). */
  checkNow(): Promise<void>;
  stop(): void;
}

export interface UpdatesOptions {
  readonly feedUrl: string;
  readonly updater: () => UpdaterLike | Promise<UpdaterLike>;
  readonly logger: Logger;
  /** A version is downloaded and verified: redraw the tray and menu, tell the user. */
  readonly onReady: (version: string) => void;
  /** Before quitting to install: the app flushes its ledger (before-quit is not enough). */
  readonly beforeInstall?: () => Promise<void>;
  readonly intervalMs?: number;
}

/** Undefined when no feed was set at build time: updates are off. */
export function startUpdates(options: UpdatesOptions): Updates | undefined {
  const feedUrl = options.feedUrl.trim();
  if (feedUrl === '') {
    options.logger.info('updates: off (no feed URL in this build)');
    return undefined;
  }
  const { logger } = options;
  let ready: string | undefined;
  const loaded = Promise.resolve()
    .then(() => options.updater())
    .then((updater) => configure(updater));
  loaded.catch((error: unknown) => logger.warn('updates: not started', { error: String(error) }));

  const configure = (updater: UpdaterLike): UpdaterLike => {
    updater.autoDownload = true;
    // Installing on a plain quit would surprise a user mid-session; only on "Restart to update".
    updater.autoInstallOnAppQuit = false;
    updater.logger = {
      info: (message: unknown) => logger.info(`updates: ${String(message)}`),
      warn: (message: unknown) => logger.warn(`updates: ${String(message)}`),
      error: (message: unknown) => logger.error(`updates: ${String(message)}`),
      debug: (message: unknown) => logger.debug(`updates: ${String(message)}`),
    };
    updater.setFeedURL({ provider: 'generic', url: feedUrl });
    updater.on('update-downloaded', (info) => {
      ready = info.version;
      logger.info('updates: downloaded and verified', { version: info.version });
      options.onReady(info.version);
    });
    updater.on('error', (error) => logger.warn('updates: failed', { error: error.message }));
    return updater;
  };

  const checkNow = async () => {
    try {
      const result = (await (await loaded).checkForUpdates()) as {
        downloadPromise?: Promise<unknown> | null;
      } | null;
      // A failed download (a bad checksum) is reported through 'error'; its promise is not news.
      result?.downloadPromise?.catch(() => undefined);
    } catch (error) {
      logger.warn('updates: check failed', { error: String(error) });
    }
  };
  void checkNow();
  const timer = setInterval(() => void checkNow(), options.intervalMs ?? UPDATE_CHECK_INTERVAL_MS);
  timer.unref();
  return {
    readyVersion: () => ready,
    restartToUpdate: () =>
      ready === undefined
        ? undefined
        : () =>
            void (options.beforeInstall?.() ?? Promise.resolve())
              .catch(() => undefined)
              .finally(() => void loaded.then((updater) => updater.quitAndInstall(false, true))),
    checkNow,
    stop: () => clearInterval(timer),
  };
}
