/**
 * Real clips made by a real encoder (ffmpeg), for integration, e2e and benchmark tests.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ClipOptions {
  /** Length in seconds (default 2). */
  readonly seconds?: number;
  /** Frame size (default 320x180). */
  readonly size?: string;
  /** Container by extension: .mp4 (default), .mov, .mkv, .webm. */
  readonly extension?: '.mp4' | '.mov' | '.mkv' | '.webm';
  /** Video bitrate, to make larger files quickly (e.g. '8M'). */
  readonly bitrate?: string;
  /** Put `moov` first (faststart), as many recorders do. */
  readonly faststart?: boolean;
  /** Fragmented MP4, as OBS writes with fragmented output. */
  readonly fragmented?: boolean;
  /** Keyframe interval in seconds (fragmented MP4 starts a fragment at each keyframe). */
  readonly keyframeSeconds?: number;
}

/** Encodes a test-pattern clip with sound into `filePath` and returns the path. */
export async function makeClip(filePath: string, options: ClipOptions = {}): Promise<string> {
  const seconds = options.seconds ?? 2;
  const size = options.size ?? '320x180';
  const extension =
    options.extension ?? (path.extname(filePath) as ClipOptions['extension']) ?? '.mp4';
  const webm = extension === '.webm';
  const args = [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${size}:rate=30:duration=${seconds}`,
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=440:duration=${seconds}`,
    '-shortest',
    ...(webm
      ? ['-c:v', 'libvpx', '-deadline', 'realtime', '-c:a', 'libopus']
      : ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac']),
    ...(options.bitrate
      ? ['-b:v', options.bitrate, '-maxrate', options.bitrate, '-bufsize', options.bitrate]
      : []),
    ...(options.keyframeSeconds ? ['-g', String(Math.round(options.keyframeSeconds * 30))] : []),
    ...(options.faststart ? ['-movflags', '+faststart'] : []),
    ...(options.fragmented ? ['-movflags', '+frag_keyframe+empty_moov+default_base_moof'] : []),
    filePath,
  ];
  await run('ffmpeg', args, { maxBuffer: 16 * 1024 * 1024 });
  return filePath;
}

/** A temporary folder removed by the returned `cleanup`. */
export async function tempDir(
  prefix = 'gameclips-',
): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
