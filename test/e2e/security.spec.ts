/**
 * S1/S2 in the built app, through the Electron stand-in: the renderer tries to leave our page,
 * open windows, run injected script and call IPC from an injected frame, and every attempt is
 * refused. The page cannot make main store or serve a path it names, and the browser opens only
 * a published clip's own link, asked for by clip id from a click (issue 14, items 4 and 6).
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdir, readdir, readFile, rename, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ElectronStandIn } from '../electron-stand-in/stand-in';
import { dropFiles } from '../electron-stand-in/stand-in';
import { launchBuiltApp } from '../electron-stand-in/load-main';
import { makeClip, tempDir } from '../support/clips';

let home: { dir: string; cleanup: () => Promise<void> };
let videos: string;
let app: ElectronStandIn;
let page: Page;
let ownUrl: string;

test.beforeAll(async () => {
  home = await tempDir('gc-e2e-security-');
  videos = path.join(home.dir, 'Videos');
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

test('window.open is denied and reaches nothing, not even the browser', async () => {
  await page.evaluate(() => {
    window.open('https://support.xbox.com/help');
    window.open('file:///etc/passwd');
    window.open('https://user:pw@evil.example/');
    window.open('javascript:alert(1)');
  });
  // The handler was asked about the clean https link (the one it used to send to the browser)...
  await expect
    .poll(() => app.windowOpenRequests, { timeout: 20_000 })
    .toContain('https://support.xbox.com/help');
  // ...and every popup Chromium began was closed by its deny...
  await expect.poll(() => page.context().pages().length).toBe(1);
  // ...and none went to the browser: a page cannot choose what opens (issue 14, item 6).
  expect(app.openedExternally).toEqual([]);
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

interface StoredRecord {
  readonly id: string;
  readonly state: string;
  readonly file: { readonly path: string };
}
async function ledger(): Promise<StoredRecord[]> {
  const folder = path.join(home.dir, 'user-data', 'ledger');
  const names = (await readdir(folder).catch(() => [])).filter((name) => name.endsWith('.json'));
  return Promise.all(
    names.map(
      async (name) => JSON.parse(await readFile(path.join(folder, name), 'utf8')) as StoredRecord,
    ),
  );
}
async function recordFor(name: string): Promise<StoredRecord | undefined> {
  return (await ledger()).find((record) => path.basename(record.file.path) === name);
}

test('the page has no verb that takes a path, and nothing it names is stored', async () => {
  const answer = await page.evaluate(async () => {
    const api = (window as unknown as { companion: Record<string, Record<string, unknown>> })
      .companion;
    const drop = api.drop as { registerFiles(files: unknown[]): Promise<unknown> };
    let oldVerb: string;
    try {
      await (api.clips?.registerFiles as (paths: string[]) => Promise<unknown>)(['/etc/passwd']);
      oldVerb = 'answered';
    } catch (error) {
      oldVerb = (error as Error).name;
    }
    return {
      oldVerb,
      oldVerbType: typeof api.clips?.registerFiles,
      // Strings are not dropped files; a File the page made has no path.
      strings: await drop.registerFiles(['/etc/passwd', '/root/.ssh/id_rsa']),
      madeUp: await drop.registerFiles([new File(['x'], '/etc/passwd')]),
    };
  });
  expect(answer.oldVerbType).toBe('undefined');
  expect(answer.oldVerb).toBe('TypeError');
  expect(answer.strings).toEqual({ ok: true, value: [] });
  expect(answer.madeUp).toEqual({ ok: true, value: [] });
  expect((await ledger()).filter((record) => !record.file.path.startsWith(videos))).toEqual([]);
});

test('a dropped non-video is answered as refused and leaves no record', async () => {
  const outside = path.join(home.dir, 'Elsewhere');
  await mkdir(outside, { recursive: true });
  const secret = path.join(outside, 'passwd');
  await writeFile(secret, 'root:x:0:0:root:/root:/bin/bash\n');
  await dropFiles(page, 'body', [{ path: secret, name: 'passwd', type: 'text/plain' }]);
  const outcome = page.getByTestId('drop-results').getByTestId('drop-outcome').first();
  await expect(outcome).toHaveAttribute('data-outcome', 'rejected');
  await expect(outcome).toContainText('passwd');
  // Its answer carries no bytes of the file.
  await expect(outcome).not.toContainText('root:x');
  expect(await recordFor('passwd')).toBeUndefined();
});

test('the media protocol serves a real clip as video with nosniff, and refuses a rejected record and a symlink to a non-video', async () => {
  const origin = await app.schemeOrigin('gameclips-media');
  expect(origin).toBeDefined();
  const get = (id: string, headers: Record<string, string> = {}) =>
    fetch(`${origin}/clip/${id}`, { headers });

  await makeClip(path.join(videos, 'Real clip.mp4'), { seconds: 1 });
  await writeFile(path.join(videos, 'notes.mp4'), 'a text file named like a clip\n'.repeat(8));
  await expect
    .poll(async () => (await recordFor('Real clip.mp4'))?.state, { timeout: 30_000 })
    .toBe('reserved');
  // A watched folder still keeps its refusals (for History); the window must not read them.
  await expect
    .poll(async () => (await recordFor('notes.mp4'))?.state, { timeout: 30_000 })
    .toBe('rejected');

  const real = (await recordFor('Real clip.mp4'))!;
  const served = await get(real.id, { Origin: 'https://evil.example' });
  expect(served.status).toBe(200);
  expect(served.headers.get('content-type')).toBe('video/mp4');
  expect(served.headers.get('x-content-type-options')).toBe('nosniff');
  expect(served.headers.get('access-control-allow-origin')).toBeNull();
  expect((await served.arrayBuffer()).byteLength).toBeGreaterThan(1000);

  const rejected = await get((await recordFor('notes.mp4'))!.id);
  expect(rejected.status).toBe(404);
  expect(await rejected.text()).not.toContain('text file');

  // The clip's path becomes a link to a private key: refused, whatever the record says.
  const key = path.join(home.dir, 'id_ed25519');
  await writeFile(key, '-----BEGIN OPENSSH PRIVATE KEY-----\n');
  await rename(real.file.path, path.join(home.dir, 'moved.mp4'));
  await symlink(key, real.file.path);
  const linked = await get(real.id);
  expect(linked.status).toBe(404);
  expect(await linked.text()).not.toContain('PRIVATE KEY');
});

test('the browser opens only a published clip’s own link, by id, from a click', async () => {
  // Another length than the clip above: the same bytes would be refused as its duplicate.
  await makeClip(path.join(videos, 'Publish me.mp4'), { seconds: 2 });
  const card = page.getByTestId('clip-card').filter({ hasText: 'Publish me.mp4' });
  await expect(card).toHaveAttribute('data-state', 'reserved', { timeout: 30_000 });
  const clipId = (await card.getAttribute('data-clip-id'))!;
  await card.getByTestId('send').click();
  await page.getByTestId('nav-history').click();
  const published = page
    .getByTestId('history-section')
    .getByTestId('clip-card')
    .filter({ hasText: 'Publish me.mp4' });
  await expect(published).toHaveAttribute('data-state', 'published', { timeout: 60_000 });

  // A script naming the clip, with no click behind it, opens nothing. (Playwright evaluates as a
  // user gesture; a popup attempt uses that activation up, as any page script could.)
  const scripted = await page.evaluate(async (id) => {
    window.open('about:blank');
    const activeAfterPopup = navigator.userActivation.isActive;
    const answer = await (
      window as unknown as {
        companion: { clips: { openLink(id: string): Promise<unknown> } };
      }
    ).companion.clips.openLink(id);
    return { activeAfterPopup, answer };
  }, clipId);
  expect(scripted.activeAfterPopup).toBe(false);
  expect(scripted.answer).toMatchObject({ ok: false, error: { code: 'ipc/invalid-arguments' } });
  expect(app.openedExternally).toEqual([]);

  const link = published.getByTestId('clip-link');
  const href = await link.getAttribute('href');
  await link.click();
  await expect.poll(() => app.openedExternally).toEqual([href]);
  // Still on our page: the click did not navigate or open a window.
  expect(page.url()).toBe(ownUrl);
  await page.getByTestId('nav-pending').click();
});
