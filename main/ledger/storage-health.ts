/**
 * Storage errors are states, not crashes (issue 13 item 5): a ledger or journal write that fails
 * because the disk is full, read-only, refused or gone does not throw into the pipeline. The write
 * waits, the app shows why (a code and a sentence), a probe retries every few seconds, and every
 * waiting write goes through by itself once one succeeds. Because the caller's await does not
 * return until its write is on disk, everything that must be durable first (a reservation's
 * intent before its POST, an ack before the next block) pauses with it, and nothing is lost.
 */

export type StorageArea = 'ledger' | 'journal';

export type StorageProblemCode =
  | 'storage/disk-full'
  | 'storage/read-only'
  | 'storage/no-access'
  | 'storage/folder-missing'
  | 'storage/io-error';

export type StorageStatus =
  | { readonly state: 'ok' }
  | {
      readonly state: 'paused';
      readonly code: StorageProblemCode;
      /** One sentence for a person: what happened and that the app continues by itself. */
      readonly message: string;
      readonly area: StorageArea;
      /** What the system said (errno code and path), for the log and diagnostics. */
      readonly detail: string;
    };

const PROBLEMS: Record<string, StorageProblemCode> = {
  ENOSPC: 'storage/disk-full',
  EDQUOT: 'storage/disk-full',
  EROFS: 'storage/read-only',
  EACCES: 'storage/no-access',
  EPERM: 'storage/no-access',
  ENOENT: 'storage/folder-missing',
  ENOTDIR: 'storage/folder-missing',
  EIO: 'storage/io-error',
};

export const STORAGE_MESSAGES: Record<StorageProblemCode, string> = {
  'storage/disk-full':
    "The disk holding the app's data is full. Free some space: intake and uploads are paused and continue by themselves.",
  'storage/read-only':
    "The disk holding the app's data is read-only. Make it writable again: intake and uploads are paused and continue by themselves.",
  'storage/no-access':
    'The app is not allowed to write to its data folder. Check its permissions: intake and uploads are paused and continue by themselves.',
  'storage/folder-missing':
    "The app's data folder went missing. It is being created again; intake and uploads continue once it is.",
  'storage/io-error':
    "The disk holding the app's data reports errors. Intake and uploads are paused and continue by themselves once it writes again.",
};

/** The problem code for a write error, or undefined when it is not about storage (a bug). */
export function storageProblemOf(error: unknown): StorageProblemCode | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === undefined ? undefined : PROBLEMS[code];
}

/** The process is stopping while a write waits for storage: the write did not happen. */
export class StorageClosedError extends Error {
  override name = 'StorageClosedError';
}

export interface StorageHealthOptions {
  /** How often a waiting write is tried again (default 3 s). */
  readonly probeIntervalMs?: number;
}

export class StorageHealth {
  private current: StorageStatus = { state: 'ok' };
  private readonly listeners = new Set<(status: StorageStatus) => void>();
  private readonly waiters = new Set<{ wake: () => void }>();
  private closed = false;
  private readonly probeIntervalMs: number;

  constructor(options: StorageHealthOptions = {}) {
    this.probeIntervalMs = options.probeIntervalMs ?? 3000;
  }

  status(): StorageStatus {
    return this.current;
  }

  subscribe(listener: (status: StorageStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs `write` until it succeeds. A storage error pauses (status `paused`) and the write is
   * tried again every probe interval, and at once when another write succeeds; `repair` runs
   * before each retry (e.g. re-create a deleted folder). Other errors are bugs and are thrown.
   */
  async write<T>(
    area: StorageArea,
    write: () => Promise<T>,
    repair?: (code: StorageProblemCode) => Promise<void>,
  ): Promise<T> {
    for (;;) {
      try {
        const result = await write();
        this.succeeded(area);
        return result;
      } catch (error) {
        const code = storageProblemOf(error);
        if (code === undefined) throw error;
        this.failed(area, code, error);
        // Stopping: a write that cannot be made now is not waited for.
        if (this.closed) throw new StorageClosedError(STORAGE_MESSAGES[code]);
        await this.pause();
        await repair?.(code).catch(() => undefined);
      }
    }
  }

  /** Shutdown: waiting writes try once more and then throw StorageClosedError. */
  close(): void {
    this.closed = true;
    for (const waiter of this.waiters) waiter.wake();
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => {
      const waiter = {
        wake: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(waiter.wake, this.probeIntervalMs);
      this.waiters.add(waiter);
    });
  }

  private failed(area: StorageArea, code: StorageProblemCode, error: unknown): void {
    const errno = error as NodeJS.ErrnoException;
    const detail = `${errno.code ?? 'error'}${errno.path ? ` ${errno.path}` : ''}`;
    if (this.current.state === 'paused' && this.current.code === code) return;
    this.set({ state: 'paused', code, message: STORAGE_MESSAGES[code], area, detail });
  }

  private succeeded(area: StorageArea): void {
    if (this.current.state !== 'paused' || this.current.area !== area) return;
    this.set({ state: 'ok' });
    // One write went through: the others need not wait for their own probe.
    for (const waiter of [...this.waiters]) waiter.wake();
  }

  private set(status: StorageStatus): void {
    this.current = status;
    for (const listener of this.listeners) listener(status);
  }
}
