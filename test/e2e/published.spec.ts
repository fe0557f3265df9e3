/**
 * Issue 16, items 1 and 2, in the window: publish a clip, play it in the app, copy its link, open
 * the copied link in a second browser context and see the video play with the file's bytes; a
 * Public clip's link is its share page (Open Graph tags); an Owner clip has no share page, so its
 * link is the download link, and once that expires a new copy is a working link again.
 */
import { expect, test, type Browser } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { makeClip } from '../support/clips';
import { publishFromWindow, startApp, type RunningApp } from './support/app';

let app: RunningApp | undefined;

test.afterEach(async () => {
  await app?.close();
  app = undefined;
  delete process.env.GAMECLIPS_SANDBOX_LINK_TTL_MS;
});

/** Opens `url` in a fresh browser context (another person's browser) and checks it plays. */
async function openElsewhere(browser: Browser, url: string) {
  const context = await browser.newContext();
  try {
    const other = await context.newPage();
    const response = await other.goto(url);
    expect(response?.status()).toBe(200);
    const html = (await response?.text()) ?? '';
    return { context, other, html, contentType: response?.headers()['content-type'] ?? '' };
  } catch (error) {
    await context.close();
    throw error;
  }
}

test('a Public clip: play in the app, copy its share link, another browser plays the same bytes', async () => {
  test.setTimeout(180_000);
  app = await startApp({ settings: {} });
  const { page } = app;
  const file = await makeClip(path.join(app.videos, 'Share me.mp4'), { seconds: 2 });
  const bytes = await readFile(file);
  const published = await publishFromWindow(page, 'Share me.mp4', { visibility: 'Public' });

  // Plays in the window (the file is still on disk).
  await published.getByTestId('open-editor').click();
  const video = page.getByTestId('clip-editor').getByTestId('published-video');
  await expect
    .poll(() => video.evaluate((element: HTMLVideoElement) => element.readyState), {
      timeout: 60_000,
    })
    .toBeGreaterThanOrEqual(2);
  await video.evaluate((element: HTMLVideoElement) => element.play());
  await expect
    .poll(() => video.evaluate((element: HTMLVideoElement) => element.currentTime), {
      timeout: 60_000,
    })
    .toBeGreaterThan(0);

  // Copy link: main writes the share page's link to the clipboard.
  await published.getByTestId('copy-link').click();
  const status = published.getByTestId('copied-link');
  await expect(status).toBeVisible();
  const copied = app.standIn.copiedTexts.at(-1)!;
  expect(await status.getAttribute('data-url')).toBe(copied);
  const sandboxUrl = await app.sandboxUrl();
  expect(copied).toMatch(new RegExp(`^${sandboxUrl}/share/[A-Za-z0-9_-]{24}$`));

  const browser = page.context().browser()!;
  const elsewhere = await openElsewhere(browser, copied);
  try {
    expect(elsewhere.contentType).toMatch(/^text\/html/);
    expect(elsewhere.html).toContain('<meta property="og:type" content="video.other">');
    expect(elsewhere.html).toContain(`<meta property="og:video" content="${copied}/video">`);
    const shared = elsewhere.other.locator('video#clip');
    await expect
      .poll(() => shared.evaluate((element: HTMLVideoElement) => element.readyState), {
        timeout: 60_000,
      })
      .toBeGreaterThanOrEqual(1);
    const served = await elsewhere.other.request.get(`${copied}/video`);
    expect(served.status()).toBe(200);
    expect(Buffer.from(await served.body()).equals(bytes)).toBe(true);
  } finally {
    await elsewhere.context.close();
  }

  // "Open in browser" opens that same page, by id, from the click.
  await published.getByTestId('open-in-browser').click();
  await expect.poll(() => app!.standIn.openedExternally.at(-1)).toBe(copied);

  // The History screen links to the built-in service's gallery, which lists this clip.
  await page.getByTestId('open-gallery').click();
  await expect
    .poll(() => app!.standIn.openedExternally.at(-1))
    .toMatch(new RegExp(`^${sandboxUrl}/gallery\\?`));
  const gallery = await fetch(app.standIn.openedExternally.at(-1)!);
  expect(gallery.status).toBe(200);
  const clipId = await published.getAttribute('data-clip-id');
  const record = (await app.ledger()).find((r) => r.id === clipId);
  expect(await gallery.text()).toContain(`data-clip="${record!.reservation!.gameClipId}"`);
});

test('an Owner clip has no share page; its copied link works, and after it expires a new copy works', async () => {
  test.setTimeout(180_000);
  process.env.GAMECLIPS_SANDBOX_LINK_TTL_MS = '4000';
  app = await startApp({ settings: {} });
  const { page } = app;
  const file = await makeClip(path.join(app.videos, 'Private.mp4'), { seconds: 3 });
  const bytes = await readFile(file);
  const published = await publishFromWindow(page, 'Private.mp4', { visibility: 'Owner' });
  const sandboxUrl = await app.sandboxUrl();
  const browser = page.context().browser()!;

  await published.getByTestId('copy-link').click();
  await expect(published.getByTestId('copied-link')).toBeVisible();
  const first = app.standIn.copiedTexts.at(-1)!;
  expect(first.startsWith(`${sandboxUrl}/content/`)).toBe(true);
  expect(first).not.toContain('/share/');
  const context = await browser.newContext();
  try {
    const fetched = await context.request.get(first);
    expect(fetched.status()).toBe(200);
    expect(Buffer.from(await fetched.body()).equals(bytes)).toBe(true);
    // Let it expire: the service refuses it (403) once its `se` has passed.
    await expect
      .poll(async () => (await context.request.get(first)).status(), { timeout: 60_000 })
      .toBe(403);

    // Copy again: main fetches a fresh link first; the copied link works.
    await published.getByTestId('copy-link').click();
    await expect.poll(() => app!.standIn.copiedTexts.length).toBe(2);
    const second = app.standIn.copiedTexts.at(-1)!;
    expect(second).not.toBe(first);
    const again = await context.request.get(second);
    expect(again.status()).toBe(200);
    expect(Buffer.from(await again.body()).equals(bytes)).toBe(true);

    // On request, an Owner clip gets a share page too; revoking it makes the page 404.
    await published.getByTestId('make-share-page').click();
    await expect.poll(() => app!.standIn.copiedTexts.length).toBe(3);
    const page3 = app.standIn.copiedTexts.at(-1)!;
    expect(page3).toMatch(new RegExp(`^${sandboxUrl}/share/[A-Za-z0-9_-]{24}$`));
    expect((await context.request.get(page3)).status()).toBe(200);
    await published.getByTestId('revoke-share-page').click();
    await expect(published.getByTestId('copy-link-problem')).toContainText('revoked');
    expect((await context.request.get(page3)).status()).toBe(404);
    expect((await context.request.get(`${page3}/video`)).status()).toBe(404);
  } finally {
    await context.close();
  }
});

test('remove from the service: one with a confirmation, then the rest as a batch; files stay', async () => {
  test.setTimeout(180_000);
  app = await startApp({ settings: {} });
  const { page } = app;
  const first = await makeClip(path.join(app.videos, 'First.mp4'), { seconds: 2 });
  const second = await makeClip(path.join(app.videos, 'Second.mp4'), { seconds: 3 });
  const before = [await readFile(first), await readFile(second)];
  const one = await publishFromWindow(page, 'First.mp4', { visibility: 'Public' });
  const two = await publishFromWindow(page, 'Second.mp4', { visibility: 'Public' });
  await two.getByTestId('copy-link').click();
  await expect(two.getByTestId('copied-link')).toBeVisible();
  const shareOfSecond = app.standIn.copiedTexts.at(-1)!;
  expect((await fetch(shareOfSecond)).status).toBe(200);

  const sandboxUrl = await app.sandboxUrl();
  const account = JSON.parse(
    await readFile(path.join(app.userData, 'sandbox-account.json'), 'utf8'),
  ) as { account: { authorization: string; scid: string } };
  const onService = async (name: string) => {
    const clipId = await (name === 'First.mp4' ? one : two).getAttribute('data-clip-id');
    const record = (await app!.ledger()).find((r) => r.id === clipId);
    const response = await fetch(
      `${sandboxUrl}/users/me/scids/${account.account.scid}/clips/${record!.reservation!.gameClipId}`,
      {
        headers: {
          Authorization: account.account.authorization,
          'X-RequestedServiceVersion': '1',
        },
      },
    );
    return response.status;
  };
  expect(await onService('First.mp4')).toBe(200);

  // One, after its confirmation.
  await one.getByTestId('remove-from-service').click();
  await one.getByTestId('confirm-remove-from-service').click();
  await expect(one.getByTestId('not-online')).toBeVisible();
  await expect(one.getByTestId('copy-link')).toHaveCount(0);
  expect(await onService('First.mp4')).toBe(404);
  expect(await onService('Second.mp4')).toBe(200);

  // The rest as a batch: only the clips still online are counted.
  await page.getByTestId('remove-many-from-service').click();
  await page.getByTestId('confirm-remove-many-from-service').click();
  await expect(page.getByTestId('removed-from-service')).toContainText('1 removed');
  await expect(two.getByTestId('not-online')).toBeVisible();
  expect(await onService('Second.mp4')).toBe(404);
  expect((await fetch(shareOfSecond)).status).toBe(404);
  await expect(page.getByTestId('remove-many-from-service')).toBeDisabled();

  // The files on disk are untouched.
  expect((await readFile(first)).equals(before[0]!)).toBe(true);
  expect((await readFile(second)).equals(before[1]!)).toBe(true);
});

test('storage in Settings: past a small cap the oldest clip goes, the user is told, files stay', async () => {
  test.setTimeout(180_000);
  app = await startApp({ settings: {} });
  const { page } = app;
  const older = await makeClip(path.join(app.videos, 'Older.mp4'), { seconds: 2 });
  const one = await publishFromWindow(page, 'Older.mp4', { visibility: 'Owner' });
  await page.getByTestId('nav-pending').click();
  const newer = await makeClip(path.join(app.videos, 'Newer.mp4'), { seconds: 3 });
  const two = await publishFromWindow(page, 'Newer.mp4', { visibility: 'Owner' });
  const before = [await readFile(older), await readFile(newer)];

  await page.getByTestId('nav-settings').click();
  const section = page.getByTestId('service-storage');
  const summary = section.getByTestId('service-storage-summary');
  await expect(summary).toContainText('2 clips');
  await expect(section.getByTestId('service-storage-folder')).toHaveText(
    path.join(app.userData, 'sandbox'),
  );
  const total = Number(await summary.getAttribute('data-total-bytes'));
  expect(total).toBeGreaterThan(before[0]!.length);

  // A cap one byte under what it holds: exactly one clip (the oldest) has to go.
  await section.getByTestId('storage-cap-mb').fill(String((total - 1) / (1024 * 1024)));
  await section.getByTestId('storage-apply-cap').click();
  await expect(section.getByTestId('service-storage-message')).toContainText(
    '1 clips removed from the service to stay under the cap',
  );
  await expect(summary).toContainText('1 clips');

  await page.getByTestId('nav-history').click();
  await expect(one.getByTestId('not-online')).toBeVisible();
  await expect(two.getByTestId('copy-link')).toBeVisible();

  // Then everything older than 0 days: the rest goes.
  await page.getByTestId('nav-settings').click();
  await section.getByTestId('storage-days').fill('0');
  await section.getByTestId('storage-remove-older').click();
  await expect(section.getByTestId('service-storage-message')).toContainText(
    '1 older clips removed',
  );
  await expect(summary).toContainText('0 clips');
  await page.getByTestId('nav-history').click();
  await expect(two.getByTestId('not-online')).toBeVisible();

  expect((await readFile(older)).equals(before[0]!)).toBe(true);
  expect((await readFile(newer)).equals(before[1]!)).toBe(true);
});
