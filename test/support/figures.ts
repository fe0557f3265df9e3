/**
 * Figures from fault runs (kills, retries, reservations counted on the service), written one JSON
 * line each to GC_FIGURES_FILE when `npm run faults` sets it, so the run can print them as a
 * table. Outside that command nothing is written: the assertions are what the tests stand on.
 */
import { appendFileSync } from 'node:fs';

export function recordFigure(name: string, values: Record<string, number | string>): void {
  const file = process.env.GC_FIGURES_FILE;
  if (!file) return;
  appendFileSync(file, `${JSON.stringify({ name, ...values })}\n`);
}

/** A count from the environment (how many kills or rounds), with the default for `npm test`. */
export function roundsFromEnv(variable: string, fallback: number): number {
  const value = Number(process.env[variable]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}
