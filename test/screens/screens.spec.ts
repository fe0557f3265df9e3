/**
 * Renders the window's main screens into assets/screenshots/ with real data: the built app
 * through the Electron stand-in, the embedded sandbox, clips written by ffmpeg, states reached
 * with the sandbox's own fault injection. `npm run screenshots` writes them into assets/screenshots/;
 * `npm test` runs the same scenes in a quick mode (light only, into a temporary folder), so the
 * command cannot silently break again.
 */
import { expect, test, type Page } from '@playwright/test';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { dropFiles } from '../electron-stand-in/stand-in';
import { startApp, type RunningApp } from '../e2e/support/app';
import { makeClip } from '../support/clips';

const OUT = process.env.GC_SCREENS_OUT ?? path.resolve(__dirname, '../../assets/screenshots');
const SCHEMES = process.env.GC_SCREENS_QUICK ? (['light'] as const) : (['light', 'dark'] as const);

async function shoot(page: Page, name: string): Promise<void> {
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    // Let video frames settle after the scheme flip.
    await page.waitForTimeout(150);
    await page.screenshot({ path: path.join(OUT, `${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

async function thumbsReady(page: Page): Promise<void> {
  await expect
    .poll(() =>
      page.evaluate(() =>
        Array.from(document.querySelectorAll<HTMLVideoElement>('[data-testid="clip-thumb"]')).every(
          (video) => video.readyState >= 2,
        ),
      ),
    )
    .toBe(true);
}

test('the main screens', async () => {
  // A low bandwidth cap (a setting) keeps one upload in flight long enough to be seen.
  const app: RunningApp = await startApp({
    settings: { uploads: { parallelBlocks: 2, bandwidthCapBytesPerSecond: 400_000 } },
  });
  const { page } = app;
  try {
    await page.setViewportSize({ width: 1280, height: 800 });
    const card = (name: string) => page.getByTestId('clip-card').filter({ hasText: name });

    // One clip already published, for the history.
    await makeClip(path.join(app.videos, 'Ace round.mp4'), { seconds: 4 });
    await expect(card('Ace round')).toHaveAttribute('data-state', 'reserved');
    await card('Ace round').getByTestId('open-editor').click();
    await page.getByTestId('caption-input').fill('Ace on the last round of the night');
    await page.getByTestId('visibility-Public').check();
    await page.getByTestId('editor-send').click();
    await page.getByTestId('nav-history').click();
    await expect(card('Ace round')).toHaveAttribute('data-state', 'published', { timeout: 60_000 });
    await page.getByTestId('nav-pending').click();

    await makeClip(path.join(app.videos, 'Late night ranked.mp4'), { seconds: 3, size: '640x360' });
    await expect(card('Late night')).toHaveAttribute('data-state', 'reserved');
    await makeClip(path.join(app.videos, 'Speedrun PB.mp4'), { seconds: 5, size: '640x360' });
    await expect(card('Speedrun PB')).toHaveAttribute('data-state', 'reserved');

    // Signed out for real: the 401 and the one account refresh the app tries after it both fail.
    await app.fault({ route: 'reserve', status: 401, times: 2 });
    await makeClip(path.join(app.videos, 'Signed out session.mp4'), {
      seconds: 2,
      size: '640x360',
    });
    await expect(card('Signed out')).toHaveAttribute('data-state', 'blocked');

    await writeFile(path.join(app.videos, 'notes.mp4'), 'not a video at all');

    // A bigger clip uploading under the cap: progress and time left on its row.
    await makeClip(path.join(app.videos, 'Clutch 1v4 on Inferno.mp4'), {
      seconds: 8,
      size: '1280x720',
      bitrate: '6M',
    });
    await expect(card('Clutch 1v4')).toHaveAttribute('data-state', 'reserved');
    // Last of the reservations: a Retry-After pauses every reservation for its length, as the
    // service asked, so a clip after this one would wait an hour.
    await app.fault({ route: 'reserve', status: 429, retryAfter: 3600, times: 1 });
    await makeClip(path.join(app.videos, 'Boss fight.mp4'), { seconds: 7, size: '640x360' });
    await expect(card('Boss fight')).toHaveAttribute('data-state', 'waiting-retry');
    await card('Clutch 1v4').getByTestId('send').click();
    await expect(card('Clutch 1v4').getByTestId('upload-eta')).toContainText(/\d.* left/u, {
      timeout: 30_000,
    });
    await card('Speedrun PB').getByTestId('show-clip-id').click();
    await thumbsReady(page);
    await shoot(page, 'pending');

    // The editor with the thumbnail picker.
    await card('Speedrun PB').getByTestId('open-editor').click();
    const editor = page.getByTestId('clip-editor');
    await editor.getByTestId('caption-input').fill('New personal best, 14:32 🏁');
    await editor.getByTestId('visibility-Title').check();
    await expect(editor.getByTestId('filmstrip-frame').locator('img')).toHaveCount(8);
    await editor.getByTestId('filmstrip-frame').nth(4).click();
    await page.waitForTimeout(300);
    // A taller window shows the whole editor, the picker included.
    await page.setViewportSize({ width: 1280, height: 1040 });
    await editor.evaluate((element) => element.scrollTo(0, 0));
    await shoot(page, 'editor');
    await page.setViewportSize({ width: 1280, height: 800 });

    // A drop in progress.
    await dropFiles(
      page,
      'body',
      [{ path: path.join(app.videos, 'Speedrun PB.mp4'), name: 'Speedrun PB.mp4' }],
      'hover',
    );
    await expect(page.getByTestId('drop-overlay')).toBeVisible();
    await shoot(page, 'drop');
    await page.dispatchEvent('body', 'dragleave');

    await page.getByTestId('nav-history').click();
    await thumbsReady(page);
    await shoot(page, 'history');

    await page.getByTestId('nav-settings').click();
    await shoot(page, 'settings');

    await page.getByTestId('language').selectOption('zh-TW');
    await page.getByTestId('nav-pending').click();
    await thumbsReady(page);
    await shoot(page, 'pending-zh-tw');
  } finally {
    await app.close();
  }
});
