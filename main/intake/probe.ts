/**
 * The media probe for ISO files (MP4, MOV, fragmented MP4): duration, recording date, dimensions
 * and codec, from the container's own headers; no sample data is read.
 *
 * Why not a parsing library: mp4box.js, the well-kept one, parses what it is fed and would need
 * the whole `mdat` streamed through it to reach a moov at the end; this gate reads only box
 * headers, `moov` and `moof` boxes, so a 4 GiB clip costs a few KiB of reads. Durations are
 * checked against ffprobe's for every container kind in test/main/intake/probe.test.ts.
 */
import type { FileHandle } from 'node:fs/promises';
import type { ClipProbe } from '../../app/clip/clip';
import { childBoxes, readBoxPayload, type BoxHeader } from './iso-bmff';

/** Seconds between 1904-01-01 (the ISO/QuickTime epoch) and 1970-01-01. */
const MAC_EPOCH_OFFSET_S = 2_082_844_800;
/** A moov larger than this is not a clip we can read safely into memory. */
const MAX_MOOV_BYTES = 64 * 1024 * 1024;
/** A moof is a few KiB; larger ones are damaged or hostile. */
const MAX_MOOF_BYTES = 4 * 1024 * 1024;

export type ProbeResult =
  | {
      readonly ok: true;
      readonly probe: ClipProbe;
      /** False while a fragmented file's fragments do not yet prove the whole clip is there. */
      readonly fragmentsComplete: boolean;
      /** A moov that announces fragments (mvex) with none written yet: a recording just started. */
      readonly awaitingFragments: boolean;
    }
  | { readonly ok: false; readonly reason: string };

interface MovieHeader {
  readonly creationSeconds: number;
  readonly timescale: number;
  readonly duration: number;
}

interface Track {
  readonly id: number;
  readonly isVideo: boolean;
  readonly timescale: number;
  readonly width?: number;
  readonly height?: number;
  readonly codec?: string;
  defaultSampleDuration: number;
}

function readMvhd(body: Buffer): MovieHeader | undefined {
  const version = body.readUInt8(0);
  if (version === 1 && body.length >= 32) {
    return {
      creationSeconds: Number(body.readBigUInt64BE(4)),
      timescale: body.readUInt32BE(20),
      duration: Number(body.readBigUInt64BE(24)),
    };
  }
  if (body.length >= 20)
    return {
      creationSeconds: body.readUInt32BE(4),
      timescale: body.readUInt32BE(12),
      duration: body.readUInt32BE(16),
    };
  return undefined;
}

function readTrack(trak: Buffer): Track | undefined {
  let id: number | undefined;
  let size: { width: number; height: number } | undefined;
  let isVideo = false;
  let timescale = 0;
  let codec: string | undefined;
  for (const child of childBoxes(trak)) {
    if (child.type === 'tkhd' && child.body.length >= 84) {
      const version = child.body.readUInt8(0);
      id = child.body.readUInt32BE(version === 1 ? 20 : 12);
      const end = child.body.length;
      size = {
        width: child.body.readUInt32BE(end - 8) >>> 16,
        height: child.body.readUInt32BE(end - 4) >>> 16,
      };
    } else if (child.type === 'mdia') {
      for (const mdiaChild of childBoxes(child.body)) {
        if (mdiaChild.type === 'hdlr' && mdiaChild.body.length >= 12)
          isVideo = mdiaChild.body.toString('latin1', 8, 12) === 'vide';
        else if (mdiaChild.type === 'mdhd' && mdiaChild.body.length >= 24)
          timescale = mdiaChild.body.readUInt32BE(mdiaChild.body.readUInt8(0) === 1 ? 20 : 12);
        else if (mdiaChild.type === 'minf') codec = sampleEntryType(mdiaChild.body);
      }
    }
  }
  if (id === undefined) return undefined;
  const hasSize = size !== undefined && size.width > 0 && size.height > 0;
  return {
    id,
    isVideo,
    timescale,
    ...(hasSize ? size : {}),
    ...(codec ? { codec } : {}),
    defaultSampleDuration: 0,
  };
}

/** The four-character code of the first sample entry in minf/stbl/stsd. */
function sampleEntryType(minf: Buffer): string | undefined {
  for (const stbl of childBoxes(minf)) {
    if (stbl.type !== 'stbl') continue;
    for (const stsd of childBoxes(stbl.body)) {
      if (stsd.type === 'stsd' && stsd.body.length >= 16)
        return stsd.body.toString('latin1', 12, 16).trim();
    }
  }
  return undefined;
}

/** A container creation time is used only when it is plausible; cameras and muxers often write 0. */
function plausibleDate(unixSeconds: number, nowMs: number): Date | undefined {
  const ms = unixSeconds * 1000;
  if (ms < Date.UTC(2000, 0, 1) || ms > nowMs + 24 * 3600 * 1000) return undefined;
  return new Date(ms);
}

/** Sums the sample durations of `track` over every movie fragment. */
async function fragmentUnits(
  handle: FileHandle,
  boxes: readonly BoxHeader[],
  track: Track,
): Promise<number | undefined> {
  let units = 0;
  for (const box of boxes) {
    if (box.type !== 'moof') continue;
    if (box.size > MAX_MOOF_BYTES) return undefined;
    const moof = await readBoxPayload(handle, box);
    for (const traf of childBoxes(moof)) {
      if (traf.type !== 'traf') continue;
      let trackId = -1;
      let defaultDuration = track.defaultSampleDuration;
      for (const part of childBoxes(traf.body)) {
        if (part.type === 'tfhd' && part.body.length >= 8) {
          const flags = part.body.readUInt32BE(0) & 0xffffff;
          trackId = part.body.readUInt32BE(4);
          const offset = 8 + (flags & 0x01 ? 8 : 0) + (flags & 0x02 ? 4 : 0);
          if (flags & 0x08 && part.body.length >= offset + 4)
            defaultDuration = part.body.readUInt32BE(offset);
        } else if (part.type === 'trun' && trackId === track.id && part.body.length >= 8) {
          units += trunDuration(part.body, defaultDuration);
        }
      }
    }
  }
  return units;
}

function trunDuration(body: Buffer, defaultDuration: number): number {
  const flags = body.readUInt32BE(0) & 0xffffff;
  const count = body.readUInt32BE(4);
  let offset = 8 + (flags & 0x01 ? 4 : 0) + (flags & 0x04 ? 4 : 0);
  if (!(flags & 0x100)) return count * defaultDuration;
  const stride = 4 + (flags & 0x200 ? 4 : 0) + (flags & 0x400 ? 4 : 0) + (flags & 0x800 ? 4 : 0);
  let total = 0;
  for (let i = 0; i < count && offset + 4 <= body.length; i++, offset += stride)
    total += body.readUInt32BE(offset);
  return total;
}

/**
 * Probes an ISO file whose top-level boxes were already walked. For a fragmented file,
 * `fragmentsComplete` says whether the fragments account for the whole declared duration (an
 * `mfra` index at the end, or fragment durations reaching `mehd`): a fragmented file tiles at
 * every fragment boundary while it is still being written, so tiling alone proves nothing.
 */
export async function probeIsoFile(
  handle: FileHandle,
  boxes: readonly BoxHeader[],
  fileTimes: { readonly birthtimeMs: number; readonly mtimeMs: number },
  brand: 'mp4' | 'mov',
  nowMs: number,
): Promise<ProbeResult> {
  const moov = boxes.find((box) => box.type === 'moov');
  if (!moov) return { ok: false, reason: 'no moov box' };
  if (moov.size > MAX_MOOV_BYTES) return { ok: false, reason: 'the moov box is implausibly large' };
  const payload = await readBoxPayload(handle, moov);
  let header: MovieHeader | undefined;
  let declaredFragmentUnits: number | undefined;
  let announcesFragments = false;
  const tracks: Track[] = [];
  for (const child of childBoxes(payload)) {
    if (child.type === 'mvhd') header = readMvhd(child.body);
    else if (child.type === 'trak') {
      const track = readTrack(child.body);
      if (track) tracks.push(track);
    } else if (child.type === 'mvex') {
      announcesFragments = true;
      for (const mvexChild of childBoxes(child.body)) {
        if (mvexChild.type === 'mehd' && mvexChild.body.length >= 8) {
          declaredFragmentUnits =
            mvexChild.body.readUInt8(0) === 1
              ? Number(mvexChild.body.readBigUInt64BE(4))
              : mvexChild.body.readUInt32BE(4);
        } else if (mvexChild.type === 'trex' && mvexChild.body.length >= 20) {
          const trackId = mvexChild.body.readUInt32BE(4);
          const track = tracks.find((candidate) => candidate.id === trackId);
          if (track) track.defaultSampleDuration = mvexChild.body.readUInt32BE(12);
        }
      }
    }
  }
  if (!header || header.timescale === 0) return { ok: false, reason: 'no movie header' };
  const video = tracks.find((track) => track.isVideo);
  const fragmented = boxes.some((box) => box.type === 'moof');

  let durationSeconds = header.duration / header.timescale;
  let fragmentsComplete = true;
  if (fragmented) {
    const timed = video ?? tracks[0];
    const summed =
      timed && timed.timescale > 0 ? await fragmentUnits(handle, boxes, timed) : undefined;
    const summedSeconds = summed !== undefined && timed ? summed / timed.timescale : 0;
    const declaredSeconds =
      declaredFragmentUnits !== undefined ? declaredFragmentUnits / header.timescale : undefined;
    const hasIndex = boxes[boxes.length - 1]?.type === 'mfra';
    // mvhd holds only what precedes the first fragment; the fragments carry the rest.
    durationSeconds = Math.max(durationSeconds, declaredSeconds ?? 0, summedSeconds);
    fragmentsComplete =
      hasIndex || (declaredSeconds !== undefined && summedSeconds + 0.001 >= declaredSeconds);
  }
  const created = plausibleDate(header.creationSeconds - MAC_EPOCH_OFFSET_S, nowMs);
  // Without a container date, the earlier file time is the nearer guess at when recording started.
  const fallback = new Date(
    Math.min(fileTimes.birthtimeMs > 0 ? fileTimes.birthtimeMs : Infinity, fileTimes.mtimeMs),
  );
  return {
    ok: true,
    fragmentsComplete,
    awaitingFragments: announcesFragments && !fragmented && durationSeconds === 0,
    probe: {
      container: brand,
      durationSeconds,
      recordedAt: (created ?? fallback).toISOString(),
      ...(video?.width !== undefined && video.height !== undefined
        ? { width: video.width, height: video.height }
        : {}),
      ...(video?.codec ? { videoCodec: video.codec } : {}),
    },
  };
}

/** Tells MOV from MP4 by the `ftyp` major brand. */
export async function isoBrand(
  handle: FileHandle,
  boxes: readonly BoxHeader[],
): Promise<'mp4' | 'mov'> {
  const ftyp = boxes.find((box) => box.type === 'ftyp');
  if (!ftyp || ftyp.size < 12) return 'mp4';
  const brand = Buffer.alloc(4);
  await handle.read(brand, 0, 4, ftyp.start + ftyp.headerSize);
  return brand.toString('latin1') === 'qt  ' ? 'mov' : 'mp4';
}
