/**
 * Starting the built app through the Electron stand-in for window tests: temporary user data and
 * a watched Videos folder, the embedded sandbox, and helpers to reach the sandbox's admin routes
 * and the ledger on disk.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { mkdir, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { launchBuiltApp } from '../../electron-stand-in/load-main';
import type { ElectronStandIn } from '../../electron-stand-in/stand-in';
import { tempDir } from '../../support/clips';
import { adminHeaders } from '../../../main/sandbox/index';

export interface RunningApp {
  readonly standIn: ElectronStandIn;
  readonly page: Page;
  readonly home: string;
  readonly userData: string;
  readonly videos: string;
  /** The embedded sandbox's base URL (its port is remembered in user data). */
  sandboxUrl(): Promise<string>;
  /** Arms a sandbox fault (main/sandbox/README.md). */
  fault(fault: Record<string, unknown>): Promise<void>;
  ledger(): Promise<LedgerRecord[]>;
  close(): Promise<void>;
}

export interface LedgerRecord {
  readonly id: string;
  readonly state: string;
  readonly draft: {
    caption: string;
    visibility: string;
    thumbnailOffsetMs?: number;
    game?: string;
  };
  readonly reservation?: { gameClipId: string; scid: string };
  readonly reserveAttempts: number;
  /** Whether thumbnails reached the service ('sent') or the clip went without. */
  readonly thumbnails?: string;
}

export async function startApp(
  options: { readonly settings?: Record<string, unknown>; readonly locale?: string } = {},
): Promise<RunningApp> {
  const temp = await tempDir('gc-window-');
  const userData = path.join(temp.dir, 'user-data');
  const videos = path.join(temp.dir, 'Videos');
  await mkdir(videos, { recursive: true });
  await mkdir(userData, { recursive: true });
  if (options.settings) {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(
      path.join(userData, 'settings.json'),
      JSON.stringify({
        schemaVersion: 2,
        watchedFolders: [videos],
        service: { kind: 'sandbox' },
        defaults: { visibility: 'Owner', captionTemplate: '', savedByUser: false },
        sendPolicy: { kind: 'review' },
        ...options.settings,
      }),
    );
  }
  const standIn = launchBuiltApp({
    paths: { userData, videos },
    ...(options.locale ? { locale: options.locale } : {}),
  });
  const page = await standIn.firstWindow();
  await page
    .getByRole('heading', { name: 'GameClips Companion' })
    .or(page.getByText('GameClips Companion').first())
    .first()
    .waitFor();
  const sandboxUrl = async () => {
    const saved = JSON.parse(
      await readFile(path.join(userData, 'sandbox-account.json'), 'utf8'),
    ) as { port: number };
    return `http://127.0.0.1:${saved.port}`;
  };
  return {
    standIn,
    page,
    home: temp.dir,
    userData,
    videos,
    sandboxUrl,
    async fault(fault) {
      const baseUrl = await sandboxUrl();
      const response = await fetch(`${baseUrl}/sandbox/faults`, {
        method: 'POST',
        // The built-in service runs in this process; its admin secret is known here only.
        headers: { 'Content-Type': 'application/json', ...adminHeaders(baseUrl) },
        body: JSON.stringify(fault),
      });
      if (response.status !== 201) throw new Error(`fault not armed: HTTP ${response.status}`);
    },
    async ledger() {
      const folder = path.join(userData, 'ledger');
      const names = (await readdir(folder).catch(() => [])).filter((name) =>
        name.endsWith('.json'),
      );
      return Promise.all(
        names.map(
          async (name) =>
            JSON.parse(await readFile(path.join(folder, name), 'utf8')) as LedgerRecord,
        ),
      );
    },
    async close() {
      await standIn.quit();
      await temp.cleanup();
    },
  };
}

/**
 * Sends the clip `name` from Pending as a person would (its editor's Send, with `visibility`
 * chosen first when given) and waits on History until the service has published it. Answers
 * its History row.
 */
export async function publishFromWindow(
  page: Page,
  name: string,
  options: { readonly visibility?: 'Public' | 'Owner' } = {},
): Promise<Locator> {
  await page.getByTestId('nav-pending').click();
  const card = page.getByTestId('clip-card').filter({ hasText: name });
  await expect(card).toHaveAttribute('data-state', 'reserved', { timeout: 60_000 });
  await card.getByTestId('open-editor').click();
  const editor = page.getByTestId('clip-editor');
  if (options.visibility) await editor.getByTestId(`visibility-${options.visibility}`).check();
  await editor.getByTestId('editor-send').click();
  await page.getByTestId('nav-history').click();
  const published = page
    .getByTestId('history-section')
    .getByTestId('clip-card')
    .filter({ hasText: name });
  await expect(published).toHaveAttribute('data-state', 'published', { timeout: 120_000 });
  return published;
}
