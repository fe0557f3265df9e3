/**
 * The completion gate and probe against real encoder output of every container kind: finished
 * clips pass with ffprobe's duration, picture size and codec; a truncated copy of each kind never
 * passes, not even the faststart MP4 that ffprobe still accepts.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCompletion, type GateResult } from '../../../main/intake/completion-gate';
import { tempDir } from '../../support/clips';
import {
  CONTAINER_KINDS,
  ffprobe,
  makeClip,
  paddedClip,
  sparseFile,
  truncatedCopy,
  zeroDurationCopy,
} from './media-files';

const gate = (file: string, fragmentQuietMs = 60_000): Promise<GateResult> =>
  checkCompletion(file, {
    stabilityMs: 20,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    nowMs: () => Date.now(),
    fragmentQuietMs,
  });

/** ffprobe's codec names against the container's own spelling of them. */
const CODEC_SPELLINGS: Record<string, readonly string[]> = {
  h264: ['avc1', 'V_MPEG4/ISO/AVC'],
  vp8: ['V_VP8'],
};

let dir: string;
let cleanup: () => Promise<void>;
const clips = new Map<string, string>();
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('gc-probe-'));
  await Promise.all(
    CONTAINER_KINDS.map(async ([, file, options]) =>
      clips.set(
        file,
        await makeClip(path.join(dir, file), { seconds: 3, size: '352x198', ...options }),
      ),
    ),
  );
}, 60_000);
afterAll(() => cleanup());

describe('finished clips of every container kind', () => {
  it.each(CONTAINER_KINDS)(
    '%s: duration, size and codec agree with ffprobe',
    async (_kind, file) => {
      const clip = clips.get(file) as string;
      const result = await gate(clip);
      expect(result.kind).toBe('ready');
      if (result.kind !== 'ready') return;
      const reference = await ffprobe(clip);
      // Within one frame at 30 fps: containers round differently (edit lists, last-sample duration).
      expect(Math.abs(result.probe.durationSeconds - reference.duration)).toBeLessThan(0.05);
      expect({ width: result.probe.width, height: result.probe.height }).toEqual({
        width: reference.width,
        height: reference.height,
      });
      expect(CODEC_SPELLINGS[reference.codec ?? '']).toContain(result.probe.videoCodec);
      expect(Date.parse(result.probe.recordedAt)).not.toBeNaN();
      expect(Math.abs(Date.parse(result.probe.recordedAt) - Date.now())).toBeLessThan(10 * 60_000);
    },
  );
});

describe('truncated files never pass', () => {
  it.each(CONTAINER_KINDS)('%s cut at 60 %% waits', async (_kind, file) => {
    const target = path.join(dir, `cut-${file}`);
    await truncatedCopy(clips.get(file) as string, target, 0.6);
    const result = await gate(target);
    expect(result.kind).toBe('wait');
  });

  it('a truncated faststart MP4 that ffprobe calls valid is refused by the box walk', async () => {
    const target = path.join(dir, 'cut-faststart-ffprobe.mp4');
    await truncatedCopy(clips.get('faststart.mp4') as string, target, 0.6);
    const reference = await ffprobe(target);
    expect(reference.duration).toBeGreaterThan(0);
    expect((await gate(target)).kind).toBe('wait');
  });

  it('a fragmented MP4 cut exactly at a fragment boundary waits for its index', async () => {
    const source = await makeClip(path.join(dir, 'many-fragments.mp4'), {
      seconds: 3,
      fragmented: true,
      keyframeSeconds: 0.5,
    });
    const bytes = await readFile(source);
    // The last moof starts a fragment: everything before it tiles exactly.
    const lastMoof = bytes.lastIndexOf('moof', undefined, 'latin1') - 4;
    expect(lastMoof).toBeGreaterThan(bytes.indexOf('moof', 0, 'latin1'));
    const target = path.join(dir, 'boundary-fragmented.mp4');
    await writeFile(target, bytes.subarray(0, lastMoof));
    expect((await gate(target)).kind).toBe('wait');
    // A writer with neither index nor declared duration is taken once it has been quiet.
    const quiet = await gate(target, 0);
    expect(quiet.kind).toBe('ready');
    if (quiet.kind === 'ready') expect(quiet.probe.durationSeconds).toBeGreaterThan(1);
  });

  it('a fragmented recording that has written only its empty moov waits, even when quiet', async () => {
    const bytes = await readFile(clips.get('fragmented.mp4') as string);
    const firstMoof = bytes.indexOf('moof', 0, 'latin1') - 4;
    const target = path.join(dir, 'just-started.mp4');
    await writeFile(target, bytes.subarray(0, firstMoof));
    expect((await gate(target)).kind).toBe('wait');
    expect((await gate(target, 0)).kind).toBe('wait');
  });
});

describe('refusals before any POST, each with its reason', () => {
  const refusal = async (file: string) => {
    const result = await gate(file);
    return result.kind === 'reject' ? result.code : result.kind;
  };

  it('empty, not a video by content, zero duration', async () => {
    await writeFile(path.join(dir, 'empty.mp4'), '');
    await writeFile(path.join(dir, 'text.mp4'), 'these are notes, not a video\n'.repeat(40));
    await writeFile(path.join(dir, 'text.mkv'), 'notes\n'.repeat(40));
    await writeFile(path.join(dir, 'tiny.mp4'), 'x');
    // A writer that has put down only the first bytes of a box or an EBML header is waited for.
    await writeFile(path.join(dir, 'starting.mp4'), Buffer.from([0, 0, 0]));
    await writeFile(path.join(dir, 'starting.mkv'), Buffer.from([0x1a, 0x45]));
    await zeroDurationCopy(clips.get('faststart.mp4') as string, path.join(dir, 'zero.mp4'));
    expect(await refusal(path.join(dir, 'empty.mp4'))).toBe('intake/empty');
    expect(await refusal(path.join(dir, 'text.mp4'))).toBe('intake/not-a-video');
    expect(await refusal(path.join(dir, 'text.mkv'))).toBe('intake/not-a-video');
    expect(await refusal(path.join(dir, 'tiny.mp4'))).toBe('intake/not-a-video');
    expect(await refusal(path.join(dir, 'starting.mp4'))).toBe('wait');
    expect(await refusal(path.join(dir, 'starting.mkv'))).toBe('wait');
    expect(await refusal(path.join(dir, 'zero.mp4'))).toBe('intake/zero-duration');
  });

  it('too large above 4,294,967,295 bytes; exactly that many is allowed', async () => {
    await sparseFile(path.join(dir, 'huge.mp4'), 4_294_967_296);
    expect(await refusal(path.join(dir, 'huge.mp4'))).toBe('intake/too-large');
    await paddedClip(
      clips.get('faststart.mp4') as string,
      path.join(dir, 'limit.mp4'),
      4_294_967_295,
    );
    const atLimit = await gate(path.join(dir, 'limit.mp4'));
    expect(atLimit.kind).toBe('ready');
    if (atLimit.kind === 'ready') expect(atLimit.identity.size).toBe(4_294_967_295);
  });
});
