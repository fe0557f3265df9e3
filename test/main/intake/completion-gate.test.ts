/**
 * The completion gate against real encoder output: finished clips of every container pass with a
 * duration close to ffprobe's, and unfinished or wrong files never do.
 */
import { execFile } from 'node:child_process';
import { open, readFile, truncate, writeFile, copyFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkCompletion,
  heldByWriterOnWindows,
  type GateResult,
} from '../../../main/intake/completion-gate';
import { makeClip, tempDir } from '../../support/clips';

const run = promisify(execFile);
const gate = (file: string): Promise<GateResult> =>
  checkCompletion(file, {
    stabilityMs: 20,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    nowMs: () => Date.now(),
  });

async function ffprobeDuration(file: string): Promise<number> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-show_entries',
    'format=duration',
    '-of',
    'csv=p=0',
    file,
  ]);
  return Number(stdout.trim());
}

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('gc-gate-'));
});
afterAll(() => cleanup());

describe('finished clips pass the gate', () => {
  it.each([
    ['plain MP4', 'plain.mp4', {}],
    ['faststart MP4', 'faststart.mp4', { faststart: true }],
    ['MOV', 'clip.mov', {}],
    ['Matroska', 'clip.mkv', {}],
    ['WebM', 'clip.webm', {}],
  ] as const)('%s', async (_name, file, options) => {
    const clip = await makeClip(path.join(dir, file), { seconds: 3, ...options });
    const result = await gate(clip);
    expect(result.kind).toBe('ready');
    if (result.kind !== 'ready') return;
    expect(result.probe.durationSeconds).toBeCloseTo(await ffprobeDuration(clip), 1);
    expect(result.identity.fingerprint).toMatch(/^[0-9a-f]{64}$/u);
    expect(Date.parse(result.probe.recordedAt)).not.toBeNaN();
    if (file.endsWith('.mp4'))
      expect({ width: result.probe.width, height: result.probe.height }).toEqual({
        width: 320,
        height: 180,
      });
  });
});

describe('unfinished or wrong files never pass', () => {
  it('waits on an MP4 cut before its moov (a recorder still writing)', async () => {
    const clip = await makeClip(path.join(dir, 'cut.mp4'), { seconds: 3 });
    const size = (await readFile(clip)).length;
    await truncate(clip, Math.floor(size * 0.6));
    expect((await gate(clip)).kind).toBe('wait');
  });

  it('waits on a truncated faststart MP4 that ffprobe may still accept', async () => {
    const clip = await makeClip(path.join(dir, 'cut-faststart.mp4'), {
      seconds: 3,
      faststart: true,
    });
    const size = (await readFile(clip)).length;
    await truncate(clip, size - 1000);
    const result = await gate(clip);
    expect(result).toMatchObject({ kind: 'wait', reason: expect.stringContaining('mdat') });
  });

  it('waits on a Matroska file whose segment is not closed', async () => {
    const clip = await makeClip(path.join(dir, 'cut.mkv'), { seconds: 3 });
    const size = (await readFile(clip)).length;
    await truncate(clip, Math.floor(size / 2));
    expect((await gate(clip)).kind).toBe('wait');
  });

  it('waits while the file is growing', async () => {
    const clip = await makeClip(path.join(dir, 'growing.mp4'), { seconds: 2 });
    const handle = await open(clip, 'a');
    const growing = checkCompletion(clip, {
      stabilityMs: 50,
      sleep: async (ms) => {
        await handle.write(Buffer.alloc(10));
        await new Promise((resolve) => setTimeout(resolve, ms));
      },
      nowMs: () => Date.now(),
    });
    expect((await growing).kind).toBe('wait');
    await handle.close();
  });

  it('rejects an empty file, text named .mp4, and a sparse file over 4 GiB, each with its own reason', async () => {
    const empty = path.join(dir, 'empty.mp4');
    await writeFile(empty, '');
    const text = path.join(dir, 'notes.mp4');
    await writeFile(text, 'this is not a video, only its name says so\n'.repeat(20));
    const huge = path.join(dir, 'huge.mp4');
    await copyFile(await makeClip(path.join(dir, 'seed.mp4')), huge);
    await truncate(huge, 4_294_967_296);
    expect(await gate(empty)).toMatchObject({ kind: 'reject', code: 'intake/empty' });
    expect(await gate(text)).toMatchObject({ kind: 'reject', code: 'intake/not-a-video' });
    expect(await gate(huge)).toMatchObject({ kind: 'reject', code: 'intake/too-large' });
  });

  it('allows exactly 4,294,967,295 bytes past the size check', async () => {
    const edge = path.join(dir, 'edge.mp4');
    await copyFile(await makeClip(path.join(dir, 'seed2.mp4')), edge);
    await truncate(edge, 4_294_967_295);
    const result = await gate(edge);
    // Not refused for size: the padding makes the box walk fail, so it waits instead.
    expect(result.kind === 'reject' && result.code === 'intake/too-large').toBe(false);
  });

  it('says a vanished path is gone', async () => {
    expect(await gate(path.join(dir, 'never-existed.mp4'))).toEqual({ kind: 'gone' });
  });

  it('waits while another program holds the file open for writing (the Windows check)', async () => {
    const clip = await makeClip(path.join(dir, 'held.mp4'));
    const held = await checkCompletion(clip, {
      stabilityMs: 20,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      nowMs: () => Date.now(),
      heldByWriter: (file) => Promise.resolve(file === clip),
    });
    expect(held).toMatchObject({ kind: 'wait' });
    expect(await gate(clip)).toMatchObject({ kind: 'ready' });
    // Elsewhere than Windows nothing can tell, and the check never holds a clip back.
    expect(await heldByWriterOnWindows(clip, 'linux')).toBe(false);
    // On Windows a file nobody holds opens for writing, so it is not held either.
    expect(await heldByWriterOnWindows(clip, 'win32')).toBe(false);
  });
});
