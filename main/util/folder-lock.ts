/**
 * An owner lock on a data folder that survives crashes correctly.
 *
 * Why not a pid file: after a crash the pid is free for any other process (even another user's)
 * to reuse, and `kill(pid, 0)` then says "alive" forever. Here the lock is proper-lockfile's
 * directory, whose mtime the owner refreshes every few seconds: a lock nobody refreshed within the
 * stale timeout is abandoned whatever its pid says. Beside it an owner file names the holder (pid,
 * a random owner token, the lock directory it describes) so a refusal can say who holds the folder,
 * and a holder whose pid is certainly gone is replaced at once instead of after the timeout.
 *
 * Leaf utility: imports nothing from the rest of main/, so the sandbox may use it too.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, type Stats } from 'node:fs';
import { rm, writeFile, rename } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';

/** Who holds a folder, as written in the owner file beside the lock. */
export interface LockOwner {
  readonly pid: number;
  readonly hostname: string;
  /** Random per acquisition: tells one holding of the lock from the next. */
  readonly token: string;
  readonly startedAt: string;
  /** Identity of the lock directory this owner created (inode and birth time). */
  readonly lockIno: number;
  readonly lockBirthMs: number;
}

export interface FolderLockOptions {
  /** Name of the lock inside the folder, e.g. `companion.lock`. */
  readonly name: string;
  /** A lock not refreshed for this long is abandoned (default 10 s). */
  readonly staleMs?: number;
  /** How often the holder refreshes it (default a third of staleMs). */
  readonly updateMs?: number;
  /**
   * A second opinion on a holder whose pid is alive: answers false when that pid belongs to some
   * other process (the holder crashed and the pid was reused). Default: trust the stale timeout.
   */
  readonly isHolderAlive?: (owner: LockOwner) => Promise<boolean>;
  /** The lock was lost (folder removed, refresh failed past the timeout). */
  readonly onCompromised?: (error: Error) => void;
}

export interface HeldFolderLock {
  readonly folder: string;
  readonly owner: LockOwner;
  /** Throws when the lock is no longer ours (compromised or released). */
  check(): Promise<boolean>;
  release(): Promise<void>;
}

/** Another live process holds the folder; `owner` says which, when the owner file could be read. */
export class FolderHeldError extends Error {
  constructor(
    readonly folder: string,
    readonly owner: LockOwner | undefined,
  ) {
    super(
      `The folder ${folder} is in use by ${owner ? `process ${owner.pid}` : 'another process'}.`,
    );
    this.name = 'FolderHeldError';
  }
}

function ownerFileOf(folder: string, name: string): string {
  return path.join(folder, `${name}.owner.json`);
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockOwner>;
    if (
      typeof owner.pid !== 'number' ||
      typeof owner.token !== 'string' ||
      typeof owner.lockIno !== 'number' ||
      typeof owner.lockBirthMs !== 'number'
    )
      return undefined;
    return owner as LockOwner;
  } catch {
    return undefined;
  }
}

function statOrUndefined(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

/** True unless the pid certainly names no process (EPERM: alive, someone else's). */
export function isPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function describes(owner: LockOwner | undefined, lockDir: Stats | undefined): boolean {
  return (
    owner !== undefined &&
    lockDir !== undefined &&
    owner.lockIno === lockDir.ino &&
    owner.lockBirthMs === lockDir.birthtimeMs
  );
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes the lock on `folder` or throws FolderHeldError naming the live holder. A holder that is
 * certainly gone (its pid names no process, or `isHolderAlive` says the pid is someone else's) is
 * replaced at once; one that stopped refreshing is replaced after the stale timeout.
 */
export async function lockFolder(
  folder: string,
  options: FolderLockOptions,
): Promise<HeldFolderLock> {
  const staleMs = options.staleMs ?? 10_000;
  const lockPath = path.join(folder, options.name);
  const ownerFile = ownerFileOf(folder, options.name);
  let compromised: Error | undefined;
  let release: (() => Promise<void>) | undefined;
  for (let attempt = 0; attempt < 5 && !release; attempt++) {
    try {
      release = await lockfile.lock(folder, {
        lockfilePath: lockPath,
        realpath: false,
        stale: staleMs,
        update: options.updateMs ?? Math.max(1000, Math.floor(staleMs / 3)),
        retries: 0,
        onCompromised: (error) => {
          compromised = error;
          options.onCompromised?.(error);
        },
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      // The holder writes its owner file just after creating the lock: give it a moment.
      let owner = readOwner(ownerFile);
      let lockDir = statOrUndefined(lockPath);
      for (let tries = 0; tries < 20 && lockDir && !describes(owner, lockDir); tries++) {
        await wait(100);
        owner = readOwner(ownerFile);
        lockDir = statOrUndefined(lockPath);
      }
      if (!lockDir) continue; // released meanwhile: try again
      if (!owner || !describes(owner, lockDir)) throw new FolderHeldError(folder, undefined);
      const sameHost = owner.hostname === os.hostname();
      const gone =
        sameHost &&
        owner.pid !== process.pid &&
        (!isPidAlive(owner.pid) ||
          (options.isHolderAlive !== undefined && !(await options.isHolderAlive(owner))));
      if (!gone) throw new FolderHeldError(folder, owner);
      // The lock directory this dead owner made, and no newer one: remove it and take it.
      if (describes(readOwner(ownerFile), statOrUndefined(lockPath)))
        await rm(lockPath, { recursive: true, force: true });
    }
  }
  if (!release) throw new FolderHeldError(folder, readOwner(ownerFile));
  const lockDir = statSync(lockPath);
  const owner: LockOwner = {
    pid: process.pid,
    hostname: os.hostname(),
    token: randomBytes(16).toString('hex'),
    startedAt: new Date().toISOString(),
    lockIno: lockDir.ino,
    lockBirthMs: lockDir.birthtimeMs,
  };
  const temp = `${ownerFile}.${owner.token.slice(0, 8)}.tmp`;
  await writeFile(temp, JSON.stringify(owner), { mode: 0o600 });
  await rename(temp, ownerFile);
  const releaseLock = release;
  let released = false;
  return {
    folder,
    owner,
    async check() {
      if (compromised || released) return false;
      return lockfile.check(folder, { lockfilePath: lockPath, realpath: false, stale: staleMs });
    },
    async release() {
      if (released) return;
      released = true;
      if (readOwner(ownerFile)?.token === owner.token) await rm(ownerFile, { force: true });
      if (!compromised) await releaseLock().catch(() => undefined);
    },
  };
}
