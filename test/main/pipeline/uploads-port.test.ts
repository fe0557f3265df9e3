/**
 * The UploadsPort as the window calls it, on a real pipeline and a real sandbox: thumbnails are
 * checked before they are stored, pause keeps acknowledged blocks, cancel deletes the reservation
 * and never the file, pause-all shows in the status.
 */
import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppStatus } from '../../../app/ipc/contract';
import type { Companion } from '../../../main/core/companion';
import { createUploadsPort } from '../../../main/pipeline/uploads-port';
import type { RunningSandbox } from '../../../main/sandbox/index';
import {
  armFault,
  clipInState,
  dropLargeClip,
  getServiceClip,
  openUploadSandbox,
  startTestCompanion,
  waitFor,
  type SandboxAccount,
} from '../../integration/upload-support';

const run = promisify(execFile);
let dir: string;
let close: () => Promise<void>;
let sandbox: RunningSandbox;
let account: SandboxAccount;
let companion: Companion;
let watched: string;

beforeAll(async () => {
  ({ dir, sandbox, account, close } = await openUploadSandbox('gc-uploads-port-', {
    ffmpegPath: null,
  }));
  ({ companion, watched } = await startTestCompanion({
    root: dir,
    custom: { baseUrl: sandbox.baseUrl, account, refresh: false },
    mode: 'app',
    sendPolicy: { kind: 'review' },
    uploadTuning: { thumbnailWaitMs: 500 },
  }));
}, 60_000);
afterAll(async () => {
  await companion.stop();
  await close();
});

const status = (): Promise<AppStatus> =>
  Promise.resolve({
    version: 'test',
    service: { kind: 'custom', baseUrl: sandbox.baseUrl, hasAccount: true, tokenEncrypted: true },
    watchedFolders: [],
    intake: { state: 'watching' },
    uploadsPaused: companion.uploads.allPaused,
  });
const port = () =>
  createUploadsPort({
    uploads: () =>
      Promise.resolve({
        service: companion.uploads,
        ledger: companion.ledger,
        thumbnails: companion.thumbnails,
      }),
    status,
  });

async function reservedClip(name: string) {
  const file = await dropLargeClip(watched, name, 5);
  return clipInState(companion, file, ['reserved'], 30_000);
}

async function png(width: number, height: number): Promise<Uint8Array<ArrayBuffer>> {
  const { stdout } = await run(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi'],
      ...['-i', `testsrc2=size=${width}x${height}:duration=1`, '-frames:v', '1'],
      ...['-f', 'image2pipe', '-vcodec', 'png', 'pipe:1'],
    ],
    { encoding: 'buffer', maxBuffer: 16 * 1024 * 1024 },
  );
  return new Uint8Array(stdout);
}

describe('UploadsPort', () => {
  it('stores only PNGs of the right sizes, atomically under the data folder', async () => {
    const record = await reservedClip('thumbs.mp4');
    const [large, small] = await Promise.all([png(754, 424), png(370, 208)]);
    const swapped = await port().saveThumbnail(record.id, { offsetMs: 0, large: small, small });
    expect(swapped.ok).toBe(false);
    expect(!swapped.ok && swapped.error.code).toBe('upload/invalid-thumbnail');
    const notPng = await port().saveThumbnail(record.id, {
      offsetMs: 0,
      large: new TextEncoder().encode('definitely not an image, but long enough'),
      small,
    });
    expect(!notPng.ok && notPng.error.code).toBe('upload/invalid-thumbnail');
    const unknown = await port().saveThumbnail('00000000-0000-4000-8000-000000000000', {
      offsetMs: 0,
      large,
      small,
    });
    expect(!unknown.ok && unknown.error.code).toBe('ipc/unknown-clip');

    const saved = await port().saveThumbnail(record.id, { offsetMs: 1200, large, small });
    expect(saved.ok).toBe(true);
    const stored = await readFile(path.join(dir, 'data', 'thumbnails', `${record.id}-large.png`));
    expect(Buffer.compare(stored, Buffer.from(large))).toBe(0);
    expect((await companion.thumbnails.load(record.id))?.offsetMs).toBe(1200);
    await port().cancel([record.id]);
  }, 60_000);

  it('pause keeps acknowledged blocks; resume finishes; cancel deletes the reservation, never the file', async () => {
    await armFault(sandbox.baseUrl, { route: 'block', delayMs: 500, times: 100_000 });
    try {
      const first = await reservedClip('paused.mp4');
      expect((await port().send([first.id])).ok).toBe(true);
      await waitFor(
        () =>
          (companion.ledger.get(first.id)?.upload?.ackedBlocks.length ?? 0) >= 1 ? true : undefined,
        30_000,
        'an acknowledged block',
      );
      const paused = await port().pause([first.id]);
      expect(paused.ok && paused.value[0]?.state).toBe('paused');
      const acked = companion.ledger.get(first.id)!.upload!.ackedBlocks.length;
      expect(acked).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(companion.ledger.get(first.id)?.state).toBe('paused');

      const second = await reservedClip('cancelled.mp4');
      await port().send([second.id]);
      const cancelled = await port().cancel([second.id]);
      expect(cancelled.ok && cancelled.value[0]?.state).toBe('cancelled');
      expect((await stat(second.file.path)).size).toBe(second.file.size);
      expect(
        (await getServiceClip(sandbox.baseUrl, account, second.reservation!.gameClipId)).status,
      ).toBe(404);

      const pausedAll = await port().pauseAll();
      expect(pausedAll.ok && pausedAll.value.uploadsPaused).toBe(true);
      await port().resume([first.id]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Paused for all: nothing starts until resume-all.
      expect(companion.ledger.get(first.id)?.state).toBe('uploading');
      await fetch(`${sandbox.baseUrl}/sandbox/faults`, { method: 'DELETE' });
      const resumedAll = await port().resumeAll();
      expect(resumedAll.ok && resumedAll.value.uploadsPaused).toBe(false);
      const published = await waitFor(
        () => {
          const record = companion.ledger.get(first.id);
          return record?.state === 'published' || record?.state === 'failed' ? record : undefined;
        },
        60_000,
        'the resumed clip to be published',
      );
      expect(published.state).toBe('published');
      // No frame came from a window in time: published without thumbnails, and recorded so.
      expect(published.thumbnails).toBe('unavailable');
    } finally {
      await fetch(`${sandbox.baseUrl}/sandbox/faults`, { method: 'DELETE' });
    }
  }, 120_000);
});
