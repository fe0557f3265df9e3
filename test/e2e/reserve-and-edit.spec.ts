/**
 * The walking skeleton end to end: a clip written by ffmpeg into the watched folder is reserved
 * on the embedded sandbox, shown in the window with its gameClipId, and a caption typed there
 * survives a restart of the app.
 */
import { expect, test } from '@playwright/test';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { launchBuiltApp } from '../electron-stand-in/load-main';
import { makeClip, tempDir } from '../support/clips';

test('a finished clip is reserved, shown, and its edited caption survives a restart', async () => {
  const home = await tempDir('gc-e2e-');
  const userData = path.join(home.dir, 'user-data');
  const videos = path.join(home.dir, 'Videos');
  await import('node:fs/promises').then((fs) => fs.mkdir(videos, { recursive: true }));
  try {
    const first = launchBuiltApp({ paths: { userData, videos } });
    const page = await first.firstWindow();
    await expect(page.getByText('GameClips Companion').first()).toBeVisible();

    // ffmpeg writes the clip in place, as a recorder does; the gate must wait for the end.
    await makeClip(path.join(videos, 'Ace round.mp4'), { seconds: 3 });
    const card = page.getByTestId('clip-card');
    await expect(card).toHaveCount(1);
    await expect(card).toContainText('Ace round.mp4');
    await card.getByTestId('open-editor').click();
    const gameClipId = page.getByTestId('game-clip-id');
    await expect(gameClipId).toHaveText(
      /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/u,
    );
    const reservedId = ((await gameClipId.textContent()) ?? '').match(/[0-9a-f-]{36}/u)?.[0];

    const caption = page.getByTestId('caption-input');
    await caption.fill('Clutch 1v4 on Inferno 🔥');
    await caption.blur();
    // The draft is in the ledger on disk, not just in the page.
    await expect.poll(async () => ledgerCaptions(userData)).toEqual(['Clutch 1v4 on Inferno 🔥']);

    expect(await first.quit()).toBe(0);

    const second = launchBuiltApp({ paths: { userData, videos } });
    const page2 = await second.firstWindow();
    await expect(page2.getByTestId('clip-card')).toHaveCount(1);
    await page2.getByTestId('open-editor').click();
    await expect(page2.getByTestId('caption-input')).toHaveValue('Clutch 1v4 on Inferno 🔥');
    await expect(page2.getByTestId('game-clip-id')).toContainText(reservedId ?? 'missing');
    expect(await second.quit()).toBe(0);

    // Exactly one reservation exists on the sandbox for the one clip, across both runs.
    const records = await ledgerRecords(userData);
    expect(records).toHaveLength(1);
    expect(records[0]?.reserveAttempts).toBe(1);
  } finally {
    await home.cleanup();
  }
});

async function ledgerRecords(
  userData: string,
): Promise<Array<{ draft: { caption: string }; reserveAttempts: number }>> {
  const folder = path.join(userData, 'ledger');
  const names = (await readdir(folder).catch(() => [])).filter((name) => name.endsWith('.json'));
  return Promise.all(
    names.map(async (name) => JSON.parse(await readFile(path.join(folder, name), 'utf8'))),
  );
}

async function ledgerCaptions(userData: string): Promise<string[]> {
  return (await ledgerRecords(userData)).map((record) => record.draft.caption);
}
