/**
 * Footprint while gaming (issue 17 item 11): closing the window to the tray destroys its
 * renderer, and the window built again from the tray opens as the user left it: the same
 * screen, the same clip in the editor, the same search and filters, and the list scrolled to
 * the same place (within a row).
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { newClipRecord } from '../../app/clip/clip';
import { defaultSettings } from '../../app/settings';
import type { WindowUiState } from '../../app/ipc/window-ui-state';
import { launchBuiltApp } from '../electron-stand-in/load-main';
import type { ElectronStandIn } from '../electron-stand-in/stand-in';
import { tempDir } from '../support/clips';

const CLIPS = 300;

/** A ledger of published clips, two in three of them captioned "clutch". */
async function seed(userData: string, videos: string): Promise<void> {
  await mkdir(path.join(userData, 'ledger'), { recursive: true });
  await mkdir(videos, { recursive: true });
  await writeFile(path.join(userData, 'settings.json'), JSON.stringify(defaultSettings(videos)));
  for (let n = 0; n < CLIPS; n++) {
    const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    const minute = String(n % 60).padStart(2, '0');
    const record = {
      ...newClipRecord({
        id,
        origin: 'watch',
        file: {
          path: path.join(videos, `clip ${n}.mp4`),
          size: 50_000_000,
          mtimeMs: 1,
          fingerprint: `f${n}`,
        },
        probe: {
          container: 'mp4',
          durationSeconds: 30,
          recordedAt: `2026-03-${String(1 + Math.floor(n / 60)).padStart(2, '0')}T12:${minute}:00.000Z`,
        },
        draft: {
          caption: n % 3 === 2 ? `Warmup ${n}` : `Round ${n}: the clutch`,
          visibility: 'Owner',
        },
        now: '2026-03-01T12:00:00.000Z',
      }),
      state: 'published' as const,
    };
    await writeFile(path.join(userData, 'ledger', `${id}.json`), JSON.stringify(record));
  }
}

/** The first row in view of the list and how far its top is above the list's top. */
function firstInView(page: Page): Promise<{ clipId: string; offsetPx: number; rowPx: number }> {
  return page.getByTestId('clip-scroll').evaluate((scroller) => {
    const top = scroller.getBoundingClientRect().top;
    // A row is the list item (the card and the gap below it).
    const rows = [...scroller.querySelectorAll('li')]
      .map((row) => ({
        card: row.querySelector('[data-testid="clip-card"]') ?? row,
        rect: row.getBoundingClientRect(),
      }))
      .filter(({ rect }) => rect.bottom > top + 1)
      .sort((a, b) => a.rect.top - b.rect.top);
    const first = rows[0];
    if (!first) throw new Error('no row in view');
    return {
      clipId: first.card.getAttribute('data-clip-id') ?? '',
      offsetPx: Math.round(top - first.rect.top),
      rowPx: first.rect.height,
    };
  });
}

/** What main keeps of the window (asked as the window's own frame would). */
async function keptState(app: ElectronStandIn, page: Page): Promise<WindowUiState | null> {
  const handler = app.handlers.get('window:restore-state');
  const window = app.windows().at(-1) as unknown as { webContents: unknown };
  const answer = (await handler?.({
    sender: window.webContents,
    senderFrame: { url: page.url(), parent: null },
  })) as { ok: boolean; value: WindowUiState | null };
  return answer.ok ? answer.value : null;
}

test('the window rebuilt from the tray opens on the same screen, clip, filter and scroll', async () => {
  const home = await tempDir('gc-e2e-reopen-');
  const userData = path.join(home.dir, 'user-data');
  const videos = path.join(home.dir, 'Videos');
  await seed(userData, videos);
  const app = launchBuiltApp({ paths: { userData, videos, appData: home.dir } });
  try {
    const page = await app.firstWindow();
    await page.getByTestId('nav-history').click();
    const find = page.getByTestId('find-history');
    await find.getByTestId('find-text').fill('clutch');
    await find.getByTestId('find-sort').selectOption('oldest');
    await expect(page.getByTestId('history-section')).toContainText(`${(CLIPS * 2) / 3}`);
    // The list follows the query a beat behind (useDeferredValue): read the rows once sorted,
    // oldest first (clip 0), or the third row read and the third row clicked may differ.
    await expect(page.getByTestId('clip-card').first()).toHaveAttribute(
      'data-clip-id',
      '00000000-0000-4000-8000-000000000000',
    );
    const opened = page.getByTestId('clip-card').nth(2);
    const openedId = await opened.getAttribute('data-clip-id');
    await opened.getByTestId('open-editor').click();
    await expect(page.getByTestId('clip-editor')).toHaveAttribute('data-clip-id', openedId!);
    // Scrolled well down the list.
    await page.getByTestId('clip-scroll').evaluate((scroller) => {
      scroller.scrollTop = 3_000;
      scroller.dispatchEvent(new Event('scroll'));
    });
    // Rows are measured as they are drawn; the place is read once it no longer moves.
    let last = '';
    await expect
      .poll(async () => {
        const now = JSON.stringify(await firstInView(page));
        const same = now === last;
        last = now;
        return same;
      })
      .toBe(true);
    const before = await firstInView(page);
    expect(before.clipId).not.toBe(openedId);
    // Main has the window's last report (it coalesces them) before the window goes.
    await expect
      .poll(() => keptState(app, page), { timeout: 15_000 })
      .toMatchObject({
        screen: 'history',
        openClipId: openedId,
        queries: { history: { text: 'clutch', sort: 'oldest' } },
        scroll: { history: { clipId: before.clipId } },
      });

    app.windows()[0]!.close();
    expect(app.windows()[0]!.isDestroyed()).toBe(true);
    expect(app.windows().filter((window) => !window.isDestroyed())).toHaveLength(0);

    app.trays()[0]?.contextMenu?.getMenuItemById('open')?.click?.();
    const again = await app.windowPage(1);
    await expect(again.getByTestId('history-section')).toBeVisible({ timeout: 30_000 });
    const findAgain = again.getByTestId('find-history');
    await expect(findAgain.getByTestId('find-text')).toHaveValue('clutch');
    await expect(findAgain.getByTestId('find-sort')).toHaveValue('oldest');
    await expect(again.getByTestId('clip-editor')).toHaveAttribute('data-clip-id', openedId!);
    await expect
      .poll(async () => (await firstInView(again)).clipId, { timeout: 15_000 })
      .toBe(before.clipId);
    const after = await firstInView(again);
    expect(Math.abs(after.offsetPx - before.offsetPx)).toBeLessThan(before.rowPx);
    expect(await app.quit()).toBe(0);
  } finally {
    await home.cleanup();
  }
});
