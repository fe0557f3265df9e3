/**
 * Turns the uploader's frequent progress calls into batches at a fixed rate (about 10 Hz for the
 * window, slower for the CLI), with one progress model per clip (app/upload/progress.ts): the
 * bytes shown are acknowledged bytes and never go back, the rate is a moving window over them,
 * and time left follows from it. Progress is not worth a ledger write: the ledger gets
 * acknowledged blocks, the window gets these.
 */
import type { UploadProgressItem } from '../../app/ipc/contract';
import {
  progressAcked,
  progressEta,
  progressRate,
  progressRestarted,
  startProgress,
  type ClipProgress,
} from '../../app/upload/progress';
import type { ProgressDetail } from './upload-service';

interface Entry {
  model: ClipProgress;
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

  /**
   * A reading from the uploader. `detail.ackedBytes` is what the service acknowledged (bytes in
   * flight are not shown: a pause loses them); without it the reading is taken as acknowledged.
   */
  report(clipId: string, sentBytes: number, totalBytes: number, detail?: ProgressDetail): void {
    const nowMs = Date.now();
    const acked = detail?.ackedBytes ?? sentBytes;
    const entry = this.entries.get(clipId);
    if (!entry || entry.model.totalBytes !== totalBytes) {
      this.entries.set(clipId, { model: startProgress(totalBytes, acked, nowMs), dirty: true });
    } else {
      entry.model = detail?.restarted
        ? progressRestarted(entry.model, acked, nowMs)
        : progressAcked(entry.model, acked, nowMs);
      entry.dirty = true;
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
      const { model } = entry;
      const eta = progressEta(model, nowMs);
      items.push({
        clipId,
        sentBytes: model.ackedBytes,
        totalBytes: model.totalBytes,
        bytesPerSecond: Math.round(progressRate(model, nowMs) ?? 0),
        ...(eta !== undefined ? { etaSeconds: eta } : {}),
      });
    }
    if (items.length > 0) this.flush(items);
  }
}
