/**
 * A structural walk of ISO base media files (MP4, MOV, M4V): the top-level boxes must tile the
 * file exactly and a `moov` must exist. This is how the completion gate tells a finished
 * recording from one still being written; a timer cannot (clip-lifecycle.md section 1). A
 * truncated faststart file, which ffprobe may still call valid, fails here because its `mdat`
 * claims more bytes than the file holds.
 */
import type { FileHandle } from 'node:fs/promises';

export interface BoxHeader {
  readonly type: string;
  readonly start: number;
  readonly headerSize: number;
  readonly size: number;
}

export type WalkResult =
  | {
      readonly kind: 'complete';
      readonly boxes: readonly BoxHeader[];
      readonly fragmented: boolean;
    }
  | { readonly kind: 'incomplete'; readonly reason: string }
  | { readonly kind: 'not-iso'; readonly reason: string };

const FOURCC = /^[\x20-\x7e]{4}$/u;

/** Top-level box types named in reasons; any other type is file content and is never echoed. */
const KNOWN_TOP_LEVEL = new Set([
  'ftyp',
  'styp',
  'moov',
  'mdat',
  'moof',
  'mfra',
  'free',
  'skip',
  'wide',
  'uuid',
  'sidx',
  'meta',
  'pdin',
  'emsg',
  'prft',
]);

/**
 * How a reason names a box: by its type when it is a standard one, else "a box". A reason reaches
 * the record's error detail and the window, so it must never carry bytes of the file (a
 * non-video's first bytes are its content; issue 14, item 4).
 */
export function boxName(type: string): string {
  return KNOWN_TOP_LEVEL.has(type) ? `the ${type} box` : 'a box of an unknown type';
}

/** Reads a box header at `offset`, or undefined when fewer bytes remain than a header needs. */
async function readHeader(
  handle: FileHandle,
  offset: number,
  fileSize: number,
): Promise<BoxHeader | 'bad' | undefined> {
  if (fileSize - offset < 8) return undefined;
  const header = Buffer.alloc(16);
  const { bytesRead } = await handle.read(header, 0, Math.min(16, fileSize - offset), offset);
  if (bytesRead < 8) return undefined;
  const type = header.toString('latin1', 4, 8);
  if (!FOURCC.test(type)) return 'bad';
  const size32 = header.readUInt32BE(0);
  if (size32 === 1) {
    if (bytesRead < 16) return undefined;
    const size = Number(header.readBigUInt64BE(8));
    return size < 16 ? 'bad' : { type, start: offset, headerSize: 16, size };
  }
  if (size32 === 0) return { type, start: offset, headerSize: 8, size: 0 };
  return size32 < 8 ? 'bad' : { type, start: offset, headerSize: 8, size: size32 };
}

/** Walks the top-level boxes of an open file of `fileSize` bytes. */
export async function walkTopLevelBoxes(handle: FileHandle, fileSize: number): Promise<WalkResult> {
  const boxes: BoxHeader[] = [];
  let offset = 0;
  while (offset < fileSize) {
    const header = await readHeader(handle, offset, fileSize);
    if (header === 'bad') {
      return boxes.length === 0
        ? { kind: 'not-iso', reason: 'no ISO box structure' }
        : { kind: 'incomplete', reason: `damaged box header at byte ${offset}` };
    }
    if (header === undefined)
      return { kind: 'incomplete', reason: `a partial box header at byte ${offset}` };
    if (
      boxes.length === 0 &&
      header.type !== 'ftyp' &&
      header.type !== 'wide' &&
      header.type !== 'free' &&
      header.type !== 'moov' &&
      header.type !== 'mdat'
    ) {
      return { kind: 'not-iso', reason: 'it does not start with an MP4 or MOV file type box' };
    }
    // Size 0 means "to the end of the file": writers use it while the box is still growing.
    if (header.size === 0)
      return { kind: 'incomplete', reason: `${boxName(header.type)} is still open-ended` };
    if (offset + header.size > fileSize) {
      return {
        kind: 'incomplete',
        reason: `${boxName(header.type)} needs ${offset + header.size - fileSize} more bytes than the file holds`,
      };
    }
    boxes.push(header);
    offset += header.size;
  }
  if (boxes.length === 0) return { kind: 'incomplete', reason: 'no boxes yet' };
  if (!boxes.some((box) => box.type === 'moov'))
    return { kind: 'incomplete', reason: 'no moov box yet' };
  return { kind: 'complete', boxes, fragmented: boxes.some((box) => box.type === 'moof') };
}

/** Reads a whole box's payload (after its header) into memory; bounded by the caller. */
export async function readBoxPayload(handle: FileHandle, box: BoxHeader): Promise<Buffer> {
  const length = box.size - box.headerSize;
  const payload = Buffer.alloc(length);
  await handle.read(payload, 0, length, box.start + box.headerSize);
  return payload;
}

/** Iterates the child boxes inside a container payload. */
export function* childBoxes(payload: Buffer): Generator<{ type: string; body: Buffer }> {
  let offset = 0;
  while (offset + 8 <= payload.length) {
    let size = payload.readUInt32BE(offset);
    const type = payload.toString('latin1', offset + 4, offset + 8);
    let headerSize = 8;
    if (size === 1) {
      if (offset + 16 > payload.length) return;
      size = Number(payload.readBigUInt64BE(offset + 8));
      headerSize = 16;
    } else if (size === 0) size = payload.length - offset;
    if (size < headerSize || offset + size > payload.length) return;
    yield { type, body: payload.subarray(offset + headerSize, offset + size) };
    offset += size;
  }
}
