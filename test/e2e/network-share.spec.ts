/* eslint-disable @microsoft/sdl/no-insecure-url -- the built-in service is plain http on the LAN address, by design */
/**
 * Issue 16, item 3, in the window: turn on "Share on my network" in Settings (it applies at once),
 * copy a published clip's link, see "Anyone on your network with the link can open it", and fetch
 * the copied link from this computer's network address (the same bytes as the file); the gallery
 * is refused there. Turned off again: the copied link is the loopback one, the window says "Only
 * this computer", and nothing answers on the network address.
 */
import { expect, test } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { get as httpGet } from 'node:http';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import { networkAddresses } from '../../app/service/network-share';
import { makeClip } from '../support/clips';
import { publishFromWindow, startApp, type RunningApp } from './support/app';

const lan = networkAddresses(networkInterfaces())[0];
let app: RunningApp | undefined;

test.afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** A GET on a fresh connection; 'refused' when nothing listens. */
function reach(url: string): Promise<number | 'refused'> {
  return new Promise((resolve, reject) => {
    const req = httpGet(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNREFUSED' ? resolve('refused') : reject(error),
    );
  });
}

test('share on my network: switch on, copy a link, a friend on the network opens it; off again', async () => {
  test.skip(lan === undefined, 'this machine has no non-loopback IPv4 address');
  test.setTimeout(180_000);
  app = await startApp({ settings: {} });
  const { page } = app;
  const file = await makeClip(path.join(app.videos, 'Network.mp4'), { seconds: 2 });
  const bytes = await readFile(file);
  const published = await publishFromWindow(page, 'Network.mp4', { visibility: 'Public' });
  const sandboxUrl = await app.sandboxUrl();
  const port = new URL(sandboxUrl).port;

  // Off by default: the History header says only this computer; nothing on the network address.
  await expect(page.getByTestId('history-section').getByTestId('link-reach').first()).toHaveText(
    'Only this computer can open these links',
  );
  expect(await reach(`http://${lan}:${port}/gallery`)).toBe('refused');

  // Settings: turn it on. It applies at once and names the address used.
  await page.getByTestId('nav-settings').click();
  const section = page.getByTestId('network-share');
  await expect(section.getByTestId('network-share-reach')).toHaveText(
    'Only this computer can open these links',
  );
  // The switch shows what main saved, so it turns once main has answered (not at the click).
  await section.getByTestId('network-share-switch').click();
  await expect(section.getByTestId('network-share-switch')).toBeChecked();
  await expect(section.getByTestId('network-share-reach')).toHaveText(
    'Anyone on your network with the link can open it',
    { timeout: 30_000 },
  );
  await expect(section.getByTestId('network-share-addresses')).toContainText(
    `http://${lan}:${port}`,
  );

  // Copy link: the network form of the share page, and the sentence beside it.
  await page.getByTestId('nav-history').click();
  await published.getByTestId('copy-link').click();
  await expect(published.getByTestId('copied-link')).toBeVisible();
  const copied = app.standIn.copiedTexts.at(-1)!;
  expect(copied).toMatch(
    new RegExp(`^http://${lan!.replaceAll('.', '\\.')}:${port}/share/[A-Za-z0-9_-]{24}$`),
  );
  await expect(published.getByTestId('link-reach')).toHaveText(
    'Anyone on your network with the link can open it',
  );

  // A friend's browser on the network: the page and the same bytes, from the network address.
  const browser = page.context().browser()!;
  const friend = await browser.newContext();
  try {
    const opened = await friend.request.get(copied);
    expect(opened.status()).toBe(200);
    expect(await opened.text()).toContain(`<meta property="og:video" content="${copied}/video">`);
    const video = await friend.request.get(`${copied}/video`);
    expect(video.status()).toBe(200);
    expect(Buffer.from(await video.body()).equals(bytes)).toBe(true);
    // Nothing else answers there: the gallery and the API are refused.
    expect((await friend.request.get(`http://${lan}:${port}/gallery`)).status()).toBe(403);
    expect((await friend.request.get(`http://${lan}:${port}/sandbox/health`)).status()).toBe(403);
  } finally {
    await friend.close();
  }

  // Off again: the copied link is the loopback one, and the network address is silent.
  await page.getByTestId('nav-settings').click();
  await section.getByTestId('network-share-switch').click();
  await expect(section.getByTestId('network-share-switch')).not.toBeChecked();
  await expect(section.getByTestId('network-share-reach')).toHaveText(
    'Only this computer can open these links',
    { timeout: 30_000 },
  );
  expect(await reach(copied)).toBe('refused');
  await page.getByTestId('nav-history').click();
  await published.getByTestId('copy-link').click();
  await expect.poll(() => app!.standIn.copiedTexts.length).toBe(2);
  const local = app.standIn.copiedTexts.at(-1)!;
  expect(local).toBe(copied.replace(`http://${lan}:${port}`, sandboxUrl));
  await expect(published.getByTestId('link-reach')).toHaveText(
    'Only this computer can open these links',
  );
  expect(await reach(local)).toBe(200);
});
