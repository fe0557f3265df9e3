/**
 * The media probe: duration, recording date, dimensions, from the container's own headers.
 */
import type { FileHandle } from 'node:fs/promises';
import type { ClipProbe } from '../../app/clip/clip';
import { childBoxes, readBoxPayload, type BoxHeader } from './iso-bmff';

/** Seconds between 1904-01-01 (the ISO/QuickTime epoch) and 1970-01-01. */
const MAC_EPOCH_OFFSET_S = 2_082_844_800;
/** A moov larger than this is not a clip we can read safely into memory. */
const MAX_MOOV_BYTES = 64 * 1024 * 1024;

export type ProbeResult =
  | { readonly ok: true; readonly probe: ClipProbe }
  | { readonly ok: false; readonly reason: string };

interface MovieHeader {
  readonly creationSeconds: number;
  readonly timescale: number;
  readonly duration: number;
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

function readTrackSize(trak: Buffer): { width: number; height: number } | undefined {
  let isVideo = false;
  let size: { width: number; height: number } | undefined;
  for (const child of childBoxes(trak)) {
    if (child.type === 'tkhd' && child.body.length >= 84) {
      const end = child.body.length;
      size = {
        width: child.body.readUInt32BE(end - 8) >>> 16,
        height: child.body.readUInt32BE(end - 4) >>> 16,
      };
    } else if (child.type === 'mdia') {
      for (const mdiaChild of childBoxes(child.body)) {
        if (mdiaChild.type === 'hdlr' && mdiaChild.body.length >= 12)
          isVideo = mdiaChild.body.toString('latin1', 8, 12) === 'vide';
      }
    }
  }
  return isVideo && size && size.width > 0 && size.height > 0 ? size : undefined;
}

/** A container creation time is used only when it is plausible; cameras and muxers often write 0. */
function plausibleDate(unixSeconds: number, nowMs: number): Date | undefined {
  const ms = unixSeconds * 1000;
  if (ms < Date.UTC(2000, 0, 1) || ms > nowMs + 24 * 3600 * 1000) return undefined;
  return new Date(ms);
}

/** Probes an ISO file whose top-level boxes were already walked. */
export async function probeIsoFile(
  handle: FileHandle,
  boxes: readonly BoxHeader[],
  fileTimes: { readonly birthtimeMs: number; readonly mtimeMs: number },
  brand: 'mp4' | 'mov',
  durationHintSeconds: number | undefined,
  nowMs: number,
): Promise<ProbeResult> {
  const moov = boxes.find((box) => box.type === 'moov');
  if (!moov) return { ok: false, reason: 'no moov box' };
  if (moov.size > MAX_MOOV_BYTES) return { ok: false, reason: 'the moov box is implausibly large' };
  const payload = await readBoxPayload(handle, moov);
  let header: MovieHeader | undefined;
  let fragmentDuration: number | undefined;
  let dimensions: { width: number; height: number } | undefined;
  for (const child of childBoxes(payload)) {
    if (child.type === 'mvhd') header = readMvhd(child.body);
    else if (child.type === 'trak') dimensions ??= readTrackSize(child.body);
    else if (child.type === 'mvex') {
      for (const mvexChild of childBoxes(child.body)) {
        if (mvexChild.type === 'mehd' && mvexChild.body.length >= 8) {
          fragmentDuration =
            mvexChild.body.readUInt8(0) === 1
              ? Number(mvexChild.body.readBigUInt64BE(4))
              : mvexChild.body.readUInt32BE(4);
        }
      }
    }
  }
  if (!header || header.timescale === 0) return { ok: false, reason: 'no movie header' };
  const units = header.duration > 0 ? header.duration : (fragmentDuration ?? 0);
  const durationSeconds = units > 0 ? units / header.timescale : (durationHintSeconds ?? 0);
  const created = plausibleDate(header.creationSeconds - MAC_EPOCH_OFFSET_S, nowMs);
  // Without a container date, the earlier file time is the nearer guess at when recording started.
  const fallback = new Date(
    Math.min(fileTimes.birthtimeMs > 0 ? fileTimes.birthtimeMs : Infinity, fileTimes.mtimeMs),
  );
  return {
    ok: true,
    probe: {
      container: brand,
      durationSeconds,
      recordedAt: (created ?? fallback).toISOString(),
      ...(dimensions ?? {}),
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
