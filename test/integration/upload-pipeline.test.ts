/**
 * Upload through the pipeline API (startCompanion), against a real sandbox over real HTTP, with
 * clips of tens of MB written by ffmpeg: to Published with byte-identical content, thumbnails the
 * "window" renders when asked, caption edits before and after Published, and faults.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftEdited, type ClipRecord } from '../../app/clip/clip';
import type { Companion } from '../../main/core/companion';
import type { RunningSandbox } from '../../main/sandbox/index';
import {
  armFault,
  clipInState,
  count,
  downloadedSha256,
  dropLargeClip,
  getServiceClip,
  openUploadSandbox,
  QUICK_BLOCK_RETRY,
  renderThumbnail,
  sha256File,
  startTestCompanion,
  stats,
  waitFor,
  type SandboxAccount,
  type TestCompanionOptions,
} from './upload-support';
import { recordFigure } from '../support/figures';

let dir: string;
let close: () => Promise<void>;
let sandbox: RunningSandbox;
let account: SandboxAccount;
beforeAll(async () => {
  ({ dir, sandbox, account, close } = await openUploadSandbox('gc-upload-'));
}, 60_000);
afterAll(() => close());

function companionFor(name: string, overrides: Partial<TestCompanionOptions> = {}) {
  return startTestCompanion({
    root: path.join(dir, name),
    custom: { baseUrl: sandbox.baseUrl, account },
    initialDraft: () => ({ caption: 'as reserved', visibility: 'Owner' }),
    uploadTuning: { blockPolicy: QUICK_BLOCK_RETRY, thumbnailWaitMs: 10_000 },
    ...overrides,
  });
}

const dropClip = (watched: string, name: string, seconds = 8) =>
  dropLargeClip(watched, name, seconds);

function recordOf(companion: Companion, filePath: string): ClipRecord | undefined {
  return companion.ledger.all().find((record) => record.file.path === filePath);
}

describe('upload through the pipeline API', () => {
  it('takes a clip of tens of MB to Published, byte-identical, with thumbnails and edited captions', async () => {
    const thumbnailRequests: Array<{ clipId: string; offsetMs: number }> = [];
    let companion!: Companion;
    const started = await companionFor('app', {
      mode: 'app',
      sendPolicy: { kind: 'review' },
      events: {
        // The window's part: render the frame from the local file and hand the PNGs back.
        thumbnailsWanted: (clipId, offsetMs) => {
          thumbnailRequests.push({ clipId, offsetMs });
          const record = companion.ledger.get(clipId)!;
          void (async () => {
            const [large, small] = await Promise.all([
              renderThumbnail(record.file.path, offsetMs, 754, 424),
              renderThumbnail(record.file.path, offsetMs, 370, 208),
            ]);
            const saved = await companion.thumbnails.save(clipId, { large, small, offsetMs });
            expect(saved).toEqual({ ok: true });
          })();
        },
      },
    });
    companion = started.companion;
    try {
      const file = await dropClip(started.watched, 'big.mp4');
      const reserved = await clipInState(companion, file, ['reserved']);
      expect(reserved.file.size).toBeGreaterThan(20_000_000);
      // Review policy: nothing moves until Send.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(recordOf(companion, file)?.state).toBe('reserved');

      // Edited after reserving, with a chosen frame.
      await companion.ledger.put(
        draftEdited(
          reserved,
          { caption: 'edited after reserving', visibility: 'Public', thumbnailOffsetMs: 1500 },
          new Date().toISOString(),
        ),
      );
      const sent = await companion.uploads.send([reserved.id]);
      expect(sent.map((record) => record.state)).toEqual(['uploading']);

      const published = await clipInState(companion, file, ['published', 'failed']);
      expect(published.state).toBe('published');
      expect(thumbnailRequests).toEqual([{ clipId: reserved.id, offsetMs: 1500 }]);
      expect(published.thumbnails).toBe('sent');
      expect(published.links?.downloadUri).toMatch(/^http/u);
      expect(published.links?.smallThumbnailUri).toMatch(/^http/u);

      const gameClipId = published.reservation!.gameClipId;
      const { clip } = await getServiceClip(sandbox.baseUrl, account, gameClipId);
      expect(clip?.state).toBe('Published');
      expect(clip?.userCaption).toBe('edited after reserving');
      expect(clip?.visibility).toBe('Public');
      expect(clip?.thumbnails?.map((thumb) => thumb.thumbnailType).sort()).toEqual([
        'Large',
        'Small',
      ]);
      expect(await downloadedSha256(clip!)).toBe(await sha256File(file));

      // Edited after Published: sent the same way, and retried while the service refuses it.
      await armFault(sandbox.baseUrl, { route: 'update', status: 503, retryAfter: 1, times: 2 });
      await companion.ledger.put(
        draftEdited(
          companion.ledger.get(reserved.id)!,
          { caption: 'edited after publishing' },
          new Date().toISOString(),
        ),
      );
      await waitFor(
        async () =>
          (await getServiceClip(sandbox.baseUrl, account, gameClipId)).clip?.userCaption ===
          'edited after publishing'
            ? true
            : undefined,
        20_000,
        'the caption edit after Published',
      );
      expect(count(await stats(sandbox.baseUrl), 'update', [503])).toBe(2);
      await waitFor(
        () =>
          companion.ledger.get(reserved.id)?.metadataSent?.caption === 'edited after publishing'
            ? true
            : undefined,
        5000,
        'the ledger to record what was sent',
      );
    } finally {
      await companion.stop();
    }
  }, 120_000);

  it('finishes every upload with 30 % of block PUTs failing (503, then dropped connections)', async () => {
    const { companion, watched } = await companionFor('flaky');
    try {
      for (const fault of [{ status: 503, retryAfter: 1 }, { dropConnection: true }] as const) {
        await fetch(`${sandbox.baseUrl}/sandbox/stats`, { method: 'DELETE' });
        await armFault(sandbox.baseUrl, {
          route: 'block',
          probability: 0.3,
          times: 100_000,
          ...fault,
        });
        const file = await dropClip(watched, `flaky-${Object.keys(fault)[0]}.mp4`);
        const done = await clipInState(companion, file, ['published', 'failed'], 90_000);
        await fetch(`${sandbox.baseUrl}/sandbox/faults`, { method: 'DELETE' });
        expect(done.state).toBe('published');
        const { clip } = await getServiceClip(
          sandbox.baseUrl,
          account,
          done.reservation!.gameClipId,
        );
        expect(await downloadedSha256(clip!)).toBe(await sha256File(file));
        const s = await stats(sandbox.baseUrl);
        const blocks = done.upload!.expectedBlocks;
        const retries = count(s, 'block') - blocks;
        // Expected 0.3 / 0.7 = 0.43 per block; the bar is 1.5 (R3).
        expect(retries / blocks).toBeLessThanOrEqual(1.5);
        recordFigure(`30 % block faults (${Object.keys(fault)[0]})`, {
          blocks,
          retries,
          perBlock: Number((retries / blocks).toFixed(2)),
        });
        expect(count(s, 'block', [500, 503]) + (s.requests.block?.dropped ?? 0)).toBeGreaterThan(0);
        expect(count(s, 'reserve')).toBe(1);
      }
    } finally {
      await companion.stop();
    }
  }, 180_000);
});
