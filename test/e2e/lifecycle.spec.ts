/**
 * The clip lifecycle in the window (issue 12): buttons come from main's table, so Cancel is
 * offered only where main takes it; a cancelled clip is read-only and can be restored; the
 * default caption template is rendered, never shown literally; progress never goes back across
 * pause and resume under a bandwidth cap.
 */
import { expect, test } from '@playwright/test';
import { rename } from 'node:fs/promises';
import path from 'node:path';
import { makeLargeClip } from '../integration/upload-support';
import { makeClip } from '../support/clips';
import { startApp, type RunningApp } from './support/app';

let app: RunningApp | undefined;
test.afterEach(async () => {
  await app?.close();
  app = undefined;
});

test('the default template is rendered; Cancel where offered; a cancelled clip is read-only and restorable', async () => {
  app = await startApp({
    settings: {
      defaults: {
        visibility: 'Owner',
        captionTemplate: '{file} on {date} ({duration})',
        savedByUser: false,
        thumbnailOffsetMs: 1000,
      },
    },
  });
  const { page } = app;
  await makeClip(path.join(app.videos, 'Ace.mp4'), { seconds: 3 });
  const card = page.getByTestId('clip-card').filter({ hasText: 'Ace.mp4' });
  await expect(card).toHaveAttribute('data-state', 'reserved');
  await expect(card.getByTestId('clip-caption')).toHaveText(
    /^Ace on \d{4}-\d{2}-\d{2} \(0:0\d\)$/u,
  );
  const [record] = await app.ledger();
  expect(record?.draft.thumbnailOffsetMs).toBe(1000);
  const firstId = record?.reservation?.gameClipId;

  await card.getByTestId('open-editor').click();
  const editor = page.getByTestId('clip-editor');
  await expect(editor.getByTestId('editor-send')).toBeVisible();
  await editor.getByTestId('editor-cancel').click();

  // Cancelled: in the history, read-only, with Restore and no Cancel; typing changes nothing.
  await page.getByTestId('nav-history').click();
  const cancelled = page.getByTestId('clip-card').filter({ hasText: 'Ace.mp4' });
  await expect(cancelled).toHaveAttribute('data-state', 'cancelled');
  await expect(cancelled.getByTestId('restore')).toBeVisible();
  await cancelled.getByTestId('open-editor').click();
  await expect(editor.getByTestId('editor-read-only')).toBeVisible();
  await expect(editor.getByTestId('editor-restore')).toBeVisible();
  await expect(editor.getByTestId('editor-cancel')).toHaveCount(0);
  await expect(editor.getByTestId('editor-send')).toHaveCount(0);
  const caption = editor.getByTestId('caption-input');
  await expect(caption).toHaveAttribute('readonly', '');
  await caption.press('End');
  await caption.pressSequentially('!!');
  await expect(caption).toHaveValue(/\)$/u);
  await expect(editor.getByRole('alert')).toHaveCount(0);
  expect((await app.ledger())[0]?.state).toBe('cancelled');

  await editor.getByTestId('editor-restore').click();
  await expect
    .poll(async () => (await app!.ledger())[0]?.state, { timeout: 30_000 })
    .toBe('reserved');
  const restored = (await app.ledger())[0];
  expect(restored?.reservation?.gameClipId).toBeDefined();
  expect(restored?.reservation?.gameClipId).not.toBe(firstId);
  await expect(editor.getByTestId('editor-send')).toBeVisible();
  await expect(editor.getByTestId('caption-input')).not.toHaveAttribute('readonly', '');
});

test('progress never goes back across pause and resume under a bandwidth cap', async () => {
  app = await startApp({
    settings: { uploads: { parallelBlocks: 2, bandwidthCapBytesPerSecond: 1_000_000 } },
  });
  const { page } = app;
  const staging = path.join(app.home, 'Capped.mp4');
  await makeLargeClip(staging, 3);
  await rename(staging, path.join(app.videos, 'Capped.mp4'));
  const card = page.getByTestId('clip-card').filter({ hasText: 'Capped.mp4' });
  await expect(card).toHaveAttribute('data-state', 'reserved', { timeout: 30_000 });

  const seen: number[] = [];
  const percent = async () => {
    const text = (await card.getByTestId('clip-state').textContent()) ?? '';
    const match = /(\d+)\s*%/u.exec(text);
    if (match) seen.push(Number(match[1]));
    return match ? Number(match[1]) : undefined;
  };
  await card.getByTestId('send').click();
  await expect.poll(percent, { timeout: 30_000 }).toBeGreaterThanOrEqual(20);
  await card.getByTestId('pause').click();
  await expect(card).toHaveAttribute('data-state', 'paused');
  const atPause = Math.max(...seen);
  await card.getByTestId('resume').click();
  await expect(card).toHaveAttribute('data-state', 'uploading');
  await expect.poll(percent, { timeout: 60_000 }).toBeGreaterThan(atPause);
  // Every reading after the pause is at least what was shown before it.
  for (let i = 1; i < seen.length; i += 1) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]!);
});
