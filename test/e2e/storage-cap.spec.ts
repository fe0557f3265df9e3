/**
 * Issue 16, item 5, in the window: the storage cap is a stored setting, and the app applies it by
 * itself after each publish: past it, the oldest clip not marked saved leaves the built-in service,
 * a line tells the user, its History row says it is no longer online, and the file stays.
 */
import { expect, test } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { makeClip } from '../support/clips';
import { publishFromWindow, startApp, type RunningApp } from './support/app';

let app: RunningApp | undefined;

test.afterEach(async () => {
  await app?.close();
  app = undefined;
});

test('a stored cap is applied after the next publish: the oldest clip goes, the user is told, the file stays', async () => {
  test.setTimeout(240_000);
  app = await startApp({ settings: {} });
  const { page } = app;
  // The newer clip is the smaller: it fits under the cap alone, once the older one is gone.
  const olderFile = await makeClip(path.join(app.videos, 'Older.mp4'), { seconds: 4 });
  const older = await publishFromWindow(page, 'Older.mp4');
  const olderBytes = await readFile(olderFile);

  // Store a cap exactly what the service holds now: nothing has to go yet.
  await page.getByTestId('nav-settings').click();
  const section = page.getByTestId('service-storage');
  const summary = section.getByTestId('service-storage-summary');
  await expect(summary).toContainText('1 clips');
  const total = Number(await summary.getAttribute('data-total-bytes'));
  await section.getByTestId('storage-cap-mb').fill(String(total / (1024 * 1024)));
  await section.getByTestId('storage-apply-cap').click();
  await expect(section.getByTestId('service-storage-message')).toContainText('0 clips removed');
  await expect(section.getByTestId('storage-cap-kept')).toContainText('Kept automatically');
  // Stored: it survives a restart.
  const stored = JSON.parse(await readFile(path.join(app.userData, 'settings.json'), 'utf8')) as {
    serviceStorage?: { capBytes?: number };
  };
  expect(stored.serviceStorage?.capBytes).toBe(total);

  // The next publish passes the cap: the app removes the older clip by itself and says so.
  await makeClip(path.join(app.videos, 'Newer.mp4'), { seconds: 2 });
  const newer = await publishFromWindow(page, 'Newer.mp4');
  const notice = page.getByTestId('storage-trimmed-notice');
  await expect(notice).toContainText(
    '1 old clip was removed from the built-in service to stay under',
    { timeout: 60_000 },
  );
  await expect(older.getByTestId('not-online')).toBeVisible();
  await expect(newer.getByTestId('copy-link')).toBeVisible();
  expect((await readFile(olderFile)).equals(olderBytes)).toBe(true);

  await page.getByTestId('nav-settings').click();
  await expect(summary).toContainText('1 clips');
  await notice.getByTestId('storage-trimmed-dismiss').click();
  await expect(notice).toHaveCount(0);
});
