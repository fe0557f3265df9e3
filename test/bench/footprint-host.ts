/**
 * The footprint bench's child process (test/bench/footprint.bench.ts), bundled on its own so the
 * process holds only what it measures: Node, this small host, and, in 'main' mode, the built main
 * bundle started through the Electron stand-in with windows that have no page (no Playwright, no
 * browser). Prints one `FOOTPRINT {json}` line.
 *
 * Modes (FOOTPRINT_MODE): 'host' samples itself without starting the app (the harness's own
 * share); 'main' starts the app on the prepared data folder, waits until it has started (the
 * ledger loaded, intake scanned and reconciled), closes the window to the tray and samples.
 * Nothing here forces a garbage collection: V8 collects as it would in the app, and the samples
 * are taken over several seconds once it has settled.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
import { launchBuiltApp } from '../electron-stand-in/load-main';

const MIB = 1024 * 1024;

export interface MemorySample {
  readonly rssMiB: number;
  /**
   * The anonymous part of RSS (Linux): memory the process wrote itself. The rest of RSS is file
   * pages (the node binary, its ICU data, shared libraries) that are shared and reclaimable.
   */
  readonly anonMiB: number;
  readonly heapUsedMiB: number;
  readonly heapTotalMiB: number;
  readonly externalMiB: number;
  readonly arrayBuffersMiB: number;
}

export interface HostResult {
  readonly samples: readonly MemorySample[];
  /** Milliseconds from loading the bundle to the tray counting the clips (start-up). */
  readonly startMs?: number;
  /** V8's heap spaces at the last sample, MiB committed and used: where the heap is. */
  readonly spaces?: Readonly<Record<string, { readonly size: number; readonly used: number }>>;
}

function heapSpaces(): NonNullable<HostResult['spaces']> {
  const spaces: Record<string, { size: number; used: number }> = {};
  for (const space of getHeapSpaceStatistics())
    if (space.space_size > 0)
      spaces[space.space_name] = {
        size: Math.round((space.space_size / MIB) * 10) / 10,
        used: Math.round((space.space_used_size / MIB) * 10) / 10,
      };
  return spaces;
}

/** `Anonymous:` of /proc/self/smaps_rollup, NaN where there is none. */
export function anonymousMiB(): number {
  try {
    const match = /^Anonymous:\s+(\d+) kB/mu.exec(readFileSync('/proc/self/smaps_rollup', 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

function sample(): MemorySample {
  const usage = process.memoryUsage();
  return {
    rssMiB: usage.rss / MIB,
    anonMiB: anonymousMiB(),
    heapUsedMiB: usage.heapUsed / MIB,
    heapTotalMiB: usage.heapTotal / MIB,
    externalMiB: usage.external / MIB,
    arrayBuffersMiB: usage.arrayBuffers / MIB,
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits `settleMs`, then takes `count` samples `everyMs` apart. */
export async function sampleMemory(
  settleMs: number,
  count: number,
  everyMs: number,
): Promise<MemorySample[]> {
  await pause(settleMs);
  const samples: MemorySample[] = [];
  for (let i = 0; i < count; i++) {
    samples.push(sample());
    await pause(everyMs);
  }
  return samples;
}

async function until(check: () => boolean, what: string, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`footprint host: timed out waiting for ${what}`);
    await pause(20);
  }
}

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`footprint host: ${name} is not set`);
  return value;
}

async function main(): Promise<HostResult> {
  const settleMs = Number(process.env.FOOTPRINT_SETTLE_MS ?? 10_000);
  const count = Number(process.env.FOOTPRINT_SAMPLES ?? 9);
  const everyMs = Number(process.env.FOOTPRINT_EVERY_MS ?? 1000);
  if (process.env.FOOTPRINT_MODE === 'host')
    return { samples: await sampleMemory(settleMs, count, everyMs) };
  const started = performance.now();
  const app = launchBuiltApp({
    paths: {
      userData: env('FOOTPRINT_USER_DATA'),
      videos: env('FOOTPRINT_VIDEOS'),
      appData: env('FOOTPRINT_HOME'),
    },
    windowHost: 'none',
  });
  // Started: the tray counts the clips once the pipeline (ledger, intake scan) is up.
  await until(() => /\d/u.test(app.trays()[0]?.tooltip ?? ''), 'the tray to count the clips');
  const startMs = performance.now() - started;
  await until(() => app.windows()[0]?.visible === true, 'the window to show');
  app.windows()[0]!.close();
  await until(() => app.windows()[0]!.isDestroyed(), 'the window to close');
  const samples = await sampleMemory(settleMs, count, everyMs);
  const spaces = heapSpaces();
  // For finding what holds memory (not part of the figure): FOOTPRINT_SNAPSHOT=<dir>.
  if (process.env.FOOTPRINT_SNAPSHOT) {
    writeFileSync(
      `${process.env.FOOTPRINT_SNAPSHOT}/main-closed.smaps`,
      readFileSync('/proc/self/smaps'),
    );
    writeHeapSnapshot(`${process.env.FOOTPRINT_SNAPSHOT}/main-closed.heapsnapshot`);
  }
  await app.quit();
  return { samples, startMs, spaces };
}

main().then(
  (result) => {
    process.stdout.write(`FOOTPRINT ${JSON.stringify(result)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
