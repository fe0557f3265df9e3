/**
 * Find any clip (issue 15 items 5 and 6): games labelled from where clips came from (a per-game
 * subfolder, Xbox Game Bar's file names, a folder's label in Settings, an edit per clip), and
 * search, filters and sort over the list, kept while the app runs.
 */
import { expect, test } from '@playwright/test';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { makeClip } from '../support/clips';
import { startApp } from './support/app';

test('games are labelled from folders and file names, and the list is searched, filtered and sorted', async () => {
  const app = await startApp({ settings: {} });
  const { page } = app;
  try {
    const card = (name: string) => page.getByTestId('clip-card').filter({ hasText: name });
    await mkdir(path.join(app.videos, 'Apex Legends'), { recursive: true });
    await makeClip(path.join(app.videos, 'Apex Legends', 'Third party wipe.mp4'), { seconds: 3 });
    await makeClip(path.join(app.videos, 'Halo Infinite 2023-05-01 19-22-10.mp4'), {
      seconds: 5,
    });
    await makeClip(path.join(app.videos, 'Plain clip.mp4'), { seconds: 2 });
    for (const name of ['Third party wipe', 'Halo Infinite', 'Plain clip'])
      await expect(card(name)).toHaveAttribute('data-state', 'reserved');

    await expect(card('Third party wipe').getByTestId('clip-game')).toHaveText('Apex Legends');
    await expect(card('Halo Infinite').getByTestId('clip-game')).toHaveText('Halo Infinite');
    await expect(card('Plain clip').getByTestId('clip-game')).toHaveCount(0);

    // Search: every word, any case.
    const find = page.getByTestId('find-pending');
    await find.getByTestId('find-text').fill('HALO');
    await expect(page.getByTestId('clip-card')).toHaveCount(1);
    await expect(find.getByTestId('find-summary')).toContainText('1');
    await find.getByTestId('find-text').fill('no clip is called this');
    await expect(page.getByTestId('find-nothing')).toBeVisible();
    await find.getByTestId('find-clear').click();
    await expect(page.getByTestId('clip-card')).toHaveCount(3);

    // Filter by game behind the Filters button, which then counts the filter; sort by length.
    await expect(find.getByTestId('find-panel')).toHaveCount(0);
    await find.getByTestId('find-filters').click();
    await expect(find.getByTestId('find-filters')).toHaveAttribute('aria-expanded', 'true');
    await find.getByTestId('find-game').selectOption('Apex Legends');
    await expect(page.getByTestId('clip-card')).toHaveCount(1);
    await expect(find.getByTestId('find-filters')).toHaveText('Filters (1)');
    await find.getByTestId('find-game').selectOption('');
    await find.getByTestId('find-sort').selectOption('longest');
    await expect(page.getByTestId('clip-card').first()).toContainText('Halo Infinite');
    await expect(page.getByTestId('clip-card').last()).toContainText('Plain clip');

    // The query is kept while the app runs: away to History and back.
    await page.getByTestId('nav-history').click();
    await page.getByTestId('nav-pending').click();
    await expect(page.getByTestId('find-sort')).toHaveValue('longest');
    await expect(find.getByTestId('find-panel')).toBeVisible();

    // A wrong or missing guess is corrected per clip, and can then be filtered on.
    await card('Plain clip').getByTestId('open-editor').click();
    const game = page.getByTestId('clip-editor').getByTestId('game-input');
    await game.fill('Minecraft');
    await game.press('Enter');
    await expect(card('Plain clip').getByTestId('clip-game')).toHaveText('Minecraft');
    await expect
      .poll(async () => (await app.ledger()).map((record) => record.draft))
      .toContainEqual(expect.objectContaining({ game: 'Minecraft' }));
    await find.getByTestId('find-game').selectOption('Minecraft');
    await expect(page.getByTestId('clip-card')).toHaveCount(1);
    await find.getByTestId('find-game').selectOption('');

    // A folder's label in Settings names the game of the clips it holds from then on.
    await page.getByTestId('nav-settings').click();
    const label = page.getByTestId('folder-label');
    await label.fill('Rocket League');
    await label.press('Enter');
    await expect
      .poll(async () => {
        const saved = JSON.parse(
          await import('node:fs/promises').then((fs) =>
            fs.readFile(path.join(app.userData, 'settings.json'), 'utf8'),
          ),
        ) as { folderLabels?: Record<string, string> };
        return Object.values(saved.folderLabels ?? {});
      })
      .toEqual(['Rocket League']);
    await page.getByTestId('nav-pending').click();
    // Other content than the clips above, or it would be refused as a duplicate.
    await makeClip(path.join(app.videos, 'Aerial goal.mp4'), { seconds: 4 });
    await expect(card('Aerial goal').getByTestId('clip-game')).toHaveText('Rocket League');
  } finally {
    await app.close();
  }
});
