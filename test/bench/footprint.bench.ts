/**
 * P7, footprint while the user plays (issue 17 item 11): the built main bundle, started through
 * the Electron stand-in with 10,000 clips in its ledger, in a child Node process of its own. With
 * the window closed to the tray (the window and its renderer destroyed), the child's RSS is the
 * main process's; then the window is reopened from the tray several times and timed until it is
 * shown again. Needs `node scripts/build.mjs` first.
 *
 * Caveat, said in the figure's name: the child also holds the stand-in's Playwright client (a
 * real Electron main does not), so the RSS is an upper bound of the main process's.
 */
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { newClipRecord, type ClipState } from '../../app/clip/clip';
import { defaultSettings } from '../../app/settings';
import { chromium } from '@playwright/test';
import { launchBuiltApp } from '../electron-stand-in/load-main';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../electron-stand-in/stand-in';
import { tempDir } from '../support/clips';
import { figure, type Benchmark } from './harness';

const CLIPS = 10_000;
const REOPENS = 7;
const MIB = 1024 * 1024;

interface ChildResult {
  /** The same process with the stand-in's browser and one page, but no app: the harness. */
  readonly rssHarnessMiB: number;
  readonly rssOpenMiB: number;
  readonly rssClosedMiB: number;
  readonly reopenMs: number[];
}

const STATES: ClipState[] = ['published', 'published', 'published', 'reserved', 'failed'];

async function seed(userData: string, videos: string): Promise<void> {
  await mkdir(path.join(userData, 'ledger'), { recursive: true });
  await mkdir(videos, { recursive: true });
  await writeFile(path.join(userData, 'settings.json'), JSON.stringify(defaultSettings(videos)));
  for (let n = 0; n < CLIPS; n++) {
    const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
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
        probe: { container: 'mp4', durationSeconds: 30, recordedAt: '2026-03-01T12:00:00.000Z' },
        draft: { caption: `Round ${n}: the clutch`, visibility: 'Owner' },
        now: '2026-03-01T12:00:00.000Z',
      }),
      state: STATES[n % STATES.length]!,
    };
    await writeFile(path.join(userData, 'ledger', `${id}.json`), JSON.stringify(record));
  }
}

async function until(check: () => boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('footprint bench: timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function settledRss(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return process.memoryUsage().rss / MIB;
}

/** Runs in the child process. */
export async function footprintChild(): Promise<void> {
  const home = await tempDir('gc-bench-footprint-');
  const userData = path.join(home.dir, 'user-data');
  const videos = path.join(home.dir, 'Videos');
  try {
    await seed(userData, videos);
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const page = await (await browser.newContext()).newPage();
    await page.goto('about:blank');
    const rssHarnessMiB = await settledRss();
    await browser.close();
    const app = launchBuiltApp({ paths: { userData, videos, appData: home.dir } });
    await app.firstWindow();
    // Started up: the tray has counted the 10,000 clips (the ledger is loaded).
    await until(() => /clips? waiting for review/u.test(app.trays()[0]?.tooltip ?? ''));
    await until(() => app.windows()[0]?.visible === true);
    const rssOpenMiB = await settledRss();
    app.windows()[0]!.close();
    await until(() => app.windows()[0]!.isDestroyed());
    const rssClosedMiB = await settledRss();
    const reopenMs: number[] = [];
    for (let i = 0; i < REOPENS; i++) {
      const before = app.windows().length;
      const start = performance.now();
      app.trays()[0]?.contextMenu?.getMenuItemById('open')?.click?.();
      await until(() => app.windows().length > before && app.windows().at(-1)!.visible);
      reopenMs.push(performance.now() - start);
      app.windows().at(-1)!.close();
      await until(() => app.windows().at(-1)!.isDestroyed());
    }
    process.stdout.write(
      `FOOTPRINT ${JSON.stringify({ rssHarnessMiB, rssOpenMiB, rssClosedMiB, reopenMs })}\n`,
    );
    await app.quit();
  } finally {
    await home.cleanup();
  }
}

function runChild(): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--expose-gc',
        '-e',
        `require(${JSON.stringify(__filename)}).footprintChild().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); })`,
      ],
      {
        stdio: ['ignore', 'pipe', 'ignore'],
        env: {
          ...process.env,
          GAMECLIPS_MAIN_BUNDLE: path.resolve(process.cwd(), 'dist/main/index.js'),
        },
      },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.split('\n').find((text) => text.startsWith('FOOTPRINT '));
      if (!line) reject(new Error(`footprint child exited ${code} without a result`));
      else resolve(JSON.parse(line.slice('FOOTPRINT '.length)) as ChildResult);
    });
  });
}

export const benchmarks: Benchmark[] = [
  {
    name: 'footprint with the window closed to the tray (P7)',
    async run() {
      const result = await runChild();
      const p95Reopen = figure('reopen window from tray (stand-in)', 'ms', result.reopenMs);
      return [
        figure('harness alone: Node + stand-in browser client, no app', 'MiB', [
          result.rssHarnessMiB,
        ]),
        figure(
          "main's own RSS, window closed, 10k clips (closed minus harness)",
          'MiB',
          [result.rssClosedMiB - result.rssHarnessMiB],
          {
            goal: '<= 100 MiB (P7)',
            meetsGoal: result.rssClosedMiB - result.rssHarnessMiB <= 100,
          },
        ),
        figure('main RSS, window open, 10k clips (incl. stand-in client)', 'MiB', [
          result.rssOpenMiB,
        ]),
        figure('main RSS, window closed to tray, 10k clips (incl. stand-in client)', 'MiB', [
          result.rssClosedMiB,
        ]),
        { ...p95Reopen, goal: 'p95 < 1000 ms (P7)', meetsGoal: p95Reopen.p95 < 1000 },
      ];
    },
  },
];
