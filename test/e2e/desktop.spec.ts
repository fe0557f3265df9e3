/**
 * The built app as a desktop citizen, through the Electron stand-in: the tray follows the clips,
 * a reservation raises a notification whose click shows the window and focuses the clip, closing
 * the window keeps the app in the tray, a second launch brings it back, and a start at login
 * stays hidden with the login item registered.
 */
import { expect, test } from '@playwright/test';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { defaultSettings } from '../../app/settings';
import { launchBuiltApp } from '../electron-stand-in/load-main';
import { makeClip, tempDir } from '../support/clips';

async function ledgerIds(userData: string): Promise<string[]> {
  const folder = path.join(userData, 'ledger');
  const names = (await readdir(folder).catch(() => [])).filter((name) => name.endsWith('.json'));
  return Promise.all(
    names.map(
      async (name) =>
        (JSON.parse(await readFile(path.join(folder, name), 'utf8')) as { id: string }).id,
    ),
  );
}

test('tray, notification, close to tray and a second launch', async () => {
  const home = await tempDir('gc-e2e-desktop-');
  const userData = path.join(home.dir, 'user-data');
  const videos = path.join(home.dir, 'Videos');
  const appData = path.join(home.dir, 'config');
  await mkdir(videos, { recursive: true });
  try {
    const app = launchBuiltApp({ paths: { userData, videos, appData } });
    const page = await app.firstWindow();
    const window = () => app.windows()[0]!;
    await expect.poll(() => window().visible).toBe(true);

    const tray = () => app.trays()[0];
    await expect.poll(() => tray()?.tooltip).toBe('GameClips Companion: all caught up');
    expect(path.basename(tray()!.image.path)).toBe('tray-idle.png');
    expect(existsSync(tray()!.image.path)).toBe(true);
    await expect
      .poll(() => app.loginItemSettings())
      .toEqual([{ openAtLogin: false, args: ['--hidden'] }]);

    await page.evaluate(() => {
      const w = window as unknown as {
        focused: string[];
        companion: { events: { onClipsFocusRequested(fn: (p: { clipId: string }) => void): void } };
      };
      w.focused = [];
      w.companion.events.onClipsFocusRequested((payload) => w.focused.push(payload.clipId));
    });

    await makeClip(path.join(videos, 'Ace round.mp4'), { seconds: 2 });
    await expect.poll(() => tray()?.tooltip).toBe('GameClips Companion: 1 clip waiting for review');
    expect(tray()?.contextMenu?.getMenuItemById('open')?.label).toBe('Review 1 clip');
    await expect
      .poll(() => app.notifications().map((n) => n.options.title))
      .toEqual(['Clip ready for review']);
    expect(app.notifications()[0]?.options.body).toContain('Ace round.mp4');

    // The window open, a notification click focuses the clip in it.
    app.notifications()[0]!.emit('click');
    const [clipId] = await ledgerIds(userData);
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { focused: string[] }).focused))
      .toEqual([clipId]);

    // Closing keeps the app in the tray (the default) and, since issue 17 (P7), destroys the
    // window and its renderer; the notification builds it again, and it opens the clip.
    const first = window();
    first.close();
    expect(first.isDestroyed()).toBe(true);
    app.notifications()[0]!.emit('click');
    await expect.poll(() => app.windows().length).toBe(2);
    const rebuilt = () => app.windows()[1]!;
    await expect.poll(() => rebuilt().visible).toBe(true);
    const rebuiltPage = await app.windowPage(1);
    await expect(rebuiltPage.getByTestId('clip-editor')).toHaveAttribute('data-clip-id', clipId!);

    // A second launch focuses the first instead of starting another app.
    rebuilt().close();
    app.secondInstance(['/opt/gameclips/gameclips-companion'], home.dir);
    await expect.poll(() => app.windows().length).toBe(3);
    await expect.poll(() => app.windows()[2]?.visible).toBe(true);

    // The tray's folder item opens the watched folder; its quit item quits.
    tray()?.contextMenu?.getMenuItemById('open-folder')?.click?.();
    expect(app.openedPaths).toEqual([videos]);
    tray()?.contextMenu?.getMenuItemById('quit')?.click?.();
    expect(await app.exited).toBe(0);
  } finally {
    await home.cleanup();
  }
});

test('a start at login stays hidden in the tray and registers the login item', async () => {
  const home = await tempDir('gc-e2e-login-');
  const userData = path.join(home.dir, 'user-data');
  const videos = path.join(home.dir, 'Videos');
  const appData = path.join(home.dir, 'config');
  await mkdir(videos, { recursive: true });
  await mkdir(userData, { recursive: true });
  const settings = defaultSettings(videos);
  await writeFile(
    path.join(userData, 'settings.json'),
    JSON.stringify({ ...settings, desktop: { ...settings.desktop, startAtLogin: true } }),
  );
  // The login item starts the app with --hidden (main reads its own command line).
  const argv = process.argv;
  process.argv = [...argv, '--hidden'];
  try {
    const app = launchBuiltApp({ paths: { userData, videos, appData } });
    await expect.poll(() => app.trays().length).toBe(1);
    process.argv = argv;
    // Hidden means no window and no renderer at all until the user opens one (P7).
    expect(app.windows()).toHaveLength(0);
    await expect
      .poll(() => app.loginItemSettings())
      .toEqual([{ openAtLogin: true, args: ['--hidden'] }]);
    await expect
      .poll(() =>
        readFile(path.join(appData, 'autostart', 'gameclips-companion.desktop'), 'utf8').catch(
          () => '',
        ),
      )
      .toMatch(/^Exec=".+" --hidden$/mu);

    app.trays()[0]?.contextMenu?.getMenuItemById('open')?.click?.();
    await expect.poll(() => app.windows()[0]?.visible).toBe(true);
    expect(await app.quit()).toBe(0);
  } finally {
    process.argv = argv;
    await home.cleanup();
  }
});

test('in the field: log file, crash reports, a killed window, Help and diagnostics, in zh-TW', async () => {
  test.setTimeout(240_000);
  const home = await tempDir('gc-e2e-field-');
  const userData = path.join(home.dir, 'user-data');
  const videos = path.join(home.dir, 'Videos');
  const zip = path.join(home.dir, 'report.zip');
  await mkdir(videos, { recursive: true });
  await mkdir(userData, { recursive: true });
  // The previous run was killed: its marker is still there.
  await writeFile(path.join(userData, 'running.marker'), '4242 2026-11-30T00:00:00.000Z\n');
  try {
    const app = launchBuiltApp({
      paths: { userData, videos, appData: path.join(home.dir, 'config'), downloads: home.dir },
      locale: 'zh-TW',
    });
    const page = await app.firstWindow();
    const messages = () => app.messageBoxes().map((box) => box.message);
    // Said once, in the user's language; crash dumps kept locally.
    await expect.poll(messages).toEqual(['GameClips Companion 上次沒有正常關閉']);
    expect(app.crashReporterOptions()).toMatchObject({ uploadToServer: false });
    await expect.poll(() => app.trays()[0]?.tooltip).toBe('GameClips Companion：全部處理完畢');
    const log = path.join(userData, 'logs', 'main.log');
    await expect
      .poll(() => readFile(log, 'utf8').catch(() => ''))
      .toContain('the previous run did not end cleanly');

    // A killed renderer: the window is reloaded once, and the user told.
    const crash = async (target: typeof page) => {
      const cdp = await target.context().newCDPSession(target);
      void cdp.send('Page.crash').catch(() => undefined);
    };
    await crash(page);
    await expect
      .poll(() => app.notifications().map((n) => n.options.title))
      .toContain('視窗已重新開啟');
    let reloaded = page;
    await expect
      .poll(async () => (reloaded = await app.windowPage(0)) !== page, { timeout: 60_000 })
      .toBe(true);
    await expect(reloaded.locator('body')).not.toBeEmpty();
    await expect.poll(() => readFile(log, 'utf8')).toMatch(/window renderer gone .*crashed/u);

    // Again within a minute: a crash loop. No more reloads; a dialog with "Open logs".
    await crash(reloaded);
    await expect.poll(messages).toContain('視窗一再意外關閉');
    await expect.poll(() => app.openedPaths).toContain(path.join(userData, 'logs'));
    expect(await app.windowPage(0)).toBe(reloaded);

    // Help > Export diagnostics, without captions.
    const help = app
      .applicationMenu()!
      .items.flatMap((item) => (Array.isArray(item.submenu) ? item.submenu : [])) as Array<{
      id?: string;
      label?: string;
      click?: () => void;
    }>;
    expect(help.map((item) => item.label)).toEqual(
      expect.arrayContaining([
        '開啟記錄檔資料夾',
        '匯出診斷資料…',
        '鍵盤快速鍵',
        '關於 GameClips Companion',
      ]),
    );
    app.queueMessageBox({ response: 0, checkboxChecked: false });
    app.queueSaveDialog({ canceled: false, filePath: zip });
    help.find((item) => item.id === 'help-export-diagnostics')?.click?.();
    await expect.poll(() => existsSync(zip), { timeout: 30_000 }).toBe(true);
    const { unzipSync } = await import('fflate');
    const files = unzipSync(new Uint8Array(await readFile(zip)));
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining(['about.json', 'settings.json', 'ledger.json', 'logs/main.log']),
    );
    expect(files['captions.json']).toBeUndefined();

    // A clean quit removes the marker: the next start says nothing.
    expect(await app.quit()).toBe(0);
    expect(existsSync(path.join(userData, 'running.marker'))).toBe(false);
  } finally {
    await home.cleanup();
  }
});
