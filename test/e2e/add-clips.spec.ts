/**
 * "Add clips..." (issue 15, item 4) through the built app and the Electron stand-in: the button
 * on the empty Pending screen, the one in Pending's header and the File menu item all open main's
 * own dialog (the stand-in's dialog is given the files a user would pick), register real ffmpeg
 * clips, and answer each file as a drop does. A refused file leaves no record (issue 14, item 4).
 */
import { expect, test } from '@playwright/test';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { StandInMenuView } from '../electron-stand-in/stand-in';
import { makeClip } from '../support/clips';
import { startApp, type RunningApp } from './support/app';

let app: RunningApp | undefined;
test.afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** The File menu's item with `id`, as main built it. */
function fileMenuItem(menu: StandInMenuView | null, id: string) {
  const file = menu?.items.find((item) => item.label === 'File');
  const items = (file?.submenu ?? []) as Array<{
    id?: string;
    label?: string;
    accelerator?: string;
    click?: () => void;
  }>;
  return items.find((item) => item.id === id);
}

test('Add clips from the empty screen, the header and the File menu: real clips registered, each file answered', async () => {
  app = await startApp();
  const { page, standIn } = app;
  // Clips the user keeps outside the watched folder: only the dialog can bring them in.
  const elsewhere = path.join(app.home, 'Exports');
  await mkdir(path.join(elsewhere, 'Season 2'), { recursive: true });
  const first = await makeClip(path.join(elsewhere, 'Clutch.mp4'), { seconds: 2 });
  const notes = path.join(elsewhere, 'notes.txt');
  await writeFile(notes, 'not a clip\n');

  // 1. The empty screen's button, through main's dialog with video filters.
  const empty = page.getByTestId('empty-state');
  await expect(empty.getByTestId('add-clips')).toHaveText('Add clips…');
  standIn.queueOpenDialog({ canceled: false, filePaths: [first, notes] });
  await empty.getByTestId('add-clips').click();
  const latest = () => page.getByTestId('drop-results').locator('.drops__batch').first();
  const outcomes = latest().getByTestId('drop-outcome');
  await expect(outcomes).toHaveCount(2);
  await expect(outcomes.nth(0)).toHaveAttribute('data-outcome', 'accepted');
  await expect(outcomes.nth(0)).toContainText('Clutch.mp4');
  await expect(outcomes.nth(1)).toHaveAttribute('data-outcome', 'rejected');
  await expect(outcomes.nth(1)).toContainText('notes.txt');
  await expect(outcomes.nth(1)).toContainText('not a video');
  const dialog = standIn.openDialogs.at(-1) as {
    properties: string[];
    filters?: Array<{ extensions: string[] }>;
  };
  expect(dialog.properties).toContain('openFile');
  expect(dialog.properties).toContain('multiSelections');
  expect(dialog.filters?.[0]?.extensions).toEqual(['mp4', 'm4v', 'mov', 'mkv', 'webm']);
  const clutch = page.getByTestId('clip-card').filter({ hasText: 'Clutch.mp4' });
  await expect(clutch).toHaveAttribute('data-state', 'reserved', { timeout: 30_000 });
  // The refused text file left no record; the clip has one, reserved on the sandbox.
  await expect
    .poll(async () => (await app!.ledger()).map((record) => record.state))
    .toEqual(['reserved']);

  // 2. Pending's header: a folder of clips; a cancelled dialog changes nothing.
  const header = page.getByTestId('add-clips-header');
  await expect(header.getByTestId('add-clip-folder')).toHaveText('Add a folder…');
  await header.getByTestId('add-clips').click();
  await expect.poll(() => standIn.openDialogs.length).toBe(2);
  await expect(page.getByTestId('drop-results').locator('.drops__batch')).toHaveCount(1);
  await makeClip(path.join(elsewhere, 'Season 2', 'Ace.mkv'), { seconds: 3 });
  standIn.queueOpenDialog({ canceled: false, filePaths: [path.join(elsewhere, 'Season 2')] });
  await header.getByTestId('add-clip-folder').click();
  await expect(latest().getByTestId('drop-outcome')).toHaveCount(1);
  await expect(latest().getByTestId('drop-outcome')).toHaveAttribute('data-outcome', 'accepted');
  await expect(latest().getByTestId('drop-outcome')).toContainText('Ace.mkv');
  expect((standIn.openDialogs.at(-1) as { properties: string[] }).properties).toEqual([
    'openDirectory',
  ]);

  // 3. The File menu's "Add Clips…" (Ctrl/Cmd+O): the answers reach the window as a push.
  const item = fileMenuItem(standIn.applicationMenu(), 'add-clips');
  expect(item?.accelerator).toBe('CmdOrCtrl+O');
  const again = await makeClip(path.join(elsewhere, 'Again.webm'), { seconds: 4 });
  standIn.queueOpenDialog({ canceled: false, filePaths: [again, first] });
  item?.click?.();
  const menuOutcomes = latest().getByTestId('drop-outcome');
  await expect(menuOutcomes).toHaveCount(2);
  await expect(menuOutcomes.nth(0)).toHaveAttribute('data-outcome', 'accepted');
  await expect(menuOutcomes.nth(0)).toContainText('Again.webm');
  // The clip added before is already in the list: answered as such, not added twice.
  await expect(menuOutcomes.nth(1)).toHaveAttribute('data-outcome', 'duplicate');
  await expect(page.getByTestId('clip-card')).toHaveCount(3);
  await expect
    .poll(async () => (await app!.ledger()).filter((record) => record.reservation).length, {
      timeout: 30_000,
    })
    .toBe(3);
});

test('Add clips reads in Traditional Chinese too', async () => {
  app = await startApp({ locale: 'zh-TW' });
  const empty = app.page.getByTestId('empty-state');
  await expect(empty.getByTestId('add-clips')).toHaveText('加入短片…');
  await expect(empty.getByTestId('add-clip-folder')).toHaveText('加入資料夾…');
});
