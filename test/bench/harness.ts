/**
 * The shape every benchmark in test/bench/*.bench.ts exports, read by scripts/bench.mjs.
 *
 * Machines are shared and noisy (quality-bars.md): each figure reports a median and percentiles
 * over several samples, and a speed is reported as a ratio against a reference measured in the
 * same run.
 */

export interface Figure {
  /** What was measured, e.g. "detection -> reservation latency". */
  readonly name: string;
  readonly unit: string;
  readonly samples: number;
  readonly median: number;
  readonly p95: number;
  readonly min: number;
  readonly max: number;
  /** The goal from quality-bars.md, in words, e.g. "p95 <= 1000 ms (P1)". */
  readonly goal?: string;
  /** Whether the goal holds, where it can be judged from this figure. */
  readonly meetsGoal?: boolean;
  /** A ratio against a reference measured in the same run. */
  readonly ratio?: { readonly against: string; readonly value: number };
}

export interface Benchmark {
  readonly name: string;
  run(): Promise<readonly Figure[]>;
}

/** Percentile by nearest rank over a copy of the samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

/** Builds a figure from raw samples. */
export function figure(
  name: string,
  unit: string,
  samples: readonly number[],
  extra: Partial<Pick<Figure, 'goal' | 'meetsGoal' | 'ratio'>> = {},
): Figure {
  return {
    name,
    unit,
    samples: samples.length,
    median: percentile(samples, 50),
    p95: percentile(samples, 95),
    min: Math.min(...samples),
    max: Math.max(...samples),
    ...extra,
  };
}
