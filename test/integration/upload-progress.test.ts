/**
 * Progress as the window gets it (issue 12, item 6), at the port level: a real pipeline and
 * sandbox, a 1 MB/s bandwidth cap, the ProgressBatcher the window's events come from. The bytes
 * shown never go back across pause and resume, and time left is within 30 % of the truth once
 * 20 % is uploaded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UploadProgressItem } from '../../app/ipc/contract';
import type { Companion } from '../../main/core/companion';
import { ProgressBatcher } from '../../main/pipeline/upload-progress';
import { createUploadsPort } from '../../main/pipeline/uploads-port';
import type { RunningSandbox } from '../../main/sandbox/index';
import {
  clipInState,
  dropLargeClip,
  openUploadSandbox,
  startTestCompanion,
  waitFor,
  type SandboxAccount,
} from './upload-support';

const CAP = 1_000_000;
let close: () => Promise<void>;
let sandbox: RunningSandbox;
let account: SandboxAccount;
let companion: Companion;
let watched: string;
const items: Array<UploadProgressItem & { atMs: number }> = [];
const batcher = new ProgressBatcher(100, (batch) => {
  for (const item of batch) items.push({ ...item, atMs: Date.now() });
});

beforeAll(async () => {
  let dir: string;
  ({ dir, sandbox, account, close } = await openUploadSandbox('gc-upload-progress-', {
    ffmpegPath: null,
  }));
  ({ companion, watched } = await startTestCompanion({
    root: dir,
    custom: { baseUrl: sandbox.baseUrl, account },
    sendPolicy: { kind: 'review' },
    uploadSettings: () => ({
      sendPolicy: { kind: 'review' },
      parallelBlocks: 2,
      bandwidthCapBytesPerSecond: CAP,
    }),
    events: {
      uploadProgress: (id, sent, total, detail) => batcher.report(id, sent, total, detail),
    },
  }));
}, 60_000);
afterAll(async () => {
  batcher.stop();
  await companion.stop();
  await close();
});

const port = () =>
  createUploadsPort({
    uploads: () =>
      Promise.resolve({
        service: companion.uploads,
        ledger: companion.ledger,
        thumbnails: companion.thumbnails,
      }),
    status: () => Promise.reject(new Error('not needed')),
  });

describe('progress under a bandwidth cap', () => {
  it('never goes back across pause and resume, and time left is within 30 % after 20 %', async () => {
    const file = await dropLargeClip(watched, 'capped.mp4', 6);
    const record = await clipInState(companion, file, ['reserved'], 30_000);
    const total = record.file.size;
    const mine = () => items.filter((item) => item.clipId === record.id);

    expect((await port().send([record.id])).ok).toBe(true);
    await waitFor(
      () => (mine().some((item) => item.sentBytes >= 0.25 * total) ? true : undefined),
      60_000,
      'a quarter acknowledged',
    );
    expect((await port().pause([record.id])).ok).toBe(true);
    const shownAtPause = Math.max(...mine().map((item) => item.sentBytes));
    expect((await port().resume([record.id])).ok).toBe(true);
    const committed = await waitFor(
      () => {
        const latest = companion.ledger.get(record.id);
        return latest?.upload?.committed ? latest : undefined;
      },
      90_000,
      'the upload to be committed',
    );
    expect(committed.upload?.committed).toBe(true);
    const finishedMs = Date.now();

    const readings = mine();
    for (let i = 1; i < readings.length; i += 1)
      expect(readings[i]!.sentBytes).toBeGreaterThanOrEqual(readings[i - 1]!.sentBytes);
    expect(readings.at(-1)!.sentBytes).toBeGreaterThan(shownAtPause);

    // Time left after resume, once 20 % is acknowledged, against when it really finished
    // (readings of the last two seconds are all rounding).
    const resumedAt = readings.findIndex((item) => item.sentBytes > shownAtPause);
    const judged = readings
      .slice(resumedAt)
      .filter((item) => item.etaSeconds !== undefined && item.sentBytes >= 0.2 * total)
      .map((item) => ({ eta: item.etaSeconds!, truth: (finishedMs - item.atMs) / 1000 }))
      .filter(({ truth }) => truth >= 2);
    expect(judged.length).toBeGreaterThan(3);
    for (const { eta, truth } of judged)
      expect(Math.abs(eta - truth) / truth).toBeLessThanOrEqual(0.3);
  }, 180_000);
});
