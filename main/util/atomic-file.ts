/**
 * Atomic file replacement: write a temporary file, fsync it, rename it over the target, fsync the
 * folder. After `kill -9` at any instant the target is either the old or the new content, never a
 * torn mix (clip-lifecycle.md section 5).
 */
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

/** Suffix of temporary files, so a start-up sweep can tell them apart. */
export const TEMP_SUFFIX = '.tmp';

/** Errors with which Windows antivirus and the indexer refuse a rename for a moment. */
const TRANSIENT_RENAME_CODES = new Set(['EPERM', 'EBUSY', 'EACCES']);
/** Back-off between rename attempts: about 1.5 s in all, then the error is real. */
const RENAME_BACKOFF_MS = [10, 25, 50, 100, 200, 400, 700];

/** The rename the atomic write uses; a seam so tests can make it fail as Windows does. */
export interface RenameSeam {
  rename(from: string, to: string): Promise<void>;
  sleep(ms: number): Promise<void>;
}

const realSeam: RenameSeam = {
  rename,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Renames, retrying a short bounded while on EPERM/EBUSY/EACCES: on Windows a scanner or the
 * indexer holding the target open for a few milliseconds must not cost a ledger write.
 */
export async function renameWithRetry(
  from: string,
  to: string,
  seam: RenameSeam = realSeam,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await seam.rename(from, to);
      return;
    } catch (error) {
      const delay = RENAME_BACKOFF_MS[attempt];
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (delay === undefined || !TRANSIENT_RENAME_CODES.has(code)) throw error;
      await seam.sleep(delay);
    }
  }
}

export async function writeFileAtomic(
  target: string,
  data: string | Uint8Array,
  seam: RenameSeam = realSeam,
): Promise<void> {
  const temp = `${target}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`;
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  try {
    await renameWithRetry(temp, target, seam);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncFolder(path.dirname(target));
}

/** Makes a rename durable; folders cannot be opened for sync on Windows, where rename is durable enough. */
async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
