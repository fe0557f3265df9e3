/**
 * The ledger's append-only intent journal: one line per decisive change of a record (created,
 * reserve intent, reserved, each state change, removed), fsync'd before the write is reported
 * done. It lives beside the ledger folder, so a damaged record, or a ledger folder deleted
 * under the app, is rebuilt from it (id, file identity, request, reservation, state) instead of
 * the file being reserved again blindly (issue 13 item 6).
 *
 * Lines are whole records (a few hundred bytes) written in batches: one write() and one
 * fdatasync per batch, however many records changed meanwhile.
 */
import { open, readFile, type FileHandle } from 'node:fs/promises';
import type { ClipRecord } from '../../app/clip/clip';
import { writeFileAtomic } from '../util/atomic-file';

type Line = { readonly id: string; readonly record?: ClipRecord; readonly removed?: true };

export class IntentJournal {
  private handle: FileHandle | undefined;
  private readonly queued: string[] = [];
  private batch: Promise<void> | undefined;
  private lines = 0;
  /** A failed write may have left a torn line: the next one starts on a fresh line. */
  private torn = false;

  private constructor(readonly file: string) {}

  /** Reads the journal: the latest record per id (null: removed). A torn last line is skipped. */
  static async open(
    file: string,
  ): Promise<{ journal: IntentJournal; latest: Map<string, ClipRecord | null> }> {
    const journal = new IntentJournal(file);
    const latest = new Map<string, ClipRecord | null>();
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const raw of text.split('\n')) {
      if (raw.length === 0) continue;
      try {
        const line = JSON.parse(raw) as Line;
        if (typeof line.id !== 'string') continue;
        latest.set(line.id, line.removed ? null : (line.record ?? null));
        journal.lines++;
      } catch {
        // A torn line (power cut mid-append): what it said is in the record file, or lost.
      }
    }
    return { journal, latest };
  }

  /**
   * Creates the file and opens it for appending at start-up, so the first decisive write pays
   * for one small append, not for creating a file (a second journal commit on most disks).
   */
  async prepare(): Promise<void> {
    if (this.handle) return;
    this.handle = await open(this.file, 'a', 0o600);
    await this.handle.sync();
  }

  get lineCount(): number {
    return this.lines;
  }

  /** Queues a line saying `record` is now as given; `flush` puts it on disk. */
  recordChanged(record: ClipRecord): void {
    this.enqueue({ id: record.id, record });
  }

  recordRemoved(id: string): void {
    this.enqueue({ id, removed: true });
  }

  /**
   * Writes every queued line (one write, one fdatasync); resolves once they are on disk. Batches
   * run one after another; a failed batch keeps its lines for the next call, so a retry never
   * writes a line twice.
   */
  flush(): Promise<void> {
    const next = (this.batch ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => this.flushQueued());
    this.batch = next;
    return next;
  }

  /** Rewrites the journal as one line per live record (start-up, after the folder was lost). */
  async compact(records: Iterable<ClipRecord>): Promise<void> {
    await this.batch?.catch(() => undefined);
    // Every live record's current state is in the rewrite: lines still queued are older.
    this.queued.length = 0;
    this.torn = false;
    const text = [...records].map((record) => `${JSON.stringify({ id: record.id, record })}\n`);
    await this.closeHandle();
    await writeFileAtomic(this.file, text.join(''));
    this.lines = text.length;
  }

  async close(): Promise<void> {
    await this.batch?.catch(() => undefined);
    await this.closeHandle();
  }

  /** Drops the open handle: after a failure, or when the file may have been deleted. */
  async reopen(): Promise<void> {
    await this.closeHandle();
  }

  private async closeHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
  }

  private enqueue(line: Line): void {
    this.queued.push(`${JSON.stringify(line)}\n`);
    this.lines++;
  }

  private async flushQueued(): Promise<void> {
    if (this.queued.length === 0) return;
    const taken = this.queued.length;
    const text = `${this.torn ? '\n' : ''}${this.queued.slice(0, taken).join('')}`;
    try {
      this.handle ??= await open(this.file, 'a', 0o600);
      await this.handle.write(text);
      await this.handle.datasync();
      this.queued.splice(0, taken);
      this.torn = false;
    } catch (error) {
      // Keep the lines for the next try; a new handle then (the file may be gone).
      this.torn = true;
      await this.closeHandle();
      throw error;
    }
  }
}
