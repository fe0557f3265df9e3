/**
 * P6 (quality-bars.md), `npm run bench drop`: 1,000 real clips dropped on the window at once go
 * through the same port the window calls (intake gate, probe, dedupe, paced reservation on the
 * embedded sandbox). Measured in the same process as the pipeline, as in the app's main process:
 * - time until every clip is reserved, and the most reservations that started in any second
 *   (pacing: the service's burst window must never see more than the pacer allows);
 * - event-loop lag p99 while it runs, against the lag of the same idle process just before;
 * - peak RSS.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { RESERVE_PACE } from '../../app/pacing';
import { startCompanion } from '../../main/core/companion';
import { silentLogger } from '../../main/util/logger';
import { createIntakePort } from '../../main/intake/intake-port';
import { makeClip, tempDir } from '../support/clips';
import { taggedCopy } from '../main/intake/media-files';
import { figure, type Benchmark } from './harness';

const CLIPS = 1000;
const IDLE_REFERENCE_MS = 3000;

export const benchmarks: Benchmark[] = [
  {
    name: 'drop 1,000 clips at once (P6)',
    async run() {
      const { dir, cleanup } = await tempDir('gc-bench-drop-');
      try {
        const dropped = path.join(dir, 'Dropped');
        await mkdir(dropped);
        const source = await readFile(await makeClip(path.join(dir, 'source.mp4'), { seconds: 1 }));
        for (let i = 0; i < CLIPS; i++)
          await taggedCopy(
            source,
            path.join(dropped, `clip-${String(i).padStart(4, '0')}.mp4`),
            `drop ${i}`,
          );

        const reservedAt: number[] = [];
        const companion = await startCompanion({
          dataDir: path.join(dir, 'data'),
          service: { kind: 'sandbox' },
          watchedFolders: [],
          mode: 'app',
          logger: silentLogger,
          initialDraft: () => ({ caption: '', visibility: 'Owner' }),
          savedByUser: () => false,
          events: { reserved: () => reservedAt.push(performance.now()) },
        });
        const port = createIntakePort(() => Promise.resolve(companion.intake));

        // Reference: the same process, pipeline started, nothing to do.
        const idle = monitorEventLoopDelay({ resolution: 1 });
        idle.enable();
        await new Promise((resolve) => setTimeout(resolve, IDLE_REFERENCE_MS));
        idle.disable();

        const busy = monitorEventLoopDelay({ resolution: 1 });
        let peakRss = process.memoryUsage().rss;
        const rssTimer = setInterval(() => {
          peakRss = Math.max(peakRss, process.memoryUsage().rss);
        }, 100);
        busy.enable();
        const started = performance.now();
        const answer = await port.registerFiles([dropped]);
        const accepted = answer.ok
          ? answer.value.filter((o) => o.outcome === 'accepted').length
          : 0;
        while (reservedAt.length < accepted)
          await new Promise((resolve) => setTimeout(resolve, 50));
        const allReservedMs = performance.now() - started;
        busy.disable();
        clearInterval(rssTimer);
        await companion.stop();

        const perSecond: number[] = [];
        for (const at of reservedAt)
          perSecond.push(reservedAt.filter((t) => t >= at && t < at + 1000).length);
        const allowedPerSecond = RESERVE_PACE.burst + RESERVE_PACE.ratePerSecond;
        const lagP99 = busy.percentile(99) / 1e6;
        const idleP99 = idle.percentile(99) / 1e6;
        const lagSamples = [50, 90, 95, 99].map((p) => busy.percentile(p) / 1e6);
        return [
          {
            ...figure('clips reserved of those dropped', 'clips', [accepted]),
            goal: `all ${CLIPS} reserved (P6)`,
            meetsGoal: accepted === CLIPS && reservedAt.length === CLIPS,
          },
          figure('drop -> all reserved', 's', [allReservedMs / 1000]),
          {
            ...figure('reservations started in any 1 s window', 'calls', perSecond),
            goal: `<= ${allowedPerSecond} (burst ${RESERVE_PACE.burst} + ${RESERVE_PACE.ratePerSecond}/s)`,
            meetsGoal: Math.max(...perSecond) <= allowedPerSecond,
          },
          {
            ...figure('main event-loop lag while reserving (p50/p90/p95/p99)', 'ms', lagSamples),
            goal: 'p99 < 50 ms (P6)',
            meetsGoal: lagP99 < 50,
            ratio: {
              against: `idle p99 ${idleP99.toFixed(1)} ms, same process`,
              value: lagP99 / idleP99,
            },
          },
          {
            ...figure('peak RSS', 'MiB', [peakRss / 2 ** 20]),
            goal: '< 300 MiB (P6)',
            meetsGoal: peakRss / 2 ** 20 < 300,
          },
        ];
      } finally {
        await cleanup();
      }
    },
  },
];
