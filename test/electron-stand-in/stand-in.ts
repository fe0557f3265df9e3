/**
 * A small Electron stand-in for testing the *built* main bundle without an Electron binary
 * (architecture.md section 5). `app`, `BrowserWindow`, `ipcMain`, `session` and `shell` cover
 * what main uses; a BrowserWindow is a Chromium page driven by Playwright, with the real bundled
 * preload injected and IPC routed to the real handlers through structured clone.
 *
 * It is a test double for the runtime, not a second Electron: anything main starts using must be
 * added here deliberately, and an unknown `app.getPath` name fails as in Electron.
 */
// Type-only: Playwright is loaded when the first window opens a page, so a stand-in whose
// windows have no page (`windowHost: 'none'`, the footprint bench) measures main without it.
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pipeline, Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { installPreload } from './renderer-shim';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/**
 * The features Playwright 1.65 turns off in every Chromium it launches (its chromiumSwitches.ts).
 * Chromium keeps only the last `--disable-features` it is given, so the stand-in's own list must
 * repeat these; test/electron-stand-in/chromium-switches.test.ts fails if Playwright's list
 * changes and this copy falls behind.
 */
export const PLAYWRIGHT_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
];

/**
 * Browser chrome an Electron window does not have. Chromium's new headless mode builds a real
 * browser window for every context, with two WebUI omnibox popups, each loaded in a renderer of
 * its own: about half a second of CPU per window, on the same two cores as the app's window, so
 * a window reopened from the tray measured the browser's toolbar as much as the app.
 */
export const BROWSER_CHROME_FEATURES = ['WebUIOmniboxPopup', 'WebUIOmniboxAimPopup'];

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--allow-file-access-from-files',
  `--disable-features=${[...PLAYWRIGHT_DISABLED_FEATURES, ...BROWSER_CHROME_FEATURES].join(',')}`,
];

export interface StandInRectangle {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface StandInOptions {
  readonly paths: {
    readonly userData: string;
    readonly videos?: string;
    readonly temp?: string;
    /** Where Linux autostart entries go (appData/autostart); unknown unless a test gives it. */
    readonly appData?: string;
    /** app.getPath('logs'); userData/logs by default, as Electron on Linux. */
    readonly logs?: string;
    readonly downloads?: string;
  };
  /** The displays' work areas `screen` reports; one 1920x1040 display by default. */
  readonly displays?: readonly StandInRectangle[];
  readonly version?: string;
  readonly headless?: boolean;
  /** The OS language the window sees (navigator.language), as Electron takes it from the OS. */
  readonly locale?: string;
  /**
   * 'chromium' (default): each window is a Chromium page. 'none': windows have no page (ready to
   * show at once, pushes dropped), for measuring the main process alone (footprint bench).
   */
  readonly windowHost?: 'chromium' | 'none';
}

type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;

class StandInWebContents extends EventEmitter {
  private static nextId = 1;
  readonly id = StandInWebContents.nextId++;
  page: Page | undefined;
  private destroyed = false;
  private readonly pending: Array<[string, unknown[]]> = [];
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | undefined;
  /** Set by the window: loads the page again in a new renderer (after a crash, like Electron). */
  reloader: (() => Promise<void>) | undefined;
  reloads = 0;
  readonly mainFrame = { url: '', parent: null as unknown };
  constructor(readonly session: unknown) {
    super();
  }

  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed || this.pageless) return;
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

  reload(): void {
    this.reloads += 1;
    void this.reloader?.();
  }

  attach(page: Page): void {
    this.page = page;
    // A renderer that dies (crash, kill, out of memory) is reported as Electron reports it.
    page.once('crash', () => {
      if (this.page === page && !this.destroyed)
        this.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    });
    for (const [channel, args] of this.pending.splice(0))
      this.send(channel, ...structuredClone(args));
  }

  destroy(): void {
    this.destroyed = true;
  }

  /** A window with no page ('none' host): nothing it is sent is kept. */
  private pageless = false;
  dropPage(): void {
    this.pageless = true;
    this.pending.length = 0;
  }
}

export interface StandInMenuView {
  readonly items: readonly {
    id?: string;
    label?: string;
    role?: string;
    enabled?: boolean;
    submenu?: unknown;
    click?: () => void;
  }[];
  getMenuItemById(id: string): StandInMenuView['items'][number] | null;
}
export interface StandInTrayView {
  readonly image: { readonly path: string };
  readonly tooltip: string;
  readonly title: string;
  readonly contextMenu: StandInMenuView | undefined;
  readonly destroyed: boolean;
}
export interface StandInNotificationView {
  readonly options: { readonly title: string; readonly body: string; readonly icon?: string };
  emit(event: 'click'): boolean;
}
export interface StandInWindowView {
  readonly visible: boolean;
  readonly focused: boolean;
  readonly options: Record<string, unknown>;
  getBounds(): StandInRectangle;
  setBounds(bounds: Partial<StandInRectangle>): void;
  close(): void;
  isDestroyed(): boolean;
}

/** The stand-in's controls, as a test sees them. */
export interface ElectronStandIn {
  /** What `require('electron')` returns to the main bundle. */
  readonly electron: Record<string, unknown>;
  readonly handlers: ReadonlyMap<string, InvokeHandler>;
  readonly openedExternally: readonly string[];
  /** What main wrote to the clipboard, oldest first (issue 16: "Copy link"). */
  readonly copiedTexts: readonly string[];
  /** Every URL a page asked to open as a window (what setWindowOpenHandler was asked about). */
  readonly windowOpenRequests: readonly string[];
  readonly openedPaths: readonly string[];
  permissionHandler(): unknown;
  permissionCheckHandler(): unknown;
  trays(): readonly StandInTrayView[];
  notifications(): readonly StandInNotificationView[];
  applicationMenu(): StandInMenuView | null;
  loginItemSettings(): readonly Record<string, unknown>[];
  /** What Electron emits in the first instance when the app is launched again. */
  secondInstance(argv: readonly string[], workingDirectory: string): void;
  /** macOS "open with": Electron's open-file event. */
  openFile(file: string): void;
  /**
   * The dialog seam: what the next `dialog.showOpenDialog` answers (files a test "picks"), in
   * order; cancelled when none is queued, as a user closing the dialog.
   */
  queueOpenDialog(answer: {
    readonly canceled: boolean;
    readonly filePaths: readonly string[];
  }): void;
  /** The options main opened each dialog with (title, properties, filters), oldest first. */
  readonly openDialogs: readonly Record<string, unknown>[];
  /** Message boxes main showed (options), and what the next ones answer (default: defaultId). */
  messageBoxes(): readonly Record<string, unknown>[];
  queueMessageBox(answer: { readonly response: number; readonly checkboxChecked?: boolean }): void;
  /** What the next `dialog.showSaveDialog` answers; cancelled when none is queued. */
  queueSaveDialog(answer: { readonly canceled: boolean; readonly filePath?: string }): void;
  /** What crashReporter.start was given (undefined if it never was). */
  crashReporterOptions(): Record<string, unknown> | undefined;
  /** Schemes main registered as privileged, and those it handles. */
  readonly privilegedSchemes: readonly string[];
  /** The loopback origin that serves a handled scheme through main's real handler. */
  schemeOrigin(scheme: string): Promise<string | undefined>;
  firstWindow(): Promise<Page>;
  /** The page of the window at `index` (windows() order), once loaded. */
  windowPage(index: number): Promise<Page>;
  windows(): readonly StandInWindowView[];
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
    getLocale = () => options.locale ?? 'en-US';
    getPreferredSystemLanguages = () => [options.locale ?? 'en-US'];
    requestSingleInstanceLock = () => true;
    isPackaged = false;
    loginItemSettings: Array<Record<string, unknown>> = [];
    setLoginItemSettings = (settings: Record<string, unknown>): void => {
      this.loginItemSettings.push(structuredClone(settings));
    };
    getLoginItemSettings = () => ({
      openAtLogin: this.loginItemSettings.at(-1)?.openAtLogin === true,
      wasOpenedAtLogin: false,
    });
    getPath = (name: string): string => {
      // Electron's userData is appData/<app name>, so appData defaults to its parent.
      if (name === 'appData' && options.paths.appData === undefined)
        return path.dirname(options.paths.userData);
      // Electron on Linux keeps logs in userData/logs unless told otherwise.
      if (name === 'logs' && options.paths.logs === undefined)
        return path.join(options.paths.userData, 'logs');
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
  let permissionCheckHandler: ((...args: unknown[]) => boolean) | undefined;
  const defaultSession = {
    // No proxy configured on a test machine: Chromium answers DIRECT.
    resolveProxy: (_url: string) => Promise.resolve('DIRECT'),
    addWordToSpellCheckerDictionary: (_word: string) => true,
    setPermissionRequestHandler: (handler: typeof permissionHandler) =>
      (permissionHandler = handler),
    setPermissionCheckHandler: (handler: typeof permissionCheckHandler) =>
      (permissionCheckHandler = handler),
  };
  const session = { defaultSession };
  const openedExternally: string[] = [];
  const windowOpenRequests: string[] = [];
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
  const copiedTexts: string[] = [];
  const clipboard = {
    writeText: (text: string) => void copiedTexts.push(text),
    readText: () => copiedTexts.at(-1) ?? '',
  };
  const openedPaths: string[] = [];
  const shell = {
    openExternal: (url: string) => (openedExternally.push(url), Promise.resolve()),
    openPath: (folder: string) => (openedPaths.push(folder), Promise.resolve('')),
    showItemInFolder: (file: string) => void openedPaths.push(file),
  };

  // Menus and the tray record what main gave them; a test clicks an item by calling its click.
  class StandInMenu {
    constructor(readonly items: readonly Record<string, unknown>[]) {}
    getMenuItemById(id: string) {
      return this.items.find((item) => item.id === id) ?? null;
    }
  }
  let applicationMenu: StandInMenu | null = null;
  const Menu = {
    buildFromTemplate: (template: readonly Record<string, unknown>[]) => new StandInMenu(template),
    setApplicationMenu: (menu: StandInMenu | null) => (applicationMenu = menu),
    getApplicationMenu: () => applicationMenu,
  };
  const nativeImage = {
    createFromPath: (file: string) => ({ path: file, isEmpty: () => !existsSync(file) }),
  };
  const trays: StandInTray[] = [];
  class StandInTray extends EventEmitter {
    image: { path: string; isEmpty(): boolean };
    tooltip = '';
    title = '';
    contextMenu: StandInMenu | undefined;
    destroyed = false;
    constructor(image: { path: string; isEmpty(): boolean }) {
      super();
      if (image.isEmpty()) throw new Error(`stand-in: tray image missing at ${image.path}`);
      this.image = image;
      trays.push(this);
    }
    setImage(image: { path: string; isEmpty(): boolean }) {
      if (image.isEmpty()) throw new Error(`stand-in: tray image missing at ${image.path}`);
      this.image = image;
    }
    setToolTip(text: string) {
      this.tooltip = text;
    }
    setTitle(text: string) {
      this.title = text;
    }
    setContextMenu(menu: StandInMenu) {
      this.contextMenu = menu;
    }
    destroy() {
      this.destroyed = true;
    }
  }
  const notifications: StandInNotification[] = [];
  class StandInNotification extends EventEmitter {
    static isSupported = () => true;
    shown = false;
    constructor(readonly options: { title: string; body: string; icon?: string }) {
      super();
    }
    show() {
      this.shown = true;
      notifications.push(this);
    }
    close() {
      this.emit('close');
    }
  }
  const displays = (options.displays ?? [{ x: 0, y: 0, width: 1920, height: 1040 }]).map(
    (workArea, index) => ({
      id: index + 1,
      workArea,
      bounds: { ...workArea, height: workArea.height + 40 },
    }),
  );
  const screen = {
    getAllDisplays: () => displays,
    getPrimaryDisplay: () => displays[0],
  };

  // dialog: answers queued by the test, cancelled otherwise (as a user closing the dialog).
  const dialogAnswers: Array<{ canceled: boolean; filePaths: string[] }> = [];
  const openDialogs: Record<string, unknown>[] = [];
  const messageBoxes: Record<string, unknown>[] = [];
  const messageBoxAnswers: Array<{ response: number; checkboxChecked: boolean }> = [];
  const saveDialogAnswers: Array<{ canceled: boolean; filePath?: string }> = [];
  let crashReporterOptions: Record<string, unknown> | undefined;
  const crashReporter = {
    start: (settings: Record<string, unknown>) => {
      if (crashReporterOptions) throw new Error('crashReporter.start was already called');
      crashReporterOptions = structuredClone(settings);
    },
  };
  const dialog = {
    // Electron takes (window, options) or (options); a user's answer is queued by the test.
    showMessageBox: (...args: unknown[]) => {
      const box = args.at(-1) as Record<string, unknown>;
      if (typeof box?.message !== 'string')
        return Promise.reject(new TypeError('showMessageBox needs a message.'));
      messageBoxes.push(box);
      const answer = messageBoxAnswers.shift();
      return Promise.resolve({
        response: answer?.response ?? (typeof box.defaultId === 'number' ? box.defaultId : 0),
        checkboxChecked: answer?.checkboxChecked ?? box.checkboxChecked === true,
      });
    },
    showSaveDialog: (...args: unknown[]) => {
      void args;
      return Promise.resolve(saveDialogAnswers.shift() ?? { canceled: true, filePath: '' });
    },
    showOpenDialog: (...args: unknown[]) => {
      const options = args.at(-1) as { properties?: string[] } | undefined;
      if (!Array.isArray(options?.properties))
        return Promise.reject(new TypeError('showOpenDialog needs options.'));
      openDialogs.push(structuredClone(options));
      return Promise.resolve(dialogAnswers.shift() ?? { canceled: true, filePaths: [] });
    },
  };

  // protocol: Chromium without Electron cannot stream a custom scheme into <video>, so each
  // handled scheme is served by the real handler on a loopback port, and the page maps the
  // scheme's URLs (and its CSP source) onto that origin. The handler sees the scheme URL.
  const privilegedSchemes: string[] = [];
  const schemeOrigins = new Map<string, Promise<string>>();
  const schemeServers: Server[] = [];
  type ProtocolHandler = (request: Request) => Promise<Response> | Response;
  const protocol = {
    registerSchemesAsPrivileged(schemes: ReadonlyArray<{ scheme: string }>) {
      if (app.isReady() && windows.length > 0)
        throw new Error('registerSchemesAsPrivileged must be called before the app is ready');
      for (const { scheme } of schemes) privilegedSchemes.push(scheme);
    },
    handle(scheme: string, handler: ProtocolHandler) {
      if (schemeOrigins.has(scheme)) throw new Error(`The scheme '${scheme}' is already handled`);
      const server = createServer((req, res) => void serveScheme(scheme, handler, req, res));
      schemeServers.push(server);
      schemeOrigins.set(
        scheme,
        new Promise((resolve) =>
          server.listen(0, '127.0.0.1', () =>
            resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
          ),
        ),
      );
    },
  };
  async function serveScheme(
    scheme: string,
    handler: ProtocolHandler,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    try {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers))
        if (typeof value === 'string') headers.set(name, value);
      const response = await handler(
        new Request(`${scheme}:/${req.url ?? '/'}`, { method: req.method ?? 'GET', headers }),
      );
      res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
      if (response.body === null) res.end();
      // A request the page abandons (a <video> seeking away) cancels the handler's stream, as
      // Electron does; a bare pipe would leave it, and the file handle it owns, open.
      else pipeline(Readable.fromWeb(response.body as never), res, () => undefined);
    } catch {
      res.writeHead(500).end();
    }
  }
  async function schemeMap(): Promise<Record<string, string>> {
    const entries = await Promise.all(
      [...schemeOrigins].map(async ([scheme, origin]) => [scheme, await origin] as const),
    );
    return Object.fromEntries(entries);
  }
  async function launchBrowser(): Promise<Browser> {
    const { chromium } = await import('@playwright/test');
    browser ??= await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
      headless: options.headless ?? true,
    });
    return browser;
  }

  class StandInBrowserWindow extends EventEmitter {
    readonly webContents = new StandInWebContents(defaultSession);
    private context: BrowserContext | undefined;
    private closed = false;
    visible = false;
    focused = false;
    maximized = false;
    minimized = false;
    bounds: StandInRectangle;

    constructor(readonly options: Record<string, unknown>) {
      super();
      const width = Number(options.width ?? 800);
      const height = Number(options.height ?? 600);
      const area = displays[0]?.workArea ?? { x: 0, y: 0, width: 1920, height: 1040 };
      // Like Electron: no x/y means centred on the primary display.
      this.bounds = {
        x:
          typeof options.x === 'number' ? options.x : area.x + Math.round((area.width - width) / 2),
        y:
          typeof options.y === 'number'
            ? options.y
            : area.y + Math.round((area.height - height) / 2),
        width,
        height,
      };
      windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
      for (const waiter of windowWaiters.splice(0)) waiter(this);
    }

    async loadFile(file: string): Promise<void> {
      if (options.windowHost === 'none') {
        this.webContents.dropPage();
        this.emit('ready-to-show');
        return;
      }
      this.webContents.reloader = async () => {
        // A new renderer for the same window, as Electron's reload after a crash.
        await this.context?.close().catch(() => undefined);
        if (!this.closed) await this.loadFile(file);
      };
      const url = pathToFileURL(file).href;
      const prefs = (this.options.webPreferences ?? {}) as { preload?: string };
      const context = (this.context = await (
        await launchBrowser()
      ).newContext(options.locale ? { locale: options.locale } : {}));
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
            return answerOf(await handler(event, ...structuredClone(args)));
          } catch (error) {
            return { ok: false, message: String(error) };
          }
        },
      );
      if (prefs.preload) {
        const preloadSource = readFileSync(prefs.preload, 'utf8');
        // Like Electron (nodeIntegrationInSubFrames off): the preload runs in the top frame only.
        await page.addInitScript(
          `if (window.top === window) (${installPreload.toString()})(${JSON.stringify(preloadSource)});`,
        );
      }
      page.on('framenavigated', (frame) => {
        if (frame === page.mainFrame()) this.webContents.mainFrame.url = frame.url();
      });
      // Electron asks setWindowOpenHandler with the URL before any window exists. Chromium
      // here creates the popup first; its first request (which has no frame yet) is decided
      // and, when denied, cancelled, and the popup page closed when it appears.
      const schemes = await schemeMap();
      if (Object.keys(schemes).length > 0)
        await page.addInitScript(`(${mapSchemes.toString()})(${JSON.stringify(schemes)});`);
      const decisions: Array<'allow' | 'deny'> = [];
      const askOpen = (target: string) => {
        windowOpenRequests.push(target);
        return this.webContents.windowOpenHandler?.({ url: target })?.action ?? 'allow';
      };
      await context.route('**/*', (route) => {
        const request = route.request();
        const target = request.url();
        let frame;
        try {
          frame = request.frame();
        } catch {
          frame = undefined; // a new window's first navigation
        }
        if (!frame || frame.page() !== page) {
          if (!frame && request.isNavigationRequest()) {
            const action = askOpen(target);
            decisions.push(action);
            return action === 'deny' ? route.abort('aborted') : route.continue();
          }
          return route.continue();
        }
        // Our page, with each handled scheme's loopback origin added where its CSP allows it.
        if (target === url && Object.keys(schemes).length > 0)
          return route.fulfill({
            status: 200,
            contentType: 'text/html',
            body: withSchemeOrigins(readFileSync(file, 'utf8'), schemes),
          });
        const isNavigation = request.isNavigationRequest() && frame === page.mainFrame();
        if (isNavigation && target !== url) {
          let prevented = false;
          // A server redirect of a navigation is asked about again, as Electron's will-redirect.
          const event = request.redirectedFrom() ? 'will-redirect' : 'will-navigate';
          this.webContents.emit(event, { preventDefault: () => (prevented = true) }, target);
          // Cancelled as Electron cancels it: no error page, the page stays as it was.
          return prevented ? route.abort('aborted') : route.continue();
        }
        return route.continue();
      });
      page.on('popup', (popup) => {
        void (async () => {
          // Popups whose URL never reaches the network (file:, javascript:) are decided by the
          // URL they show once loaded.
          for (let i = 0; i < 20 && decisions.length === 0 && popup.url() === 'about:blank'; i++)
            await new Promise((resolve) => setTimeout(resolve, 25));
          const action = decisions.shift() ?? askOpen(popup.url());
          if (action === 'deny') await popup.close().catch(() => undefined);
        })();
      });
      await page.goto(url);
      this.webContents.attach(page);
      this.emit('ready-to-show');
    }

    show(): void {
      this.visible = true;
      this.minimized = false;
    }
    hide(): void {
      this.visible = false;
    }
    isVisible(): boolean {
      return this.visible;
    }
    focus(): void {
      this.focused = true;
    }
    isMinimized(): boolean {
      return this.minimized;
    }
    minimize(): void {
      this.minimized = true;
    }
    restore(): void {
      this.minimized = false;
      this.visible = true;
    }
    maximize(): void {
      this.maximized = true;
      this.visible = true;
      this.emit('maximize');
    }
    isMaximized(): boolean {
      return this.maximized;
    }
    getBounds(): StandInRectangle {
      return { ...this.bounds };
    }
    getNormalBounds(): StandInRectangle {
      return { ...this.bounds };
    }
    setBounds(bounds: Partial<StandInRectangle>): void {
      const before = this.bounds;
      this.bounds = { ...before, ...bounds };
      if (before.width !== this.bounds.width || before.height !== this.bounds.height)
        this.emit('resize');
      if (before.x !== this.bounds.x || before.y !== this.bounds.y) this.emit('move');
    }
    isDestroyed(): boolean {
      return this.closed;
    }
    /** As a user closing the window: 'close' may be prevented (close to tray). */
    close(): void {
      if (this.closed) return;
      let prevented = false;
      this.emit('close', { preventDefault: () => (prevented = true) });
      if (prevented) return;
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
    clipboard,
    safeStorage,
    dialog,
    crashReporter,
    protocol,
    Menu,
    Tray: StandInTray,
    Notification: StandInNotification,
    nativeImage,
    screen,
    BrowserWindow: StandInBrowserWindow,
  };

  void exited.then(() => {
    for (const server of schemeServers) server.close();
  });

  return {
    electron,
    handlers,
    openedExternally,
    copiedTexts,
    windowOpenRequests,
    queueOpenDialog: (answer) =>
      void dialogAnswers.push({ canceled: answer.canceled, filePaths: [...answer.filePaths] }),
    openDialogs,
    privilegedSchemes,
    schemeOrigin: (scheme) => schemeOrigins.get(scheme) ?? Promise.resolve(undefined),
    openedPaths,
    messageBoxes: () => [...messageBoxes],
    queueMessageBox: (answer) =>
      void messageBoxAnswers.push({
        response: answer.response,
        checkboxChecked: answer.checkboxChecked ?? false,
      }),
    queueSaveDialog: (answer) => void saveDialogAnswers.push({ ...answer }),
    crashReporterOptions: () => crashReporterOptions,
    permissionHandler: () => permissionHandler,
    permissionCheckHandler: () => permissionCheckHandler,
    trays: () => [...trays],
    notifications: () => [...notifications],
    applicationMenu: () => applicationMenu,
    loginItemSettings: () => [...app.loginItemSettings],
    secondInstance(argv: readonly string[], workingDirectory: string): void {
      app.emit(
        'second-instance',
        { preventDefault: () => undefined },
        [...argv],
        workingDirectory,
        {},
      );
    },
    openFile(file: string): void {
      app.emit('open-file', { preventDefault: () => undefined }, file);
    },
    /** The first window whose page has loaded. */
    async firstWindow(): Promise<Page> {
      const window =
        windows[0] ??
        (await new Promise<StandInBrowserWindow>((resolve) => windowWaiters.push(resolve)));
      while (!window.page) await new Promise((resolve) => setTimeout(resolve, 20));
      return window.page;
    },
    async windowPage(index: number): Promise<Page> {
      for (;;) {
        const page = windows[index]?.page;
        if (page) return page;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
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

/**
 * An invoke's answer as it crosses into the page. Electron clones it over Mojo in a few
 * milliseconds; Playwright's own value protocol takes seconds for a large answer (10,000 clips),
 * which would make the stand-in, not the app, the slow part. So a large answer that JSON carries
 * exactly (checked: no undefined, NaN, -0, Date, Map or typed array lost) crosses as one string;
 * any other takes Playwright's path, which keeps structured-clone semantics.
 */
/** Answers from this size take the string path; smaller ones cross as values, as before. */
const LARGE_ANSWER_CHARS = 64 * 1024;
function answerOf(value: unknown): { ok: true; value?: unknown; json?: string } {
  // Plain data that JSON carries exactly is also what structured clone would copy without error.
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined; // a cycle or a BigInt: structured clone's business
  }
  if (
    json !== undefined &&
    json.length >= LARGE_ANSWER_CHARS &&
    isDeepStrictEqual(JSON.parse(json), value)
  )
    return { ok: true, json };
  return { ok: true, value: structuredClone(value) };
}

/** Adds each scheme's loopback origin wherever the page's CSP allows the scheme. */
function withSchemeOrigins(html: string, schemes: Readonly<Record<string, string>>): string {
  let out = html;
  for (const [scheme, origin] of Object.entries(schemes))
    out = out.replaceAll(`${scheme}:`, `${scheme}: ${origin}`);
  return out;
}

/**
 * Runs in the page: `src` values in a handled scheme load from its loopback origin instead. It is
 * serialized into an init script, so it must not close over anything.
 */
function mapSchemes(schemes: Record<string, string>): void {
  const map = (value: unknown): unknown => {
    if (typeof value !== 'string') return value;
    for (const [scheme, origin] of Object.entries(schemes))
      if (value.startsWith(`${scheme}://`)) return `${origin}/${value.slice(scheme.length + 3)}`;
    return value;
  };
  for (const proto of [
    HTMLMediaElement.prototype,
    HTMLImageElement.prototype,
    HTMLSourceElement.prototype,
  ]) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, 'src');
    if (!descriptor?.set || !descriptor.get) continue;
    const { get, set } = descriptor;
    Object.defineProperty(proto, 'src', {
      ...descriptor,
      get,
      set(this: HTMLElement, value: unknown) {
        set.call(this, map(value));
      },
    });
  }
  const setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (this: Element, name: string, value: string) {
    setAttribute.call(this, name, name.toLowerCase() === 'src' ? String(map(value)) : value);
  };
}

/**
 * Drops files on an element the way the OS does: a DataTransfer of File objects whose paths the
 * stand-in's `webUtils.getPathForFile` knows (the page cannot learn them otherwise).
 */
export async function dropFiles(
  page: Page,
  selector: string,
  files: ReadonlyArray<{ readonly path: string; readonly name: string; readonly type?: string }>,
  phase: 'drop' | 'hover' = 'drop',
): Promise<void> {
  const transfer = await page.evaluateHandle((list) => {
    const data = new DataTransfer();
    const register = (
      window as unknown as {
        __electronStandInFilePath: (file: File, path: string) => void;
      }
    ).__electronStandInFilePath;
    for (const entry of list) {
      const file = new File([], entry.name, { type: entry.type ?? '' });
      register(file, entry.path);
      data.items.add(file);
    }
    return data;
  }, files);
  await page.dispatchEvent(selector, 'dragenter', { dataTransfer: transfer });
  await page.dispatchEvent(selector, 'dragover', { dataTransfer: transfer });
  if (phase === 'drop') await page.dispatchEvent(selector, 'drop', { dataTransfer: transfer });
}
