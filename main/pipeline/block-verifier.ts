/**
 * Bytes that match the reservation (issue 13 item 2): a published clip's bytes always equal one
 * version of the file.
 *
 * Before the first block of a reservation goes, the whole file is read once and a checksum of
 * every block is recorded (the reference: the version being uploaded), with the file's size and
 * mtime before and after that read. Then every block read for sending is checked against it:
 * the file's size and mtime (fstat of the open handle, and lstat of the path: replaced by a
 * rename) before the read, and the block's checksum after it. Any difference is a changed file:
 * the upload stops before that block leaves, the reservation is abandoned and the file goes
 * through intake again. Blocks acknowledged in an earlier run were checked against the same
 * reference (it is kept beside the acknowledged-blocks journal), so a resumed upload cannot mix
 * versions either. After the last block the path is checked once more.
 *
 * The checksum is CRC-32 (zlib.crc32, SIMD): about 0.2 CPU-s per GiB here against 0.75 for
 * SHA-256, and the reference costs a second pass, so SHA-256 would put the upload far over P4's
 * 1 CPU-s per GiB. It guards against accidental change (a recorder or sync tool rewriting the
 * file), not against an adversary on the user's own disk; with size and mtime checked too, an
 * undetected change needs a same-size, same-mtime rewrite whose block CRC collides (2^-32).
 */
import { lstat, readFile, readdir, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { FileIdentity } from '../../app/clip/clip';
import { blockSpan } from '../../app/gameclips/blocks';
import { CLIENT_BLOCK_BYTES } from '../../app/gameclips/limits';
import { writeFileAtomic } from '../ledger/atomic-file';

interface Reference {
  readonly version: 1;
  readonly size: number;
  readonly mtimeMs: number;
  readonly fingerprint: string;
  readonly blockBytes: number;
  readonly checksums: readonly number[];
}

export type BlockCheck = 'same' | 'changed' | 'gone';

function referenceFile(folder: string, name: string): string {
  return path.join(folder, `${name}.blocks.json`);
}

export class BlockVerifier {
  private constructor(
    private readonly file: FileIdentity,
    private readonly reference: Reference,
    private readonly where: string,
  ) {}

  /**
   * The reference for this reservation: loaded if an earlier run recorded it for the same file
   * identity, else made now by reading the whole file. 'changed' when the file moved under the
   * read (size or mtime differ from the record's).
   */
  static async open(
    folder: string,
    name: string,
    file: FileIdentity,
    handle: FileHandle,
    expectedBlocks: number,
  ): Promise<BlockVerifier | 'changed'> {
    const where = referenceFile(folder, name);
    const stored = await readFile(where, 'utf8')
      .then((text) => JSON.parse(text) as Reference)
      .catch(() => undefined);
    if (
      stored?.version === 1 &&
      stored.size === file.size &&
      stored.fingerprint === file.fingerprint &&
      stored.blockBytes === CLIENT_BLOCK_BYTES &&
      stored.checksums.length === expectedBlocks
    ) {
      // Same content as recorded; the mtime may have moved (touched): the per-block checks decide.
      return new BlockVerifier(file, { ...stored, mtimeMs: file.mtimeMs }, where);
    }
    const before = await handle.stat();
    if (before.size !== file.size || before.mtimeMs !== file.mtimeMs) return 'changed';
    const buffer = Buffer.alloc(CLIENT_BLOCK_BYTES);
    const checksums: number[] = [];
    for (let blockNum = 0; blockNum < expectedBlocks; blockNum++) {
      const span = blockSpan(file.size, blockNum);
      const length = span.end - span.start;
      const { bytesRead } = await handle.read(buffer, 0, length, span.start);
      if (bytesRead !== length) return 'changed';
      checksums.push(crc32(buffer.subarray(0, length)));
    }
    const after = await handle.stat();
    if (after.size !== file.size || after.mtimeMs !== file.mtimeMs) return 'changed';
    const reference: Reference = {
      version: 1,
      size: file.size,
      mtimeMs: file.mtimeMs,
      fingerprint: file.fingerprint,
      blockBytes: CLIENT_BLOCK_BYTES,
      checksums,
    };
    await writeFileAtomic(where, JSON.stringify(reference));
    return new BlockVerifier(file, reference, where);
  }

  /** Before a block is read: the open file and the path still have the reference's size and mtime. */
  async before(handle: FileHandle): Promise<BlockCheck> {
    const open = await handle.stat().catch(() => undefined);
    if (!open) return 'gone';
    if (open.size !== this.reference.size || open.mtimeMs !== this.reference.mtimeMs)
      return 'changed';
    return this.pathCheck();
  }

  /** After a block was read: its bytes are the reference's. */
  matches(blockNum: number, bytes: Uint8Array): boolean {
    return crc32(bytes) === this.reference.checksums[blockNum];
  }

  /** After the last block: the path still names the same file (size and mtime). */
  async pathCheck(): Promise<BlockCheck> {
    const info = await lstat(this.file.path).catch(() => undefined);
    if (!info?.isFile()) return 'gone';
    if (info.size !== this.reference.size || info.mtimeMs !== this.reference.mtimeMs)
      return 'changed';
    return 'same';
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
