/**
 * P1, first figure: how long from the moment a recorder finishes writing a clip into a watched
 * folder until its reservation is on disk, through the real watcher, gate, probe and sandbox.
 * The reference is the gate's own stability window, the floor any stability-based gate pays.
 */
import { copyFile, mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startCompanion } from '../../main/core/companion';
import { silentLogger } from '../../main/util/logger';
import { makeClip, tempDir } from '../support/clips';
import { figure, type Benchmark } from './harness';

const STABILITY_MS = 300;
const ROUNDS = 15;

export const benchmarks: Benchmark[] = [
  {
    name: 'detection -> reservation',
    async run() {
      const { dir, cleanup } = await tempDir('gc-bench-p1-');
      try {
        const watched = path.join(dir, 'Captures');
        await mkdir(watched);
        const sources = await Promise.all(
          Array.from({ length: ROUNDS }, (_, i) =>
            makeClip(path.join(dir, `source-${i}.mp4`), {
              seconds: 1 + (i % 4),
              size: `${320 + 16 * i}x180`,
            }),
          ),
        );
        const reservedAt = new Map<string, number>();
        const companion = await startCompanion({
          dataDir: path.join(dir, 'data'),
          service: { kind: 'sandbox' },
          watchedFolders: [watched],
          mode: 'headless',
          logger: silentLogger,
          initialDraft: () => ({ caption: '', visibility: 'Owner' }),
          savedByUser: () => false,
          stabilityMs: STABILITY_MS,
          events: {
            reserved: (record) =>
              reservedAt.set(path.basename(record.file.path), performance.now()),
          },
        });
        const latencies: number[] = [];
        for (const [i, source] of sources.entries()) {
          const name = `clip-${i}.mp4`;
          // Write under a temporary name and rename, as recorders finish; the clock starts at the rename.
          await copyFile(source, path.join(watched, `${name}.part`));
          const finished = performance.now();
          await rename(path.join(watched, `${name}.part`), path.join(watched, name));
          while (!reservedAt.has(name)) await new Promise((resolve) => setTimeout(resolve, 5));
          latencies.push((reservedAt.get(name) as number) - finished);
        }
        await companion.stop();
        const p95 = figure('detection -> reservation latency', 'ms', latencies, {
          goal: 'p95 <= 1000 ms (P1)',
        });
        return [
          {
            ...p95,
            meetsGoal: p95.p95 <= 1000,
            ratio: {
              against: `the ${STABILITY_MS} ms stability window`,
              value: p95.median / STABILITY_MS,
            },
          },
        ];
      } finally {
        await cleanup();
      }
    },
  },
];
