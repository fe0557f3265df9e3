/**
 * Record writes for the sandbox: coalesced, never overlapping, each one atomic and durable through
 * the ledger's writer (temporary file, fsync, rename), so a killed sandbox leaves every record
 * readable.
 */
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { TEMP_SUFFIX, writeFileAtomic } from '../util/atomic-file';

/** Removes temporary files a killed process left in `dir`; they never hold the only copy. */
export async function removeStrayTemporaries(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((name) => name.endsWith(TEMP_SUFFIX))
      .map((name) => rm(path.join(dir, name), { force: true })),
  );
}

/**
 * Saves the latest snapshot of one value, coalescing bursts: while a write is running, further
 * saves mark the value dirty and share a single follow-up write. Writes never overlap, so an older
 * snapshot can never land after a newer one.
 */
export class CoalescingWriter {
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;

  constructor(
    private readonly filePath: string,
    private readonly snapshot: () => string,
  ) {}

  /** Resolves once a write that includes the state at the time of the call is on disk. */
  save(): Promise<void> {
    if (this.next) return this.next;
    if (this.running) {
      const after = this.running.catch(() => undefined);
      this.next = after.then(() => {
        this.next = undefined;
        return this.start();
      });
      return this.next;
    }
    return this.start();
  }

  private start(): Promise<void> {
    const write = writeFileAtomic(this.filePath, this.snapshot());
    this.running = write;
    const clear = (): void => {
      if (this.running === write) this.running = undefined;
    };
    write.then(clear, clear);
    return write;
  }

  /** Resolves when no write is pending. */
  async idle(): Promise<void> {
    while (this.running || this.next) await (this.next ?? this.running)?.catch(() => undefined);
  }
}
