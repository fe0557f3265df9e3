/**
 * The acknowledged-blocks journal of one reservation: one line per acknowledged block, appended
 * before the worker moves on to its next block.
 *
 * Why not a ledger write per block: an atomic record write (temp file, fsync, rename, fsync of the
 * folder) costs more than sending a 2 MB block on loopback, and persisting must not dominate the
 * upload (P4). An append is one small write() syscall; it survives `kill -9` (the page cache
 * belongs to the kernel, not the process), which is the fault R1 measures. The ledger record gets
 * the acknowledged set in batches (about once a second and at the commit), so a power cut costs
 * at most the blocks since the last batch, re-sent idempotently. Because each worker appends its
 * ack before starting its next block, a crash re-sends at most one block per worker.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdir, readFile, readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { storageProblemOf, StorageHealth } from '../ledger/storage-health';

/** Per journal folder, the health the app shows (shared with the ledger by the composition). */
const healthByFolder = new Map<string, StorageHealth>();

export class UploadJournal {
  private constructor(
    private readonly file: string,
    private fd: number | undefined,
    private readonly health: StorageHealth,
  ) {}

  /**
   * Journals in `folder` report storage trouble to `health` and wait for it to pass (issue 13
   * item 5); answers a function that stops doing so.
   */
  static useHealth(folder: string, health: StorageHealth): () => void {
    healthByFolder.set(path.resolve(folder), health);
    return () => {
      if (healthByFolder.get(path.resolve(folder)) === health)
        healthByFolder.delete(path.resolve(folder));
    };
  }

  /** The storage health journals in `folder` report to (a private one when none was given). */
  static healthOf(folder: string): StorageHealth {
    return healthByFolder.get(path.resolve(folder)) ?? new StorageHealth();
  }

  /** The journal of `gameClipId` (a new reservation starts a new journal). */
  static async open(folder: string, gameClipId: string): Promise<UploadJournal> {
    const health = UploadJournal.healthOf(folder);
    const safe = gameClipId.replace(/[^0-9A-Za-z-]/gu, '_').slice(0, 80);
    const file = path.join(folder, `${safe}.acks`);
    const fd = await health.write('journal', async () => {
      await mkdir(folder, { recursive: true });
      return openSync(file, 'a');
    });
    return new UploadJournal(file, fd, health);
  }

  /** Block numbers recorded so far; a torn last line (only possible on a power cut) is skipped. */
  async read(): Promise<Set<number>> {
    const text = await readFile(this.file, 'utf8').catch(() => '');
    const acked = new Set<number>();
    for (const line of text.split('\n')) if (/^\d+$/u.test(line)) acked.add(Number(line));
    return acked;
  }

  /**
   * A few bytes in one synchronous write(): microseconds, cheaper than a round trip through the
   * thread pool, and done before the caller moves on. When the disk refuses (full, read-only),
   * the answer is a promise that settles once the line is written: the worker waits, and the
   * upload resumes by itself when space is back.
   */
  append(blockNum: number): Promise<void> | undefined {
    if (this.fd === undefined) return undefined;
    try {
      writeSync(this.fd, `${blockNum}\n`);
      return undefined;
    } catch (error) {
      if (storageProblemOf(error) === undefined) throw error;
      // A torn line is skipped on read; start the retried one on a fresh line.
      return this.health.write('journal', async () => {
        if (this.fd === undefined) return;
        writeSync(this.fd, `\n${blockNum}\n`);
      });
    }
  }

  close(): Promise<void> {
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) closeSync(fd);
    return Promise.resolve();
  }

  /** Once the ledger holds the commit, the journal has nothing left to say. */
  async remove(): Promise<void> {
    await this.close();
    await unlink(this.file).catch(() => undefined);
  }

  /** Removes journals of reservations no record refers to any more (start-up sweep). */
  static async sweep(folder: string, liveGameClipIds: ReadonlySet<string>): Promise<void> {
    const names = await readdir(folder).catch(() => [] as string[]);
    for (const name of names) {
      if (!name.endsWith('.acks')) continue;
      if (!liveGameClipIds.has(name.slice(0, -'.acks'.length)))
        await unlink(path.join(folder, name)).catch(() => undefined);
    }
  }
}
