/**
 * The stand-in's Chromium must look like an Electron window's renderer, not like a browser: no
 * omnibox popups loading beside the app's page. Its `--disable-features` replaces Playwright's
 * (Chromium keeps the last one given), so it must also still carry every feature Playwright
 * turns off.
 */
import { readdir, readFile } from 'node:fs/promises';
import { chromium, type Browser } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BROWSER_CHROME_FEATURES,
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  PLAYWRIGHT_DISABLED_FEATURES,
} from './stand-in';

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
});

/** The command lines of this process's children that are a Chromium Playwright drives. */
async function launchedChromiumCommandLines(): Promise<string[][]> {
  const found: string[][] = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/u.test(pid)) continue;
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    if (!new RegExp(`^PPid:\\s+${process.pid}$`, 'mu').test(status)) continue;
    const args = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => ''))
      .split('\0')
      .filter(Boolean);
    if (args.includes('--remote-debugging-pipe')) found.push(args);
  }
  return found;
}

const featuresIn = (switchValue: string) =>
  switchValue.slice('--disable-features='.length).split(',').filter(Boolean);

describe("the stand-in's Chromium", () => {
  it('keeps every feature Playwright turns off, in the one --disable-features Chromium applies', async () => {
    const lines = await launchedChromiumCommandLines();
    expect(lines).toHaveLength(1);
    const switches = lines[0]!.filter((arg) => arg.startsWith('--disable-features='));
    // Playwright's own comes first, the stand-in's last; Chromium applies only the last.
    const applied = featuresIn(switches.at(-1)!);
    const playwrights = switches.slice(0, -1).flatMap(featuresIn);
    expect(playwrights.length).toBeGreaterThan(0);
    expect(
      playwrights.filter((name) => !applied.includes(name)),
      'Playwright turns these off and the stand-in copy lacks them: update PLAYWRIGHT_DISABLED_FEATURES',
    ).toEqual([]);
    expect(applied).toEqual(expect.arrayContaining([...BROWSER_CHROME_FEATURES]));
    expect(applied).toEqual(expect.arrayContaining([...PLAYWRIGHT_DISABLED_FEATURES]));
  });

  it('opens a window with nothing but the page: no omnibox popup renderers', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.setContent('<p>a window</p>');
      const cdp = await browser.newBrowserCDPSession();
      // The popups load with the window; give them the time they took before this was fixed.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const { targetInfos } = (await cdp.send('Target.getTargets')) as {
        targetInfos: Array<{ type: string; url: string }>;
      };
      expect(targetInfos.filter((target) => target.url.startsWith('chrome://'))).toEqual([]);
      expect(targetInfos.filter((target) => target.type === 'page')).toHaveLength(1);
    } finally {
      await context.close();
    }
  });
});
