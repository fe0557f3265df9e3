/**
 * Turns the uploader's frequent progress calls into batches at a fixed rate (about 10 Hz for the
 * window, slower for the CLI), with a smoothed rate and an ETA per clip. Progress is not worth a
 * ledger write: the ledger gets acknowledged blocks, the window gets these.
 */
import type { UploadProgressItem } from '../../app/ipc/contract';
import { etaSeconds, startRate, updateRate, type RateState } from '../../app/upload/progress';

interface Entry {
  sentBytes: number;
  totalBytes: number;
  rate: RateState;
  dirty: boolean;
}

export class ProgressBatcher {
  private readonly entries = new Map<string, Entry>();
  private timer: NodeJS.Timeout | undefined;
  private lastFlushMs = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly flush: (items: readonly UploadProgressItem[]) => void,
  ) {}

  report(clipId: string, sentBytes: number, totalBytes: number): void {
    const entry = this.entries.get(clipId);
    if (entry) {
      entry.sentBytes = sentBytes;
      entry.totalBytes = totalBytes;
      entry.dirty = true;
    } else {
      this.entries.set(clipId, {
        sentBytes,
        totalBytes,
        rate: startRate(sentBytes, Date.now()),
        dirty: true,
      });
    }
    // Leading edge: a quiet batcher reports at once, then at most once per interval.
    this.timer ??= setTimeout(
      () => this.tick(),
      Math.max(0, this.lastFlushMs + this.intervalMs - Date.now()),
    );
  }

  /** The clip is done (or stopped): its last figure goes out now, then it is dropped. */
  forget(clipId: string): void {
    const entry = this.entries.get(clipId);
    if (entry?.dirty) this.tick([clipId]);
    this.entries.delete(clipId);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private tick(only?: readonly string[]): void {
    if (!only) {
      this.timer = undefined;
      this.lastFlushMs = Date.now();
    }
    const nowMs = Date.now();
    const items: UploadProgressItem[] = [];
    for (const [clipId, entry] of this.entries) {
      if (!entry.dirty || (only && !only.includes(clipId))) continue;
      entry.dirty = false;
      entry.rate = updateRate(entry.rate, entry.sentBytes, nowMs);
      const bytesPerSecond = Math.round(entry.rate.bytesPerSecond ?? 0);
      const eta = etaSeconds(entry.sentBytes, entry.totalBytes, entry.rate.bytesPerSecond);
      items.push({
        clipId,
        sentBytes: entry.sentBytes,
        totalBytes: entry.totalBytes,
        bytesPerSecond,
        ...(eta !== undefined ? { etaSeconds: eta } : {}),
      });
    }
    if (items.length > 0) this.flush(items);
  }
}
