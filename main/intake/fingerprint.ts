/**
 * A quick content fingerprint: SHA-256 of the size, the first MiB and the last MiB. Enough to
 * recognise the same clip after a rename, a move or a remux twin with identical bytes, without
 * hashing gigabytes while a game is running.
 */
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';

const EDGE_BYTES = 1024 * 1024;

export async function quickFingerprint(handle: FileHandle, size: number): Promise<string> {
  const hash = createHash('sha256');
  hash.update(`size:${size};`);
  const head = Buffer.alloc(Math.min(EDGE_BYTES, size));
  await handle.read(head, 0, head.length, 0);
  hash.update(head);
  if (size > EDGE_BYTES) {
    const tailLength = Math.min(EDGE_BYTES, size - EDGE_BYTES);
    const tail = Buffer.alloc(tailLength);
    await handle.read(tail, 0, tailLength, size - tailLength);
    hash.update(tail);
  }
  return hash.digest('hex');
}
