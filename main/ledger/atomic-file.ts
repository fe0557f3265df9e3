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

export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
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
    await rename(temp, target);
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
