/**
 * P7, footprint while the user plays (issue 17 item 11), with 10,000 clips in the ledger:
 *
 * - Main's memory with the window closed to the tray. The built main bundle runs in a Node
 *   process of its own (test/bench/footprint-host.ts) through the Electron stand-in with windows
 *   that have no page, so the process holds main and a small host, and no Playwright client or
 *   browser. It starts, loads the ledger, scans and reconciles, the window is closed, and RSS and
 *   heap are sampled several times once V8 has settled (no forced GC). Against two references
 *   measured in the same run: a bare `node` process, and the host alone (no app).
 * - Reopening the window from the tray, in the Chromium stand-in: from the tray's "Open" to the
 *   rebuilt window's first paint with clips listed.
 *
 * Needs `node scripts/build.mjs` first.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { newClipRecord, type ClipState } from '../../app/clip/clip';
import { defaultSettings } from '../../app/settings';
import { tempDir } from '../support/clips';
import { figure, type Benchmark, type Figure } from './harness';
import type { HostResult, MemorySample } from './footprint-host';
import type { Page } from '@playwright/test';

const CLIPS = 10_000;
const REOPENS = 7;
const GOAL_MIB = 100;
const ROOT = process.cwd();
/** The built main bundle; GAMECLIPS_MAIN_BUNDLE measures another build (e.g. an older one). */
const MAIN_BUNDLE = process.env.GAMECLIPS_MAIN_BUNDLE ?? path.resolve(ROOT, 'dist/main/index.js');
/** FOOTPRINT_REOPEN=0 measures memory only (a build without the window's timing marks). */
const TIME_REOPEN = process.env.FOOTPRINT_REOPEN !== '0';

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

/** Runs `args` with Node and returns the `FOOTPRINT {json}` line it prints. */
function runNode<T>(args: readonly string[], env: Record<string, string> = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...env },
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.split('\n').find((text) => text.startsWith('FOOTPRINT '));
      if (!line) reject(new Error(`footprint child exited ${code} without a result`));
      else resolve(JSON.parse(line.slice('FOOTPRINT '.length)) as T);
    });
  });
}

/** The same sampling as the host, in a bare Node process: the reference. */
const BARE_NODE = `
const MIB = 1024 * 1024;
const pause = (ms) => new Promise((r) => setTimeout(r, ms));
(async () => {
  await pause(Number(process.env.FOOTPRINT_SETTLE_MS ?? 10000));
  const samples = [];
  for (let i = 0; i < Number(process.env.FOOTPRINT_SAMPLES ?? 9); i++) {
    const u = process.memoryUsage();
    const m = /^Anonymous:\\s+(\\d+) kB/m.exec(require('fs').readFileSync('/proc/self/smaps_rollup', 'utf8'));
    samples.push({ rssMiB: u.rss / MIB, anonMiB: m ? Number(m[1]) / 1024 : NaN, heapUsedMiB: u.heapUsed / MIB, heapTotalMiB: u.heapTotal / MIB,
      externalMiB: u.external / MIB, arrayBuffersMiB: u.arrayBuffers / MIB });
    await pause(Number(process.env.FOOTPRINT_EVERY_MS ?? 1000));
  }
  process.stdout.write('FOOTPRINT ' + JSON.stringify({ samples }) + '\\n');
})();
`;

const median = (values: readonly number[]) => figure('', '', values).median;
const pick = (result: HostResult, key: keyof MemorySample) => result.samples.map((s) => s[key]);

interface ReopenResult {
  /** Tray "Open" to clips listed, as the test process sees it (includes the stand-in's setup). */
  readonly reopenMs: number[];
  /** The rebuilt page's own clock: its time origin (the renderer starting) to clips listed. */
  readonly listedMs: number[];
  /** The same clock: asked main for the clips, got the first rows, and got the whole list. */
  readonly askedMs: number[];
  readonly firstRowsMs: number[];
  readonly receivedMs: number[];
}

function markOf(page: Page, name: string): Promise<number> {
  return page.evaluate(
    (mark) => performance.getEntriesByName(`gameclips:${mark}`)[0]?.startTime ?? Number.NaN,
    name,
  );
}

/** Runs in a child process with the Chromium stand-in: times reopening from the tray. */
export async function reopenChild(): Promise<void> {
  const { launchBuiltApp } = await import('../electron-stand-in/load-main');
  const app = launchBuiltApp({
    paths: {
      userData: process.env.FOOTPRINT_USER_DATA!,
      videos: process.env.FOOTPRINT_VIDEOS!,
      appData: process.env.FOOTPRINT_HOME!,
    },
  });
  const first = await app.firstWindow();
  await first.waitForSelector('[data-testid="clip-card"]', { timeout: 180_000 });
  app.windows()[0]!.close();
  const result: ReopenResult = {
    reopenMs: [],
    listedMs: [],
    askedMs: [],
    firstRowsMs: [],
    receivedMs: [],
  };
  for (let i = 0; i < REOPENS; i++) {
    const index = app.windows().length;
    const start = performance.now();
    app.trays()[0]?.contextMenu?.getMenuItemById('open')?.click?.();
    const page = await app.windowPage(index);
    await page.waitForFunction(() => performance.getEntriesByName('gameclips:clips-listed')[0], {
      timeout: 60_000,
      polling: 'raf',
    });
    result.reopenMs.push(performance.now() - start);
    result.listedMs.push(await markOf(page, 'clips-listed'));
    result.askedMs.push(await markOf(page, 'clips-asked'));
    result.firstRowsMs.push(await markOf(page, 'first-rows-received'));
    result.receivedMs.push(await markOf(page, 'clips-received'));
    app.windows()[index]!.close();
  }
  process.stdout.write(`FOOTPRINT ${JSON.stringify(result)}\n`);
  await app.quit();
}

export const benchmarks: Benchmark[] = [
  {
    name: 'footprint with the window closed to the tray (P7)',
    async run() {
      const home = await tempDir('gc-bench-footprint-');
      const userData = path.join(home.dir, 'user-data');
      const videos = path.join(home.dir, 'Videos');
      const out = await mkdtemp(path.join(ROOT, 'node_modules/.cache/gc-footprint-'));
      try {
        await seed(userData, videos);
        const host = path.join(out, 'footprint-host.cjs');
        await build({
          entryPoints: [path.join(ROOT, 'test/bench/footprint-host.ts')],
          outfile: host,
          bundle: true,
          platform: 'node',
          format: 'cjs',
          target: 'node22',
          packages: 'external',
          logLevel: 'warning',
        });
        const env = {
          FOOTPRINT_USER_DATA: userData,
          FOOTPRINT_VIDEOS: videos,
          FOOTPRINT_HOME: home.dir,
          GAMECLIPS_MAIN_BUNDLE: MAIN_BUNDLE,
        };
        // One after the other: each measurement has the machine to itself.
        const bare = await runNode<HostResult>(['-e', BARE_NODE]);
        const hostAlone = await runNode<HostResult>([host], { ...env, FOOTPRINT_MODE: 'host' });
        const main = await runNode<HostResult>([host], { ...env, FOOTPRINT_MODE: 'main' });
        const reopen: ReopenResult = TIME_REOPEN
          ? await runNode<ReopenResult>(
              [
                '-e',
                `require(${JSON.stringify(__filename)}).reopenChild().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); })`,
              ],
              env,
            )
          : { reopenMs: [], listedMs: [], askedMs: [], firstRowsMs: [], receivedMs: [] };
        // A release is built with NODE_ENV=production (minified, no source maps).
        const flavour = existsSync(`${MAIN_BUNDLE}.map`) ? 'development' : 'production';
        const bareRss = median(pick(bare, 'rssMiB'));
        const mainRss = pick(main, 'rssMiB');
        const figures: Figure[] = [
          figure('reference: bare node process, RSS', 'MiB', pick(bare, 'rssMiB')),
          figure('reference: footprint host alone (no app), RSS', 'MiB', pick(hostAlone, 'rssMiB')),
          figure(`main, window closed, 10k clips: RSS (${flavour} build)`, 'MiB', mainRss, {
            goal: `<= ${GOAL_MIB} MiB (P7)`,
            meetsGoal: median(mainRss) <= GOAL_MIB,
            ratio: { against: 'bare node RSS', value: median(mainRss) / bareRss },
          }),
          figure('main, window closed, 10k clips: heap used', 'MiB', pick(main, 'heapUsedMiB'), {
            ratio: {
              against: 'bare node heap used',
              value: median(pick(main, 'heapUsedMiB')) / median(pick(bare, 'heapUsedMiB')),
            },
          }),
          figure('main, window closed, 10k clips: heap total', 'MiB', pick(main, 'heapTotalMiB')),
          figure('main, window closed, 10k clips: anonymous RSS', 'MiB', pick(main, 'anonMiB'), {
            ratio: {
              against: 'bare node anonymous RSS',
              value: median(pick(main, 'anonMiB')) / median(pick(bare, 'anonMiB')),
            },
          }),
          figure('main, window closed, 10k clips: external', 'MiB', pick(main, 'externalMiB')),
          figure('main start-up to clips counted, 10k clips', 'ms', [main.startMs ?? Number.NaN]),
        ];
        if (!TIME_REOPEN) return figures;
        const listed = figure(
          'reopen: window created -> first paint with clips listed (page clock)',
          'ms',
          reopen.listedMs,
        );
        figures.push(
          { ...listed, goal: 'p95 < 1000 ms (P7)', meetsGoal: listed.p95 < 1000 },
          figure('reopen: page clock at asking main for the clips', 'ms', reopen.askedMs),
          figure('reopen: page clock at the first rows received', 'ms', reopen.firstRowsMs),
          figure('reopen: page clock at the whole list received', 'ms', reopen.receivedMs),
          figure(
            "reopen: tray Open -> clips listed, incl. the stand-in's browser context setup",
            'ms',
            reopen.reopenMs,
          ),
        );

        return figures;
      } finally {
        await rm(out, { recursive: true, force: true });
        await home.cleanup();
      }
    },
  },
];
