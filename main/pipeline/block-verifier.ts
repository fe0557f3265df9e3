/**
 * Bytes that match the reservation (issue 13 item 2): a published clip's bytes always equal one
 * version of the file.
 *
 * Every block is checked right after it is read: the open file (fstat) still has the size, mtime
 * and ctime it had when the upload started. The ctime is the change time no tool can set back: a
 * rewrite that restores the mtime still moves it, so an unchanged ctime after the read proves the
 * bytes read are that version's. The path must still name that file (lstat: same inode, size and
 * mtime: not replaced by a rename) while blocks go and after the last. Any difference is a changed file: the upload stops before a block of another version
 * leaves, the reservation is abandoned and the file goes through intake again.
 *
 * Each block's checksum is recorded the first time it is read and checked whenever it is read
 * again (a retried block, a resumed upload). The reference (size, times, checksums) is kept beside
 * the acknowledged-blocks journal, so a later run that finds the file's change time moved re-reads
 * the blocks the service already holds and compares them before sending more: a resumed upload
 * cannot mix versions either.
 *
 * The checksum is CRC-32 (zlib.crc32): about 0.25 CPU-s per GiB here against 0.75 for SHA-256,
 * which would take the upload past P4's 1 CPU-s per GiB. It guards against accidental change
 * (a recorder or sync tool rewriting the file), not against an adversary on the user's own disk.
 */
import { lstat, readFile, readdir, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { FileIdentity } from '../../app/clip/clip';
import { blockSpan } from '../../app/gameclips/blocks';
import { CLIENT_BLOCK_BYTES } from '../../app/gameclips/limits';
import { writeFileAtomic } from '../util/atomic-file';
import { UploadJournal } from './upload-journal';

interface Reference {
  readonly version: 2;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
  readonly fingerprint: string;
  readonly blockBytes: number;
  /** Checksum of each block as first read; null until read. */
  readonly checksums: (number | null)[];
}

export type BlockCheck = 'same' | 'changed' | 'gone';

function referenceFile(folder: string, name: string): string {
  return path.join(folder, `${name}.blocks.json`);
}

export class BlockVerifier {
  private dirty = false;

  private constructor(
    private readonly file: FileIdentity,
    private reference: Reference,
    private readonly where: string,
  ) {}

  /**
   * The reference for this reservation. A stored one for the same content is reused; if the
   * file's change time moved since, the blocks it already checksummed (those the service may
   * hold) are read again and compared. 'changed' when they differ or the file is not the record's.
   */
  static async open(
    folder: string,
    name: string,
    file: FileIdentity,
    handle: FileHandle,
    expectedBlocks: number,
  ): Promise<BlockVerifier | 'changed'> {
    const where = referenceFile(folder, name);
    const now = await handle.stat();
    if (now.size !== file.size || now.mtimeMs !== file.mtimeMs) return 'changed';
    const fresh: Reference = {
      version: 2,
      size: file.size,
      mtimeMs: now.mtimeMs,
      ctimeMs: now.ctimeMs,
      ino: now.ino,
      fingerprint: file.fingerprint,
      blockBytes: CLIENT_BLOCK_BYTES,
      checksums: Array.from({ length: expectedBlocks }, () => null),
    };
    const stored = await readFile(where, 'utf8')
      .then((text) => JSON.parse(text) as Reference)
      .catch(() => undefined);
    const verifier = new BlockVerifier(file, fresh, where);
    if (
      stored?.version === 2 &&
      stored.size === file.size &&
      stored.fingerprint === file.fingerprint &&
      stored.blockBytes === CLIENT_BLOCK_BYTES &&
      stored.checksums.length === expectedBlocks
    ) {
      verifier.reference = { ...fresh, checksums: [...stored.checksums] };
      if (stored.ctimeMs !== now.ctimeMs || stored.ino !== now.ino) {
        // Touched, copied over itself, or rewritten: what was sent must still be what is here.
        const buffer = Buffer.alloc(CLIENT_BLOCK_BYTES);
        for (let blockNum = 0; blockNum < expectedBlocks; blockNum++) {
          if (stored.checksums[blockNum] === null) continue;
          const span = blockSpan(file.size, blockNum);
          const length = span.end - span.start;
          const { bytesRead } = await handle.read(buffer, 0, length, span.start);
          if (bytesRead !== length || !verifier.matches(blockNum, buffer.subarray(0, length)))
            return 'changed';
        }
        if ((await verifier.check(handle)) !== 'same') return 'changed';
      }
    }
    await verifier.save();
    return verifier;
  }

  /**
   * After each block is read: the open file still has the reference's size, mtime and ctime. Any
   * write since the reference moved the ctime (to "now"), so an unchanged ctime after the read
   * means the bytes read are the reference version's; one fstat per block suffices.
   */
  async check(handle: FileHandle): Promise<BlockCheck> {
    const open = await handle.stat().catch(() => undefined);
    if (!open) return 'gone';
    const ref = this.reference;
    if (open.size !== ref.size || open.mtimeMs !== ref.mtimeMs || open.ctimeMs !== ref.ctimeMs)
      return 'changed';
    return 'same';
  }

  /**
   * After a block was read: its checksum is recorded the first time, compared every other time.
   */
  matches(blockNum: number, bytes: Uint8Array): boolean {
    const sum = crc32(bytes);
    const known = this.reference.checksums[blockNum];
    if (known === null || known === undefined) {
      this.reference.checksums[blockNum] = sum;
      this.dirty = true;
      return true;
    }
    return known === sum;
  }

  /** The path still names the same file (inode, size and mtime): not replaced by a rename. */
  async pathCheck(): Promise<BlockCheck> {
    const info = await lstat(this.file.path).catch(() => undefined);
    if (!info?.isFile()) return 'gone';
    const ref = this.reference;
    if (info.ino !== ref.ino || info.size !== ref.size || info.mtimeMs !== ref.mtimeMs)
      return 'changed';
    return 'same';
  }

  /** Keeps the checksums for a later run (at the end of each upload attempt). */
  async save(): Promise<void> {
    this.dirty = false;
    // Beside the acks journal, so a full or read-only disk pauses the upload like a journal write
    // does (issue 13 item 5) and it goes on by itself when space is back.
    const reference = JSON.stringify(this.reference);
    await UploadJournal.healthOf(path.dirname(this.where)).write('journal', () =>
      writeFileAtomic(this.where, reference),
    );
  }

  async saveIfChanged(): Promise<void> {
    if (this.dirty) await this.save().catch(() => undefined);
  }

  /** The reservation is committed or abandoned: the reference has nothing left to check. */
  async remove(): Promise<void> {
    await unlink(this.where).catch(() => undefined);
  }

  static async remove(folder: string, name: string): Promise<void> {
    await unlink(referenceFile(folder, name)).catch(() => undefined);
  }
}

/** Removes references of reservations no record refers to any more (start-up sweep). */
export async function sweepBlockReferences(
  folder: string,
  liveNames: ReadonlySet<string>,
): Promise<void> {
  const names = await readdir(folder).catch(() => [] as string[]);
  for (const name of names)
    if (name.endsWith('.blocks.json') && !liveNames.has(name.slice(0, -'.blocks.json'.length)))
      await unlink(path.join(folder, name)).catch(() => undefined);
}
