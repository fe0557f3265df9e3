/**
 * A small Electron stand-in for testing the *built* main bundle without an Electron binary
 * (architecture.md section 5). `app`, `BrowserWindow`, `ipcMain`, `session` and `shell` cover
 * what main uses; a BrowserWindow is a Chromium page driven by Playwright, with the real bundled
 * preload injected and IPC routed to the real handlers through structured clone.
 *
 * It is a test double for the runtime, not a second Electron: anything main starts using must be
 * added here deliberately, and an unknown `app.getPath` name fails as in Electron.
 */
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { installPreload } from './renderer-shim';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--allow-file-access-from-files',
];

export interface StandInOptions {
  readonly paths: { readonly userData: string; readonly videos?: string; readonly temp?: string };
  readonly version?: string;
  readonly headless?: boolean;
}

type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;

class StandInWebContents extends EventEmitter {
  private static nextId = 1;
  readonly id = StandInWebContents.nextId++;
  page: Page | undefined;
  private destroyed = false;
  private readonly pending: Array<[string, unknown[]]> = [];
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | undefined;
  readonly mainFrame = { url: '', parent: null as unknown };

  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) return;
    const cloned = structuredClone(args);
    if (!this.page) {
      this.pending.push([channel, cloned]);
      return;
    }
    void this.page
      .evaluate(
        ([c, a]) =>
          (
            window as unknown as { __electronStandInDispatch(c: string, p: unknown): void }
          ).__electronStandInDispatch(c as string, (a as unknown[])[0]),
        [channel, cloned] as const,
      )
      .catch(() => undefined);
  }

  setWindowOpenHandler(handler: StandInWebContents['windowOpenHandler']): void {
    this.windowOpenHandler = handler;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  attach(page: Page): void {
    this.page = page;
    for (const [channel, args] of this.pending.splice(0))
      this.send(channel, ...structuredClone(args));
  }

  destroy(): void {
    this.destroyed = true;
  }
}

/** The stand-in's controls, as a test sees them. */
export interface ElectronStandIn {
  /** What `require('electron')` returns to the main bundle. */
  readonly electron: Record<string, unknown>;
  readonly handlers: ReadonlyMap<string, InvokeHandler>;
  readonly openedExternally: readonly string[];
  permissionHandler(): unknown;
  firstWindow(): Promise<Page>;
  windows(): readonly unknown[];
  quit(): Promise<number>;
  readonly exited: Promise<number>;
}

/** Creates an Electron module double bound to one Chromium browser, and its controls. */
export function createElectronStandIn(options: StandInOptions): ElectronStandIn {
  const handlers = new Map<string, InvokeHandler>();
  const windows: StandInBrowserWindow[] = [];
  const windowWaiters: Array<(window: StandInBrowserWindow) => void> = [];
  let browser: Browser | undefined;
  let exitCode: number | undefined;
  let resolveExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));

  const app = new (class extends EventEmitter {
    isReady = () => true;
    whenReady = () => Promise.resolve();
    getVersion = () => options.version ?? '0.0.0-stand-in';
    getName = () => 'GameClips Companion';
    requestSingleInstanceLock = () => true;
    getPath = (name: string): string => {
      const value = (options.paths as Record<string, string | undefined>)[name];
      if (value === undefined) throw new Error(`Failed to get '${name}' path`);
      return value;
    };
    quit = (): void => {
      let prevented = false;
      this.emit('before-quit', { preventDefault: () => (prevented = true) });
      if (!prevented) this.exit(0);
    };
    exit = (code = 0): void => {
      if (exitCode !== undefined) return;
      exitCode = code;
      for (const window of windows) window.destroy();
      void (browser?.close() ?? Promise.resolve()).finally(() => resolveExit(code));
    };
  })();

  const ipcMain = {
    handle(channel: string, handler: InvokeHandler) {
      if (handlers.has(channel))
        throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, handler);
    },
    removeHandler(channel: string) {
      handlers.delete(channel);
    },
  };

  let permissionHandler:
    | ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void)
    | undefined;
  const session = {
    defaultSession: {
      setPermissionRequestHandler: (handler: typeof permissionHandler) =>
        (permissionHandler = handler),
    },
  };
  const openedExternally: string[] = [];
  const shell = { openExternal: (url: string) => (openedExternally.push(url), Promise.resolve()) };
  // As on a Linux desktop with no keyring: Chromium's `basic_text` backend, a fixed key.
  const basicTextKey = createHash('sha256').update('peanuts').digest();
  const safeStorage = {
    isAsyncEncryptionAvailable: () => Promise.resolve(true),
    getSelectedStorageBackend: () => 'basic_text' as const,
    encryptStringAsync: (plain: string) => {
      const iv = randomBytes(16);
      const cipher = createCipheriv('aes-256-cbc', basicTextKey, iv);
      return Promise.resolve(Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final()]));
    },
    decryptStringAsync: (data: Buffer) => {
      const decipher = createDecipheriv('aes-256-cbc', basicTextKey, data.subarray(0, 16));
      const plain = Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]);
      return Promise.resolve({ result: plain.toString('utf8'), shouldReEncrypt: false });
    },
  };

  async function launchBrowser(): Promise<Browser> {
    browser ??= await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
      headless: options.headless ?? true,
    });
    return browser;
  }

  class StandInBrowserWindow extends EventEmitter {
    readonly webContents = new StandInWebContents();
    private context: BrowserContext | undefined;
    private closed = false;
    visible = false;

    constructor(readonly options: Record<string, unknown>) {
      super();
      windows.push(this);
      for (const waiter of windowWaiters.splice(0)) waiter(this);
    }

    async loadFile(file: string): Promise<void> {
      const url = pathToFileURL(file).href;
      const prefs = (this.options.webPreferences ?? {}) as { preload?: string };
      const context = (this.context = await (await launchBrowser()).newContext());
      const page = await context.newPage();
      await page.exposeBinding(
        '__electronStandInInvoke',
        async (source, channel: string, args: unknown[]) => {
          const handler = handlers.get(channel);
          if (!handler)
            return { ok: false, message: `Error: No handler registered for '${channel}'` };
          const frame = source.frame;
          const event = {
            sender: this.webContents,
            senderFrame: { url: frame.url(), parent: frame.parentFrame() === null ? null : {} },
          };
          try {
            return {
              ok: true,
              value: structuredClone(await handler(event, ...structuredClone(args))),
            };
          } catch (error) {
            return { ok: false, message: String(error) };
          }
        },
      );
      if (prefs.preload) {
        const preloadSource = readFileSync(prefs.preload, 'utf8');
        await page.addInitScript(
          `(${installPreload.toString()})(${JSON.stringify(preloadSource)});`,
        );
      }
      page.on('framenavigated', (frame) => {
        if (frame === page.mainFrame()) this.webContents.mainFrame.url = frame.url();
      });
      await page.route('**/*', (route) => {
        const target = route.request().url();
        const isNavigation =
          route.request().isNavigationRequest() && route.request().frame() === page.mainFrame();
        if (isNavigation && target !== url) {
          let prevented = false;
          this.webContents.emit(
            'will-navigate',
            { preventDefault: () => (prevented = true) },
            target,
          );
          return prevented ? route.abort('blockedbyclient') : route.continue();
        }
        return route.continue();
      });
      page.on('popup', (popup) => {
        const decision = this.webContents.windowOpenHandler?.({ url: popup.url() }) ?? {
          action: 'allow',
        };
        if (decision.action === 'deny') void popup.close();
      });
      await page.goto(url);
      this.webContents.attach(page);
      this.emit('ready-to-show');
    }

    show(): void {
      this.visible = true;
    }
    isDestroyed(): boolean {
      return this.closed;
    }
    close(): void {
      this.destroy();
      if (windows.every((window) => window.isDestroyed())) app.emit('window-all-closed');
    }
    destroy(): void {
      if (this.closed) return;
      this.closed = true;
      this.webContents.destroy();
      void this.context?.close().catch(() => undefined);
      this.emit('closed');
    }
    get page(): Page | undefined {
      return this.webContents.page;
    }
  }

  const electron = {
    app,
    ipcMain,
    session,
    shell,
    safeStorage,
    BrowserWindow: StandInBrowserWindow,
  };

  return {
    electron,
    handlers,
    openedExternally,
    permissionHandler: () => permissionHandler,
    /** The first window whose page has loaded. */
    async firstWindow(): Promise<Page> {
      const window =
        windows[0] ??
        (await new Promise<StandInBrowserWindow>((resolve) => windowWaiters.push(resolve)));
      while (!window.page) await new Promise((resolve) => setTimeout(resolve, 20));
      return window.page;
    },
    windows: () => [...windows],
    /** Asks the app to quit as a user would, and waits for the process-level exit. */
    async quit(): Promise<number> {
      app.quit();
      return exited;
    },
    exited,
  };
}
