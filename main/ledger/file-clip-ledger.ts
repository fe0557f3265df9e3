/**
 * A ClipLedger kept as one JSON file per clip in a folder, each written atomically.
 *
 * One file per record keeps a write proportional to one clip (not the whole history) and means
 * a damaged file can only ever cost that one record. No native modules: SQLite bindings need
 * Electron's headers, which the project's machines cannot fetch.
 */
import { readFileSync, unlinkSync } from 'node:fs';
import { mkdir, readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { CLIP_RECORD_SCHEMA_VERSION, type ClipRecord } from '../../app/clip/clip';
import type { Logger } from '../core/logger';
import { TEMP_SUFFIX, writeFileAtomic } from './atomic-file';
import type { ClipLedger, LedgerListener } from './clip-ledger';

const RECORD_NAME = /^[0-9a-f-]{36}\.json$/u;
/** Record files read between two yields to the event loop at start-up (a few ms each). */
const LOAD_SLICE = 256;

export class FileClipLedger implements ClipLedger {
  private readonly records = new Map<string, ClipRecord>();
  private readonly listeners = new Set<LedgerListener>();
  /** Writes per record are chained so the last put wins on disk as it does in memory. */
  private readonly writes = new Map<string, Promise<void>>();

  private constructor(
    private readonly folder: string,
    private readonly logger: Logger,
  ) {}

  /** Opens (or creates) the ledger in `folder`, sweeping temporary files a crash left behind. */
  static async open(folder: string, logger: Logger): Promise<FileClipLedger> {
    const ledger = new FileClipLedger(folder, logger);
    await mkdir(folder, { recursive: true });
    const names = await readdir(folder);
    // Small synchronous reads in slices, yielding between them: 10,000 records load in about
    // 0.15 s this way, against 0.6 s through the 4-thread pool and 1.4 s one by one (P3). The
    // ledger lives on the local data folder, never on a network drive that could hang.
    for (let start = 0; start < names.length; start += LOAD_SLICE) {
      for (const name of names.slice(start, start + LOAD_SLICE)) ledger.load(name);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return ledger;
  }

  /** Loads one file of the ledger folder at start-up, sweeping a crash's temporary file. */
  private load(name: string): void {
    const file = path.join(this.folder, name);
    if (name.endsWith(TEMP_SUFFIX)) {
      try {
        unlinkSync(file);
      } catch {
        // Already gone, or not ours to remove: nothing to sweep.
      }
      return;
    }
    if (!RECORD_NAME.test(name)) return;
    try {
      const record = JSON.parse(readFileSync(file, 'utf8')) as ClipRecord;
      if (record.schemaVersion !== CLIP_RECORD_SCHEMA_VERSION || typeof record.id !== 'string') {
        this.logger.warn('ledger: skipping a record of an unknown schema', { file: name });
        return;
      }
      this.records.set(record.id, record);
    } catch (error) {
      // Atomic writes make this unreachable short of disk damage; keep the file for inspection.
      this.logger.error('ledger: unreadable record left in place', {
        file: name,
        error: String(error),
      });
    }
  }

  all(): readonly ClipRecord[] {
    return [...this.records.values()];
  }

  get(id: string): ClipRecord | undefined {
    return this.records.get(id);
  }

  put(record: ClipRecord): Promise<void> {
    this.records.set(record.id, record);
    for (const listener of this.listeners) listener({ upserted: record });
    return this.chain(record.id, () =>
      writeFileAtomic(this.fileOf(record.id), `${JSON.stringify(record, null, 1)}\n`),
    );
  }

  remove(id: string): Promise<void> {
    if (!this.records.delete(id)) return Promise.resolve();
    for (const listener of this.listeners) listener({ removedId: id });
    return this.chain(id, () =>
      unlink(this.fileOf(id)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      }),
    );
  }

  subscribe(listener: LedgerListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async flush(): Promise<void> {
    await Promise.allSettled([...this.writes.values()]);
  }

  private fileOf(id: string): string {
    if (!/^[0-9a-f-]{36}$/u.test(id))
      throw new Error(`ledger: invalid clip id ${JSON.stringify(id)}`);
    return path.join(this.folder, `${id}.json`);
  }

  private chain(id: string, write: () => Promise<void>): Promise<void> {
    const previous = this.writes.get(id) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(write);
    this.writes.set(id, next);
    void next
      .finally(() => {
        if (this.writes.get(id) === next) this.writes.delete(id);
      })
      .catch(() => undefined);
    return next;
  }
}
