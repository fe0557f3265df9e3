/**
 * The SettingsPort: what the window may read and change of the settings, folders chosen with
 * main's dialog only, and the account token written through the TokenStore and never read back
 * to the window (S3).
 *
 * Every change is validated (the IPC schema already parsed the patch; the merged result is parsed
 * again with the settings schema), persisted atomically before it is answered, and announced with
 * `settings:changed`. Writes run one at a time, so two quick edits land on disk in order.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { SettingsPatch, SettingsView } from '../../app/ipc/contract';
import { fail, ok, type IpcResult } from '../../app/ipc/result';
import { SettingsSchema, type ServiceSettings, type Settings } from '../../app/settings';
import { checkAddress, describeRefusal } from '../../app/gameclips/token-scope';
import type { TokenStore } from '../account/token-store';
import type { Logger } from '../util/logger';
import type { SettingsPort } from '../ipc/ports';
import { saveSettings } from './settings-store';
import { readTokenOrigin, writeTokenOrigin } from './token-origin';

export interface SettingsServiceOptions {
  readonly userDataDir: string;
  readonly initial: Settings;
  readonly tokens: TokenStore;
  readonly logger: Logger;
  /** Main's folder dialog; undefined when the user cancels. */
  readonly chooseFolder: () => Promise<string | undefined>;
  /** Persists the settings; the settings store by default. */
  readonly save?: (settings: Settings) => Promise<void>;
  /** Pushed to the window as `settings:changed`. */
  readonly onChanged?: (view: SettingsView) => void;
  /** The composition root tells intake which roots to watch now. */
  readonly onFoldersChanged?: (folders: readonly string[]) => void;
  /** A new token was stored: clips blocked as signed out can be tried again. */
  readonly onTokenChanged?: () => void;
}

/** A stable key for a folder, so the window names it without sending a path back. */
export function folderKey(folder: string): string {
  return createHash('sha256').update(folder).digest('hex').slice(0, 16);
}

export class SettingsService implements SettingsPort {
  private settings: Settings;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly save: (settings: Settings) => Promise<void>;

  constructor(private readonly options: SettingsServiceOptions) {
    this.settings = options.initial;
    this.save = options.save ?? ((settings) => saveSettings(options.userDataDir, settings));
  }

  /** The settings as they are now, for main's own services. */
  current(): Settings {
    return this.settings;
  }

  get(): Promise<IpcResult<SettingsView>> {
    return this.view().then(ok);
  }

  update(patch: SettingsPatch): Promise<IpcResult<SettingsView>> {
    if (patch.service?.kind === 'custom') {
      // https only, except this computer's loopback addresses (issue 14 item 3).
      const checked = checkAddress(patch.service.baseUrl);
      if (!checked.allowed)
        return Promise.resolve(
          fail('settings/insecure-service', describeRefusal(patch.service.baseUrl, checked)),
        );
    }
    return this.change((current) => {
      const next = {
        ...current,
        ...(patch.service ? { service: keepUploadHosts(current.service, patch.service) } : {}),
        ...(patch.defaults ? { defaults: { ...current.defaults, ...patch.defaults } } : {}),
        ...(patch.sendPolicy ? { sendPolicy: patch.sendPolicy } : {}),
        ...(patch.uploads ? { uploads: { ...current.uploads, ...patch.uploads } } : {}),
        ...(patch.desktop
          ? {
              desktop: {
                ...current.desktop,
                ...patch.desktop,
                notifications: {
                  ...current.desktop.notifications,
                  ...(patch.desktop.notifications ?? {}),
                },
              },
            }
          : {}),
        ...(patch.language ? { language: patch.language } : {}),
        ...(patch.folderLabels ? { folderLabels: labelsAfter(current, patch.folderLabels) } : {}),
        ...(patch.shareOnNetwork !== undefined ? { shareOnNetwork: patch.shareOnNetwork } : {}),
        ...(patch.serviceStorage ? { serviceStorage: patch.serviceStorage } : {}),
      };
      return next;
    });
  }

  async addFolder(): Promise<IpcResult<SettingsView>> {
    const chosen = await this.options.chooseFolder();
    if (chosen === undefined) return ok(await this.view());
    // The dialog returns what the OS gave; check it is still a folder before watching it.
    const folder = path.resolve(chosen);
    const info = await stat(folder).catch(() => undefined);
    if (!info?.isDirectory()) return fail('intake/missing', 'The chosen folder is not there.');
    return this.change((current) =>
      current.watchedFolders.includes(folder)
        ? current
        : { ...current, watchedFolders: [...current.watchedFolders, folder] },
    );
  }

  removeFolder(key: string): Promise<IpcResult<SettingsView>> {
    return this.change((current) => {
      const kept = current.watchedFolders.filter((folder) => folderKey(folder) !== key);
      return kept.length === current.watchedFolders.length
        ? current
        : { ...current, watchedFolders: kept };
    });
  }

  setToken(token: string): Promise<IpcResult<SettingsView>> {
    return this.serial(async () => {
      await this.options.tokens.write(token);
      // The token is for the service set now; set while the built-in one is chosen, it is for the
      // custom service the user sets next.
      await writeTokenOrigin(this.options.userDataDir, customOrigin(this.settings.service));
      const view = await this.view();
      this.options.onChanged?.(view);
      this.options.onTokenChanged?.();
      return ok(view);
    });
  }

  clearToken(): Promise<IpcResult<SettingsView>> {
    return this.serial(async () => {
      await this.options.tokens.clear();
      await writeTokenOrigin(this.options.userDataDir, undefined);
      const view = await this.view();
      this.options.onChanged?.(view);
      return ok(view);
    });
  }

  private async view(): Promise<SettingsView> {
    const { watchedFolders, ...rest } = this.settings;
    const [hasAccountToken, tokenEncrypted, tokenOrigin] = await Promise.all([
      this.options.tokens.hasToken(),
      this.options.tokens.isEncrypted(),
      this.tokenOrigin(),
    ]);
    return {
      settings: rest,
      watchedFolders: watchedFolders.map((folder) => ({ key: folderKey(folder), path: folder })),
      hasAccountToken,
      tokenEncrypted,
      ...(hasAccountToken && tokenOrigin !== undefined ? { tokenOrigin } : {}),
    };
  }

  /**
   * The origin the stored token is for. A token stored before origins were recorded (or while
   * the built-in service was chosen) is taken to be for the custom service set now.
   */
  private async tokenOrigin(): Promise<string | undefined> {
    const stored = await readTokenOrigin(this.options.userDataDir);
    if (stored !== undefined) return stored;
    const origin = customOrigin(this.settings.service);
    if (origin !== undefined && (await this.options.tokens.hasToken()))
      await writeTokenOrigin(this.options.userDataDir, origin);
    return origin;
  }

  /**
   * The custom service's origin changed: the stored token was for the old one and must never
   * be sent to the new one. It is cleared and the window asks for a new one.
   */
  private async clearTokenOfOtherOrigin(service: ServiceSettings): Promise<void> {
    const origin = customOrigin(service);
    if (origin === undefined || !(await this.options.tokens.hasToken())) return;
    const tokenOrigin = await readTokenOrigin(this.options.userDataDir);
    if (tokenOrigin === undefined) {
      await writeTokenOrigin(this.options.userDataDir, origin);
      return;
    }
    if (tokenOrigin === origin) return;
    await this.options.tokens.clear();
    await writeTokenOrigin(this.options.userDataDir, undefined);
    this.options.logger.info('settings: the service origin changed; the stored token was cleared', {
      from: tokenOrigin,
      to: origin,
    });
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private change(edit: (current: Settings) => Settings): Promise<IpcResult<SettingsView>> {
    return this.serial(async () => {
      const before = this.settings;
      const edited = edit(before);
      if (edited === before) return ok(await this.view());
      const parsed = SettingsSchema.safeParse(edited);
      if (!parsed.success)
        return fail(
          'ipc/invalid-arguments',
          parsed.error.issues.map((issue) => issue.message).join(' '),
        );
      try {
        await this.save(parsed.data);
      } catch (error) {
        this.options.logger.error('settings: could not be saved', { error: String(error) });
        return fail('app/internal', 'The settings could not be saved.');
      }
      this.settings = parsed.data;
      if (before.service !== parsed.data.service)
        await this.clearTokenOfOtherOrigin(parsed.data.service);
      const view = await this.view();
      this.options.onChanged?.(view);
      if (!sameFolders(before.watchedFolders, parsed.data.watchedFolders))
        this.options.onFoldersChanged?.(parsed.data.watchedFolders);
      return ok(view);
    });
  }
}

/** The folder labels after a patch keyed by folder key: '' removes, unknown keys are ignored. */
function labelsAfter(
  current: Settings,
  patch: Readonly<Record<string, string>>,
): Record<string, string> {
  const labels: Record<string, string> = { ...current.folderLabels };
  for (const folder of current.watchedFolders) {
    const label = patch[folderKey(folder)];
    if (label === undefined) continue;
    if (label === '') delete labels[folder];
    else labels[folder] = label;
  }
  return labels;
}

/** The custom service's origin; undefined for the built-in one. */
function customOrigin(service: ServiceSettings): string | undefined {
  if (service.kind !== 'custom') return undefined;
  const checked = checkAddress(service.baseUrl);
  return checked.origin ?? service.baseUrl;
}

/** A new address of the same origin keeps the upload hosts the profile lists. */
function keepUploadHosts(
  current: ServiceSettings,
  next: SettingsPatch['service'] & object,
): ServiceSettings {
  if (
    next.kind !== 'custom' ||
    current.kind !== 'custom' ||
    current.uploadHosts === undefined ||
    customOrigin(current) !== customOrigin(next)
  )
    return next;
  return { ...next, uploadHosts: current.uploadHosts };
}

function sameFolders(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((folder, index) => folder === b[index]);
}
