/**
 * Intake figures (quality-bars.md P1-P3), `npm run bench intake`:
 * - P1: recorder closes the file (renames it to its final name) -> reservation answered, p50/p95
 *   over many clips, against the raw chokidar event latency for the same files in the same run.
 * - P2: idle CPU of the headless companion (the same pipeline as the app's main process) over
 *   60 s with 10,000 clips in the watched folders and the ledger.
 * - P3: start-up until the reconcile scan is done, and RSS, with those 10,000 clips; against
 *   chokidar's own crawl of the same tree in the same run.
 */
import { watch } from 'chokidar';
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { lstat, mkdir, open, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { newClipRecord, reservationSucceeded } from '../../app/clip/clip';
import { startCompanion } from '../../main/core/companion';
import { silentLogger } from '../../main/util/logger';
import { quickFingerprint } from '../../main/intake/fingerprint';
import { makeClip, tempDir } from '../support/clips';
import { taggedCopy } from '../main/intake/media-files';
import { figure, type Benchmark } from './harness';

const P1_ROUNDS = 40;
const CLIPS = 10_000;
const FOLDERS = 100;
const IDLE_SECONDS = 60;
const START_ROUNDS = 5;
const CLOCK_TICKS_PER_SECOND = 100;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function p1(): Promise<ReturnType<typeof figure>[]> {
  const { dir, cleanup } = await tempDir('gc-bench-intake-p1-');
  try {
    const watched = path.join(dir, 'Captures');
    await mkdir(watched);
    const source = await readFile(await makeClip(path.join(dir, 'source.mp4'), { seconds: 2 }));
    const rawAt = new Map<string, number>();
    const reference = watch(watched, { ignoreInitial: true, depth: 0 });
    reference.on('add', (filePath: string) =>
      rawAt.set(path.basename(filePath), performance.now()),
    );
    await new Promise<void>((resolve) => reference.once('ready', () => resolve()));
    const reservedAt = new Map<string, number>();
    const companion = await startCompanion({
      dataDir: path.join(dir, 'data'),
      service: { kind: 'sandbox' },
      watchedFolders: [watched],
      mode: 'headless',
      logger: silentLogger,
      initialDraft: () => ({ caption: '', visibility: 'Owner' }),
      savedByUser: () => false,
      events: {
        reserved: (record) => reservedAt.set(path.basename(record.file.path), performance.now()),
      },
    });
    const latencies: number[] = [];
    const raw: number[] = [];
    for (let i = 0; i < P1_ROUNDS; i++) {
      const name = `clip-${i}.mp4`;
      // Written under a temporary name and renamed, as recorders finish; the clock starts at the rename.
      await taggedCopy(source, path.join(watched, `${name}.part`), `round ${i}`);
      const closed = performance.now();
      await rename(path.join(watched, `${name}.part`), path.join(watched, name));
      while (!reservedAt.has(name) || !rawAt.has(name)) await sleep(2);
      latencies.push((reservedAt.get(name) as number) - closed);
      raw.push((rawAt.get(name) as number) - closed);
    }
    await companion.stop();
    await reference.close();
    const rawFigure = figure('P1 reference: raw chokidar add event', 'ms', raw);
    const p95 = figure('P1 file closed -> reservation answered', 'ms', latencies, {
      goal: 'p95 <= 1000 ms (P1)',
    });
    return [
      rawFigure,
      {
        ...p95,
        meetsGoal: p95.p95 <= 1000,
        ratio: { against: 'raw chokidar event median', value: p95.median / rawFigure.median },
      },
    ];
  } finally {
    await cleanup();
  }
}

/** 10,000 distinct small clips in 100 folders, and a ledger that already knows each of them. */
export async function populate(root: string, ledgerDir: string): Promise<void> {
  const source = await readFile(
    await makeClip(path.join(path.dirname(root), 'tiny.mp4'), {
      seconds: 0.2,
      size: '64x36',
      faststart: true,
    }),
  );
  await mkdir(ledgerDir, { recursive: true });
  const now = new Date().toISOString();
  for (let folder = 0; folder < FOLDERS; folder++) {
    const folderPath = path.join(root, `Game ${folder}`);
    await mkdir(folderPath, { recursive: true });
    await Promise.all(
      Array.from({ length: CLIPS / FOLDERS }, async (_, i) => {
        const n = folder * (CLIPS / FOLDERS) + i;
        const filePath = path.join(folderPath, `clip-${n}.mp4`);
        await taggedCopy(source, filePath, `clip ${n}`);
        const info = await lstat(filePath);
        const handle = await open(filePath, 'r');
        const fingerprint = await quickFingerprint(handle, info.size).finally(() => handle.close());
        const id = crypto.randomUUID();
        const record = reservationSucceeded(
          newClipRecord({
            id,
            origin: 'watch',
            file: { path: filePath, size: info.size, mtimeMs: info.mtimeMs, fingerprint },
            probe: {
              container: 'mp4',
              durationSeconds: 0.2,
              recordedAt: now,
              width: 64,
              height: 36,
            },
            draft: { caption: '', visibility: 'Owner' },
            now,
          }),
          { gameClipId: crypto.randomUUID(), uploadUri: `http://127.0.0.1:9/upload/${id}` },
          { serviceUrl: 'http://127.0.0.1:9', scid: '00000000-0000-0000-0000-000000000000' },
          now,
        );
        await writeFile(path.join(ledgerDir, `${id}.json`), JSON.stringify(record));
      }),
    );
  }
}

/** CPU seconds (user + system) and RSS bytes of a running process, from /proc. */
async function processFigures(pid: number): Promise<{ cpuSeconds: number; rssBytes: number }> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const rssKiB = Number(/VmRSS:\s+(\d+)/u.exec(status)?.[1] ?? 0);
  return { cpuSeconds: ticks / CLOCK_TICKS_PER_SECOND, rssBytes: rssKiB * 1024 };
}

async function bundleCompanionBin(outDir: string): Promise<string> {
  const outfile = path.join(outDir, 'gameclips-companion.js');
  await build({
    entryPoints: [path.resolve('main/cli/gameclips-companion.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    logLevel: 'silent',
    define: { __APP_VERSION__: '"bench"' },
  });
  return outfile;
}

async function p2p3(): Promise<ReturnType<typeof figure>[]> {
  const { dir, cleanup } = await tempDir('gc-bench-intake-p23-');
  try {
    const root = path.join(dir, 'Captures');
    const data = path.join(dir, 'data');
    const populateStart = performance.now();
    await populate(root, path.join(data, 'ledger'));
    process.stderr.write(
      `  ${CLIPS} clips and ledger records written in ${Math.round(performance.now() - populateStart)} ms\n`,
    );
    const bin = await bundleCompanionBin(dir);

    const crawl: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      const watcher = watch(root, { ignoreInitial: true, depth: 8 });
      await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
      crawl.push(performance.now() - started);
      await watcher.close();
    }

    const startMs: number[] = [];
    const rssMiB: number[] = [];
    const idlePercent: number[] = [];
    for (let round = 0; round < START_ROUNDS; round++) {
      const started = performance.now();
      const child = spawn(process.execPath, [bin, 'watch', root, '--json', '--data', data], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const lines = createInterface({ input: child.stdout });
      const unexpected: string[] = [];
      await new Promise<void>((resolve, reject) => {
        lines.on('line', (line) => {
          if (line.includes('"event":"ready"')) resolve();
          else if (line.includes('"clip.')) unexpected.push(line);
        });
        child.once('exit', (code) => reject(new Error(`the companion exited with ${code}`)));
      });
      startMs.push(performance.now() - started);
      rssMiB.push((await processFigures(child.pid as number)).rssBytes / 2 ** 20);
      if (round === 0) {
        // P2: the same process left alone, in 10 s windows.
        await sleep(2_000);
        let previous = await processFigures(child.pid as number);
        for (let window = 0; window < IDLE_SECONDS / 10; window++) {
          await sleep(10_000);
          const now = await processFigures(child.pid as number);
          idlePercent.push(((now.cpuSeconds - previous.cpuSeconds) / 10) * 100);
          previous = now;
        }
      }
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      if (unexpected.length > 0)
        throw new Error(`known clips were decided again: ${unexpected.slice(0, 3).join('\n')}`);
    }
    const crawlFigure = figure(`P3 reference: chokidar crawl of ${CLIPS} clips`, 'ms', crawl);
    const start = figure(`P3 start-up to reconcile done, ${CLIPS} clips`, 'ms', startMs, {
      goal: '< 1500 ms (P3)',
    });
    const rss = figure(`P3 RSS after start-up, ${CLIPS} clips`, 'MiB', rssMiB, {
      goal: '< 200 MiB (P3)',
    });
    const idle = figure(`P2 idle CPU, ${CLIPS} clips, 10 s windows`, '% of a core', idlePercent, {
      goal: `< 0.5 % over ${IDLE_SECONDS} s (P2)`,
    });
    const idleTotal = idlePercent.reduce((sum, value) => sum + value, 0) / idlePercent.length;
    return [
      crawlFigure,
      {
        ...start,
        meetsGoal: start.p95 < 1500,
        ratio: { against: 'chokidar crawl median', value: start.median / crawlFigure.median },
      },
      { ...rss, meetsGoal: rss.max < 200 },
      { ...idle, meetsGoal: idleTotal < 0.5 },
    ];
  } finally {
    await cleanup();
  }
}

export const benchmarks: Benchmark[] = [
  { name: 'intake P1: file closed -> reservation', run: p1 },
  { name: 'intake P2/P3: 10,000 clips idle and at start-up', run: p2p3 },
];
