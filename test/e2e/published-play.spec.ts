/**
 * Issue 16, item 1, in the window: a published clip whose file was deleted after publishing still
 * plays in History's editor, streamed by main from the service through the same
 * `gameclips-media://` URL (the window's CSP is unchanged); once it is removed from the service
 * too, the player says why instead of showing a broken video.
 */
import { expect, test } from '@playwright/test';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { makeClip } from '../support/clips';
import { publishFromWindow, startApp, type RunningApp } from './support/app';

let app: RunningApp | undefined;

test.afterEach(async () => {
  await app?.close();
  app = undefined;
});

test('a published clip whose file is gone plays from the service; removed from it, the player says why', async () => {
  test.setTimeout(180_000);
  app = await startApp({ settings: {} });
  const { page } = app;
  const file = await makeClip(path.join(app.videos, 'Gone.mp4'), { seconds: 3 });
  const published = await publishFromWindow(page, 'Gone.mp4');
  await rm(file);

  // The window's media policy still names only main's scheme (which the stand-in serves from
  // its own loopback origin), never the service.
  const csp = await page
    .locator('meta[http-equiv="Content-Security-Policy"]')
    .getAttribute('content');
  const scheme = await app.standIn.schemeOrigin('gameclips-media');
  expect(csp).toContain(`media-src gameclips-media: ${scheme};`);
  expect(csp).not.toContain(await app.sandboxUrl());

  await page.getByTestId('nav-pending').click();
  await page.getByTestId('nav-history').click();
  await published.getByTestId('open-editor').click();
  const video = page.getByTestId('clip-editor').getByTestId('published-video');
  // The same URL as for a file on disk (the stand-in maps the scheme to its loopback origin).
  await expect(video).toHaveAttribute(
    'src',
    `${scheme}/clip/${await published.getAttribute('data-clip-id')}`,
  );
  await expect
    .poll(() => video.evaluate((element: HTMLVideoElement) => element.duration), {
      timeout: 60_000,
    })
    .toBeGreaterThan(2);
  await video.evaluate((element: HTMLVideoElement) => element.play());
  await expect
    .poll(() => video.evaluate((element: HTMLVideoElement) => element.currentTime), {
      timeout: 60_000,
    })
    .toBeGreaterThan(0);

  // Removed from the service as well: neither copy is there, and the player says so.
  await published.getByTestId('remove-from-service').click();
  await published.getByTestId('confirm-remove-from-service').click();
  await expect(published.getByTestId('not-online')).toBeVisible();
  await page.getByTestId('nav-pending').click();
  await page.getByTestId('nav-history').click();
  await published.getByTestId('open-editor').click();
  await expect(page.getByTestId('clip-editor').getByTestId('published-video-missing')).toHaveText(
    'This clip is not on this computer any more and the service did not send it: it was removed from the service.',
    { timeout: 60_000 },
  );
});
