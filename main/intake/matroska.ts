/**
 * A structural check of Matroska and WebM files: the EBML header and the Segment must be
 * consistent (a known Segment size that ends exactly at the end of the file) and the duration
 * must be known. Recorders write the Segment size and the duration when they finalize the file,
 * so a file still being written fails this check.
 */
import type { FileHandle } from 'node:fs/promises';
import type { ClipProbe } from '../../app/clip/clip';

const EBML_ID = 0x1a45dfa3;
const SEGMENT_ID = 0x18538067;
const INFO_ID = 0x1549a966;
const TIMECODE_SCALE_ID = 0x2ad7b1;
const DURATION_ID = 0x4489;
const DATE_UTC_ID = 0x4461;
const DOC_TYPE_ID = 0x4282;
const TRACKS_ID = 0x1654ae6b;
const TRACK_ENTRY_ID = 0xae;
const TRACK_TYPE_ID = 0x83;
const CODEC_ID = 0x86;
const VIDEO_ID = 0xe0;
const PIXEL_WIDTH_ID = 0xb0;
const PIXEL_HEIGHT_ID = 0xba;
const CLUSTER_ID = 0x1f43b675;
/** How far into the Segment to look for Info; muxers put it within the first few KiB. */
const INFO_SEARCH_BYTES = 256 * 1024;
/** Nanoseconds between 1970-01-01 and 2001-01-01, the Matroska date epoch. */
const MATROSKA_EPOCH_MS = Date.UTC(2001, 0, 1);

export type MatroskaResult =
  | { readonly kind: 'complete'; readonly probe: ClipProbe }
  | { readonly kind: 'incomplete'; readonly reason: string }
  | { readonly kind: 'not-matroska'; readonly reason: string };

interface Vint {
  readonly value: number;
  readonly length: number;
  readonly unknown: boolean;
}

function readVint(buffer: Buffer, offset: number, keepMarker: boolean): Vint | undefined {
  const first = buffer[offset];
  if (first === undefined || first === 0) return undefined;
  const length = Math.clz32(first) - 23;
  if (offset + length > buffer.length) return undefined;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const byte = buffer[offset + i] as number;
    value = value * 256 + byte;
    if (byte !== 0xff) allOnes = false;
  }
  return { value, length, unknown: !keepMarker && allOnes };
}

function* elements(
  buffer: Buffer,
  start: number,
  end: number,
): Generator<{ id: number; dataStart: number; size: number; unknown: boolean }> {
  let offset = start;
  while (offset < end) {
    const id = readVint(buffer, offset, true);
    if (!id) return;
    const size = readVint(buffer, offset + id.length, false);
    if (!size) return;
    const dataStart = offset + id.length + size.length;
    yield { id: id.value, dataStart, size: size.value, unknown: size.unknown };
    if (size.unknown) return;
    offset = dataStart + size.value;
  }
}

function readUint(buffer: Buffer, start: number, size: number): number {
  let value = 0;
  for (let i = 0; i < size; i++) value = value * 256 + (buffer[start + i] as number);
  return value;
}

interface VideoTrack {
  readonly codec?: string;
  readonly width?: number;
  readonly height?: number;
}

/** The first video TrackEntry: its CodecID and pixel size. */
function readVideoTrack(head: Buffer, start: number, end: number): VideoTrack | undefined {
  for (const entry of elements(head, start, end)) {
    if (entry.id !== TRACK_ENTRY_ID) continue;
    let type = 0;
    let codec: string | undefined;
    let width: number | undefined;
    let height: number | undefined;
    const entryEnd = Math.min(end, entry.dataStart + entry.size);
    for (const field of elements(head, entry.dataStart, entryEnd)) {
      if (field.id === TRACK_TYPE_ID) type = readUint(head, field.dataStart, field.size);
      else if (field.id === CODEC_ID)
        codec = head.toString('latin1', field.dataStart, field.dataStart + field.size);
      else if (field.id === VIDEO_ID) {
        const videoEnd = Math.min(entryEnd, field.dataStart + field.size);
        for (const dimension of elements(head, field.dataStart, videoEnd)) {
          if (dimension.id === PIXEL_WIDTH_ID)
            width = readUint(head, dimension.dataStart, dimension.size);
          else if (dimension.id === PIXEL_HEIGHT_ID)
            height = readUint(head, dimension.dataStart, dimension.size);
        }
      }
    }
    if (type === 1)
      return {
        ...(codec ? { codec } : {}),
        ...(width !== undefined ? { width } : {}),
        ...(height !== undefined ? { height } : {}),
      };
  }
  return undefined;
}

/** Checks and probes a Matroska/WebM file of `fileSize` bytes. */
export async function checkMatroska(
  handle: FileHandle,
  fileSize: number,
  fallbackDateMs: number,
): Promise<MatroskaResult> {
  const head = Buffer.alloc(Math.min(fileSize, 64 + INFO_SEARCH_BYTES));
  await handle.read(head, 0, head.length, 0);
  const top = elements(head, 0, head.length);
  const ebml = top.next().value;
  if (!ebml || ebml.id !== EBML_ID) return { kind: 'not-matroska', reason: 'no EBML header' };
  let docType = 'matroska';
  for (const child of elements(head, ebml.dataStart, ebml.dataStart + ebml.size)) {
    if (child.id === DOC_TYPE_ID)
      docType = head.toString('latin1', child.dataStart, child.dataStart + child.size);
  }
  const segment = top.next().value;
  if (!segment || segment.id !== SEGMENT_ID)
    return { kind: 'incomplete', reason: 'no Segment yet' };
  if (segment.unknown) return { kind: 'incomplete', reason: 'the Segment size is not written yet' };
  const segmentEnd = segment.dataStart + segment.size;
  if (segmentEnd > fileSize)
    return {
      kind: 'incomplete',
      reason: `the Segment needs ${segmentEnd - fileSize} more bytes than the file holds`,
    };
  let timecodeScale = 1_000_000;
  let duration: number | undefined;
  let dateMs: number | undefined;
  let video: VideoTrack | undefined;
  for (const child of elements(head, segment.dataStart, Math.min(head.length, segmentEnd))) {
    // Info and Tracks precede the first Cluster in every muxer we know of.
    if (child.id === CLUSTER_ID) break;
    if (child.id === TRACKS_ID) {
      video = readVideoTrack(
        head,
        child.dataStart,
        Math.min(head.length, child.dataStart + child.size),
      );
      continue;
    }
    if (child.id !== INFO_ID) continue;
    for (const info of elements(
      head,
      child.dataStart,
      Math.min(head.length, child.dataStart + child.size),
    )) {
      if (info.id === TIMECODE_SCALE_ID) timecodeScale = readUint(head, info.dataStart, info.size);
      else if (info.id === DURATION_ID)
        duration =
          info.size === 4 ? head.readFloatBE(info.dataStart) : head.readDoubleBE(info.dataStart);
      else if (info.id === DATE_UTC_ID && info.size === 8)
        dateMs = MATROSKA_EPOCH_MS + Number(head.readBigInt64BE(info.dataStart) / 1_000_000n);
    }
  }
  if (duration === undefined)
    return { kind: 'incomplete', reason: 'the duration is not written yet' };
  const plausibleDate =
    dateMs !== undefined && dateMs > Date.UTC(2001, 0, 2) && dateMs < Date.now() + 86_400_000
      ? dateMs
      : fallbackDateMs;
  return {
    kind: 'complete',
    probe: {
      container: docType === 'webm' ? 'webm' : 'matroska',
      durationSeconds: (duration * timecodeScale) / 1e9,
      recordedAt: new Date(plausibleDate).toISOString(),
      ...(video?.width && video.height ? { width: video.width, height: video.height } : {}),
      ...(video?.codec ? { videoCodec: video.codec } : {}),
    },
  };
}
