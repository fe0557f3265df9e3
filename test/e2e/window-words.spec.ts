/**
 * Issue 15 in the window: refusals in view, plain words, visibility on every card, a toolbar
 * that moves nothing under the pointer, captions cut with a note, a copyable clip id, and the
 * settings that were missing. Through the Electron stand-in with the real pipeline and sandbox.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { dropFiles } from '../electron-stand-in/stand-in';
import { makeClip } from '../support/clips';
import { startApp, type RunningApp } from './support/app';

// The machine is shared and slow: a window start plus ffmpeg can take a while.
test.setTimeout(180_000);

let app: RunningApp | undefined;
test.afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function expectAxeClean(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  );
  expect(
    serious.map(
      (violation) => `${violation.id}: ${violation.nodes.map((n) => n.target).join(' ')}`,
    ),
  ).toEqual([]);
}

test('refused files are announced on Pending and open in History with their actions', async () => {
  app = await startApp();
  const { page } = app;
  await makeClip(path.join(app.videos, 'Good.mp4'), { seconds: 2 });
  await expect(page.getByTestId('clip-card')).toHaveCount(1, { timeout: 60_000 });
  // Two files the watched folder refuses: text named .mp4, and an empty file.
  await writeFile(path.join(app.videos, 'notes.mp4'), 'these are my notes, not a video at all');
  await writeFile(path.join(app.videos, 'empty.mp4'), '');

  const notice = page.getByTestId('refusal-notice');
  await expect(notice).toContainText('2 files were not added', { timeout: 60_000 });
  await expectAxeClean(page);
  await notice.getByTestId('refusal-open').click();

  await expect(page.getByTestId('history-section')).toBeVisible();
  await expect(page.getByTestId('find-state')).toHaveValue('rejected');
  const rows = page.getByTestId('clip-card');
  await expect(rows).toHaveCount(2);
  await expect(page.getByTestId('history-section')).not.toContainText('No clip ID yet');
  const text = await page.getByTestId('history-section').innerText();
  expect(text).not.toMatch(/ftyp|moov|EBML|\b0 bytes\b|Trim it/u);
  await expect(rows.getByTestId('clip-error').first()).toBeVisible();
  await expect(page.getByText('This file is empty, so there is nothing to upload.')).toBeVisible();

  const notes = rows.filter({ hasText: 'notes.mp4' });
  await notes.getByTestId('show-in-folder').click();
  await expect.poll(() => app!.standIn.openedPaths).toContain(path.join(app.videos, 'notes.mp4'));
  await notes.getByTestId('remove-from-list').click();
  await expect(rows).toHaveCount(1);
  await expect.poll(async () => (await app!.ledger()).length).toBe(2);

  // Back on Pending the notice is gone: opening the refusals counts as seeing them.
  await page.getByTestId('nav-pending').click();
  await expect(page.getByTestId('clip-card')).toHaveCount(1);
  await expect(page.getByTestId('refusal-notice')).toHaveCount(0);

  // A refused drop is counted too, and dismissing the notice hides it.
  const stray = path.join(app.home, 'readme.mp4');
  await writeFile(stray, 'not a video either');
  await dropFiles(page, 'body', [{ path: stray, name: 'readme.mp4', type: 'video/mp4' }]);
  await expect(page.getByTestId('refusal-notice')).toContainText('1 file was not added', {
    timeout: 60_000,
  });
  await page.getByTestId('refusal-dismiss').click();
  await expect(page.getByTestId('refusal-notice')).toHaveCount(0);
});

test('cards show who can see them, and ticking a box or opening the editor moves nothing', async () => {
  app = await startApp({
    settings: { defaults: { visibility: 'Public', captionTemplate: '', savedByUser: false } },
  });
  const { page } = app;
  await makeClip(path.join(app.videos, 'First.mp4'), { seconds: 2 });
  await makeClip(path.join(app.videos, 'Second.mp4'), { seconds: 3 });
  const cards = page.getByTestId('clip-card');
  await expect(cards).toHaveCount(2, { timeout: 60_000 });
  const tag = cards.first().getByTestId('clip-visibility');
  await expect(tag).toHaveText('Everyone');
  await expect(tag).toHaveAttribute('data-visibility', 'Public');
  await expect(tag).toHaveClass(/visibility-tag--Public/u);

  const note = page.getByTestId('reserved-note');
  await expect(note).toContainText('Reserved = a private placeholder on GameClips');
  await expect(note.getByTestId('reserved-note-policy')).toHaveText(
    'Right now each clip waits for you to press Send.',
  );
  await expectAxeClean(page);
  await note.getByTestId('reserved-note-dismiss').click();
  await expect(note).toHaveCount(0);

  const box = cards.first().getByTestId('clip-select');
  const before = await box.boundingBox();
  await box.click();
  await expect(page.getByTestId('batch-template')).toBeVisible();
  const after = await box.boundingBox();
  expect(before && after).toBeTruthy();
  expect(Math.abs(after!.y - before!.y)).toBeLessThanOrEqual(1);
  expect(Math.abs(after!.x - before!.x)).toBeLessThanOrEqual(1);

  // Opening the editor narrows the list; the toolbar stays on one row.
  const bar = page.getByTestId('batch-bar');
  const barBefore = await bar.boundingBox();
  await cards.first().getByTestId('open-editor').click();
  await expect(page.getByTestId('clip-editor')).toBeVisible();
  const barAfter = await bar.boundingBox();
  expect(Math.abs(barAfter!.height - barBefore!.height)).toBeLessThanOrEqual(1);
  const sendTop = (await page.getByTestId('send-all').boundingBox())!.y;
  const allTop = (await page.getByTestId('select-all').boundingBox())!.y;
  expect(Math.abs(sendTop - allTop)).toBeLessThan(barAfter!.height / 2);
  await expectAxeClean(page);
});

test('a long paste keeps 250 with a note, the counter explains, and the clip id is copied', async () => {
  app = await startApp();
  const { page } = app;
  await makeClip(path.join(app.videos, 'Paste.mp4'), { seconds: 2 });
  const card = page.getByTestId('clip-card');
  await expect(card).toHaveAttribute('data-state', 'reserved', { timeout: 60_000 });
  await card.getByTestId('open-editor').click();
  const editor = page.getByTestId('clip-editor');
  const caption = editor.getByTestId('caption-input');
  await caption.fill('a'.repeat(300));
  await expect(caption).toHaveValue('a'.repeat(250));
  await expect(editor.getByTestId('caption-cut')).toHaveText(
    'Only the first 250 characters were kept.',
  );
  await expect(editor.getByTestId('caption-remaining')).toHaveAttribute(
    'title',
    /emoji and some symbols count as 2 or more/u,
  );
  await expect.poll(async () => (await app!.ledger())[0]?.draft.caption.length).toBe(250);

  // Record what the page hands the clipboard.
  await page.evaluate(() => {
    const copied: string[] = [];
    (window as unknown as { __copied: string[] }).__copied = copied;
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: { writeText: (text: string) => (copied.push(text), Promise.resolve()) },
    });
  });
  const id = (await editor.getByTestId('game-clip-id').innerText()).trim();
  expect(id).toMatch(/^[0-9a-f-]{36}$/u);
  await editor.getByTestId('copy-clip-id').click();
  await expect(editor.getByTestId('copy-clip-id-status')).toHaveText('Copied');
  expect(await page.evaluate(() => (window as unknown as { __copied: string[] }).__copied)).toEqual(
    [id],
  );
  await expectAxeClean(page);
});

test('settings offer Save to my clips and close-to-tray, plain words, and keep their place', async () => {
  app = await startApp();
  const { page } = app;
  await page.getByTestId('nav-settings').click();
  const settings = page.getByTestId('settings-screen');
  await expect(settings).toBeVisible();

  // The built-in service needs no token; a custom one shows the token block.
  await expect(page.getByTestId('settings-token')).toBeHidden();
  await expect(settings.getByText('Account token', { exact: true })).toBeHidden();
  await expect(page.getByTestId('token-input')).toBeHidden();
  await page.getByTestId('service-custom').check();
  await expect(page.getByTestId('settings-token')).toBeVisible();
  await page.getByTestId('service-sandbox').check();
  await expect(page.getByTestId('settings-token')).toBeHidden();

  await expect(settings).toContainText('Upload connections');
  await expect(settings).not.toContainText('Blocks uploaded at once');

  const saved = page.getByTestId('saved-by-user');
  await expect(saved).not.toBeChecked();
  await expect(page.getByText('Save to my clips (uses your GameClips quota)')).toBeVisible();
  // Saved by main, then shown: the box follows the stored setting.
  await saved.click();
  await expect(saved).toBeChecked();
  const tray = page.getByTestId('close-to-tray');
  await expect(tray).toBeChecked();
  await tray.click();
  await expect(tray).not.toBeChecked();
  const settingsFile = path.join(app.userData, 'settings.json');
  await expect
    .poll(async () => {
      const stored = JSON.parse(await readFile(settingsFile, 'utf8')) as {
        defaults: { savedByUser: boolean };
        desktop: { closeToTray: boolean };
      };
      return [stored.defaults.savedByUser, stored.desktop.closeToTray];
    })
    .toEqual([true, false]);

  // Fields look enabled: not the sunken grey of a disabled control.
  const [fieldBg, sunken] = await page.evaluate(() => {
    const field = document.querySelector('.settings .text-input');
    const probe = document.createElement('div');
    probe.style.background = 'var(--surface-sunken)';
    document.body.append(probe);
    const values = [
      field ? getComputedStyle(field).backgroundColor : '',
      getComputedStyle(probe).backgroundColor,
    ];
    probe.remove();
    return values;
  });
  expect(fieldBg).not.toBe('');
  expect(fieldBg).not.toBe(sunken);

  // Changing the language keeps the scroll position.
  await page.setViewportSize({ width: 1000, height: 520 });
  const language = page.getByTestId('language');
  await language.scrollIntoViewIfNeeded();
  const top = await settings.evaluate((element) => element.scrollTop);
  expect(top).toBeGreaterThan(50);
  await language.selectOption('zh-TW');
  await expect(page.getByRole('heading', { name: '設定' })).toBeVisible();
  await expect
    .poll(() => page.getByTestId('settings-screen').evaluate((element) => element.scrollTop))
    .toBeGreaterThan(top - 60);
  await expectAxeClean(page);
});
