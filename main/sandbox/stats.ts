/**
 * Request counters for GET /sandbox/stats: how many requests each route answered with each status
 * (or lost to a dropped connection), so fault and retry tests can assert what reached the server.
 */
export class Stats {
  private counts = new Map<string, Map<string, number>>();

  record(route: string, outcome: number | 'dropped'): void {
    let byOutcome = this.counts.get(route);
    if (!byOutcome) this.counts.set(route, (byOutcome = new Map()));
    const key = String(outcome);
    byOutcome.set(key, (byOutcome.get(key) ?? 0) + 1);
  }

  /** `{ route: { status: count } }`, routes and statuses in first-seen order. */
  snapshot(): Record<string, Record<string, number>> {
    return Object.fromEntries(
      [...this.counts].map(([route, byOutcome]) => [route, Object.fromEntries(byOutcome)]),
    );
  }

  reset(): void {
    this.counts = new Map();
  }
}
