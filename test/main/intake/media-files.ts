/**
 * Real encoder output for the intake tests, and the odd files writers and users produce:
 * truncated, sparse, padded to an exact size, with a patched duration.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { appendFile, open, readFile, stat, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { makeClip, type ClipOptions } from '../../support/clips';

const run = promisify(execFile);

export const CONTAINER_KINDS = [
  ['MP4 (moov at end)', 'plain.mp4', {}],
  ['faststart MP4', 'faststart.mp4', { faststart: true }],
  ['fragmented MP4', 'fragmented.mp4', { fragmented: true }],
  ['MOV', 'clip.mov', {}],
  ['MKV', 'clip.mkv', {}],
  ['WebM', 'clip.webm', {}],
] as const satisfies ReadonlyArray<readonly [string, string, ClipOptions]>;

export async function ffprobe(
  file: string,
): Promise<{ duration: number; width?: number; height?: number; codec?: string }> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-show_entries',
    'format=duration:stream=width,height,codec_name',
    '-of',
    'json',
    file,
  ]);
  const parsed = JSON.parse(stdout) as {
    format: { duration: string };
    streams: Array<{ width?: number; height?: number; codec_name?: string }>;
  };
  const stream = parsed.streams[0];
  return {
    duration: Number(parsed.format.duration),
    ...(stream?.width !== undefined ? { width: stream.width } : {}),
    ...(stream?.height !== undefined ? { height: stream.height } : {}),
    ...(stream?.codec_name !== undefined ? { codec: stream.codec_name } : {}),
  };
}

/** Copies the first `fraction` of `source` to `target`, as a crashed or unfinished writer leaves it. */
export async function truncatedCopy(
  source: string,
  target: string,
  fraction: number,
): Promise<void> {
  const bytes = await readFile(source);
  await writeFile(target, bytes.subarray(0, Math.floor(bytes.length * fraction)));
}

/** A sparse file of `size` bytes (no data blocks), as `truncate -s` makes. */
export async function sparseFile(target: string, size: number): Promise<void> {
  await run('truncate', ['-s', String(size), target]);
}

/**
 * A valid MP4 padded with a trailing `free` box (64-bit size) to exactly `size` bytes, sparse,
 * so a clip of precisely the u32 limit can exist on a test machine's disk in a few KiB.
 */
export async function paddedClip(source: string, target: string, size: number): Promise<void> {
  const bytes = await readFile(source);
  const header = Buffer.alloc(16);
  header.writeUInt32BE(1, 0);
  header.write('free', 4, 'latin1');
  header.writeBigUInt64BE(BigInt(size - bytes.length), 8);
  await writeFile(target, Buffer.concat([bytes, header]));
  await run('truncate', ['-s', String(size), target]);
}

/** A clip whose bytes differ from `source` only by a trailing `free` box carrying `tag`. */
export async function taggedCopy(source: Buffer, target: string, tag: string): Promise<void> {
  const payload = Buffer.from(tag, 'utf8');
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + payload.length, 0);
  header.write('free', 4, 'latin1');
  await writeFile(target, Buffer.concat([source, header, payload]));
}

/** Rewrites an MP4's movie and track durations to 0: a clip that says it has no length. */
export async function zeroDurationCopy(source: string, target: string): Promise<void> {
  const bytes = Buffer.from(await readFile(source));
  for (const type of ['mvhd', 'tkhd', 'mdhd']) {
    let at = bytes.indexOf(type, 0, 'latin1');
    while (at >= 0) {
      const body = at + 4;
      const version = bytes.readUInt8(body);
      if (version === 0) {
        const offset = type === 'tkhd' ? body + 20 : body + 16;
        bytes.writeUInt32BE(0, offset);
      }
      at = bytes.indexOf(type, at + 4, 'latin1');
    }
  }
  // Edit lists would still carry the length; drop their duration too.
  let elst = bytes.indexOf('elst', 0, 'latin1');
  while (elst >= 0) {
    const entries = bytes.readUInt32BE(elst + 8);
    for (let i = 0; i < entries; i++) bytes.writeUInt32BE(0, elst + 12 + i * 12);
    elst = bytes.indexOf('elst', elst + 4, 'latin1');
  }
  await writeFile(target, bytes);
}

/**
 * Writes `source` into `target` in two halves with a pause between them, as a writer that stalls
 * mid-file does. Resolves when the file is complete.
 */
export async function writeWithPause(
  source: string,
  target: string,
  pauseMs: number,
): Promise<void> {
  const bytes = await readFile(source);
  const half = Math.floor(bytes.length / 2);
  const handle = await open(target, 'w');
  try {
    await handle.write(bytes, 0, half, 0);
    await handle.sync();
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
    await handle.write(bytes, half, bytes.length - half, half);
  } finally {
    await handle.close();
  }
}

/** Appends the rest of `source` to a truncated copy at `target`: the writer comes back. */
export async function completeCopy(source: string, target: string): Promise<void> {
  const bytes = await readFile(source);
  const have = (await stat(target)).size;
  await appendFile(target, bytes.subarray(have));
}

/** ffmpeg recording in real time (-re) straight into `target`, as a game recorder does. */
export function startRealtimeRecorder(
  target: string,
  seconds: number,
): { child: ChildProcess; done: Promise<number | null> } {
  const webm = target.endsWith('.webm');
  const child = spawn(
    'ffmpeg',
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-re',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=320x180:rate=30:duration=${seconds}`,
      ...(webm
        ? ['-c:v', 'libvpx', '-deadline', 'realtime']
        : ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p']),
      // Flush packets as they come, as recorders do, so the file visibly grows while recording.
      '-flush_packets',
      '1',
      target,
    ],
    { stdio: 'ignore' },
  );
  const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, done };
}

export { makeClip };
