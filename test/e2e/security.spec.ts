/**
 * S1/S2 in the built app, through the Electron stand-in: the renderer tries to leave our page,
 * open windows, run injected script and call IPC from an injected frame, and every attempt is
 * refused. External https links go to the browser, nothing else does.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { ElectronStandIn } from '../electron-stand-in/stand-in';
import { launchBuiltApp } from '../electron-stand-in/load-main';
import { tempDir } from '../support/clips';

let home: { dir: string; cleanup: () => Promise<void> };
let app: ElectronStandIn;
let page: Page;
let ownUrl: string;

test.beforeAll(async () => {
  home = await tempDir('gc-e2e-security-');
  const videos = path.join(home.dir, 'Videos');
  await mkdir(videos, { recursive: true });
  app = launchBuiltApp({ paths: { userData: path.join(home.dir, 'user-data'), videos } });
  page = await app.firstWindow();
  await expect(page.getByText('GameClips Companion').first()).toBeVisible();
  ownUrl = page.url();
});
test.afterAll(async () => {
  expect(await app.quit()).toBe(0);
  await home.cleanup();
});

test('every window is created isolated, sandboxed, without Node and with web security', () => {
  expect(app.windows().length).toBeGreaterThan(0);
  for (const window of app.windows())
    expect(window.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
});

test('the page cannot navigate away', async () => {
  for (const target of ['https://example.com/', 'file:///etc/passwd', 'http://127.0.0.1:9/']) {
    await page.evaluate((url) => {
      window.location.href = url;
    }, target);
    // The refused navigation leaves the page where it was, still working.
    await expect(page.getByText('GameClips Companion').first()).toBeVisible();
    expect(page.url()).toBe(ownUrl);
  }
});

test('window.open is denied; only a clean https link goes to the browser', async () => {
  const popups: string[] = [];
  page.context().on('page', (popup) => popups.push(popup.url()));
  await page.evaluate(() => {
    window.open('https://support.xbox.com/help');
    window.open('file:///etc/passwd');
    window.open('https://user:pw@evil.example/');
    window.open('javascript:alert(1)');
  });
  await expect.poll(() => app.openedExternally).toEqual(['https://support.xbox.com/help']);
  // Every popup Chromium began was closed by the handler's deny.
  await expect.poll(() => page.context().pages().length).toBe(1);
});

test('injected scripts, inline handlers and string eval do not run (CSP)', async () => {
  const csp = await page
    .locator('meta[http-equiv="Content-Security-Policy"]')
    .getAttribute('content');
  expect(csp).toMatch(/script-src 'self'(;|$)/u);
  expect(csp).not.toContain('unsafe-eval');
  expect(csp).not.toContain('unsafe-inline');
  const outcome = await page.evaluate(async () => {
    const flags = window as unknown as Record<string, boolean | undefined>;
    const inline = document.createElement('script');
    inline.textContent = 'window.inlineRan = true';
    document.head.append(inline);
    const dataScript = document.createElement('script');
    dataScript.src = 'data:text/javascript,window.dataRan=true';
    document.head.append(dataScript);
    const button = document.createElement('button');
    button.setAttribute('onclick', 'window.handlerRan = true');
    document.body.append(button);
    button.click();
    button.remove();
    // A string timer is eval by another name; it runs in the page, not in the test's evaluate.
    (setTimeout as unknown as (code: string, ms: number) => void)('window.timerEvalRan = true', 0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    return {
      inline: flags.inlineRan === true,
      data: flags.dataRan === true,
      handler: flags.handlerRan === true,
      timerEval: flags.timerEvalRan === true,
    };
  });
  expect(outcome).toEqual({ inline: false, data: false, handler: false, timerEval: false });
});

test('an injected frame gets no API and its IPC is refused', async () => {
  await page.evaluate(() => {
    const frame = document.createElement('iframe');
    frame.name = 'injected';
    frame.srcdoc = '<p>injected</p>';
    document.body.append(frame);
  });
  const frame = await expect
    .poll(() => page.frame({ name: 'injected' }))
    .not.toBeNull()
    .then(() => page.frame({ name: 'injected' })!);
  await frame.waitForLoadState();
  expect(await frame.evaluate(() => typeof (window as { companion?: unknown }).companion)).toBe(
    'undefined',
  );
  // The frame reaches the IPC channel itself (as a compromised frame might): main refuses it.
  const channels = ['clips:list', 'app:get-status', 'account:set-token', 'settings:update'];
  for (const channel of channels) {
    const answer = await frame.evaluate(
      ([c]) =>
        (
          window as unknown as {
            __electronStandInInvoke(c: string, a: unknown[]): Promise<unknown>;
          }
        ).__electronStandInInvoke(c!, c === 'account:set-token' ? ['XBL3.0 x=1;abcdefgh'] : []),
      [channel],
    );
    expect(answer).toMatchObject({
      ok: true,
      value: { ok: false, error: { code: 'ipc/forbidden-sender' } },
    });
  }
  // The same call from our own top frame is answered, so the refusal is about the frame.
  expect(
    await page.evaluate(() =>
      (
        window as unknown as { companion: { clips: { list(): Promise<unknown> } } }
      ).companion.clips.list(),
    ),
  ).toMatchObject({ ok: true });
});

test('every permission is refused, asked for or checked', async () => {
  const request = app.permissionHandler() as (
    contents: unknown,
    permission: string,
    callback: (granted: boolean) => void,
  ) => void;
  const check = app.permissionCheckHandler() as (...args: unknown[]) => boolean;
  for (const permission of [
    'media',
    'notifications',
    'geolocation',
    'clipboard-read',
    'openExternal',
  ]) {
    const granted = await new Promise<boolean>((resolve) => request({}, permission, resolve));
    expect(granted).toBe(false);
    expect(check({}, permission, ownUrl, {})).toBe(false);
  }
  // And in the page: a permission prompt is answered "denied" without asking anyone.
  const state = await page.evaluate(() =>
    navigator.mediaDevices
      .getUserMedia({ audio: true })
      .then(() => 'granted')
      .catch((error: Error) => error.name),
  );
  expect(state).not.toBe('granted');
});
