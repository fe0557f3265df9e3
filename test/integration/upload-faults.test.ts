/**
 * Faults mid-upload, against a real sandbox: 401 (refresh, same block, no new reservation), 410
 * (delete and reserve once more), the file overwritten or deleted, and a stalled socket.
 */
import { rename, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClipRecord } from '../../app/clip/clip';
import type { Companion } from '../../main/core/companion';
import type { RunningSandbox } from '../../main/sandbox/index';
import {
  armFault,
  clipInState,
  count,
  downloadedSha256,
  dropLargeClip,
  getServiceClip,
  makeLargeClip,
  openUploadSandbox,
  QUICK_BLOCK_RETRY,
  sha256File,
  startTestCompanion,
  stats,
  waitFor,
  type SandboxAccount,
} from './upload-support';

let dir: string;
let close: () => Promise<void>;
let sandbox: RunningSandbox;
let account: SandboxAccount;
beforeAll(async () => {
  ({ dir, sandbox, account, close } = await openUploadSandbox('gc-upload-faults-', {
    ffmpegPath: null,
  }));
}, 60_000);
afterAll(() => close());

async function setUp(name: string, noProgressTimeoutMs = 30_000) {
  await fetch(`${sandbox.baseUrl}/sandbox/faults`, { method: 'DELETE' });
  await fetch(`${sandbox.baseUrl}/sandbox/stats`, { method: 'DELETE' });
  return startTestCompanion({
    root: path.join(dir, name),
    custom: { baseUrl: sandbox.baseUrl, account },
    uploadTuning: { noProgressTimeoutMs, blockPolicy: QUICK_BLOCK_RETRY },
  });
}

const dropClip = (watched: string, name: string, seconds = 6) =>
  dropLargeClip(watched, name, seconds);

const stateOf = (companion: Companion, file: string, states: readonly ClipRecord['state'][]) =>
  clipInState(companion, file, states, 90_000);

async function expectPublishedIdentical(record: ClipRecord, file: string): Promise<void> {
  expect(record.state).toBe('published');
  const { clip } = await getServiceClip(sandbox.baseUrl, account, record.reservation!.gameClipId);
  expect(clip?.state).toBe('Published');
  expect(await downloadedSha256(clip!)).toBe(await sha256File(file));
}

/**
 * After one 401 on a block: still the one reservation, and only the refused block went twice
 * (the 401, then the retry after the refresh); every other block once.
 */
async function expectResumedAtSameBlock(baseUrl: string, done: ClipRecord): Promise<void> {
  const s = await stats(baseUrl);
  expect(count(s, 'reserve')).toBe(1);
  expect(count(s, 'block', [401])).toBe(1);
  expect(count(s, 'block')).toBe(done.upload!.expectedBlocks + 1);
}

describe('upload faults', () => {
  it('401 mid-upload: refreshes the account and resumes at the same block, no new reservation', async () => {
    const { companion, watched, refreshes } = await setUp('401');
    try {
      await armFault(sandbox.baseUrl, { route: 'block', blockNum: 3, status: 401 });
      const file = await dropClip(watched, 'a.mp4');
      const done = await stateOf(companion, file, ['published', 'failed', 'blocked']);
      await expectPublishedIdentical(done, file);
      expect(refreshes()).toBe(1);
      await expectResumedAtSameBlock(sandbox.baseUrl, done);
    } finally {
      await companion.stop();
    }
  }, 120_000);

  it('401 mid-upload on the built-in sandbox: the local account is read again, same block, one reservation', async () => {
    const { companion, watched } = await startTestCompanion({ root: path.join(dir, 'built-in') });
    try {
      const baseUrl = companion.service.baseUrl;
      await armFault(baseUrl, { route: 'block', blockNum: 2, status: 401 });
      const file = await dropClip(watched, 'built-in.mp4');
      const done = await stateOf(companion, file, ['published', 'failed', 'blocked']);
      expect(done.state).toBe('published');
      await expectResumedAtSameBlock(baseUrl, done);
    } finally {
      await companion.stop();
    }
  }, 120_000);

  it('410 mid-upload: deletes the reservation and reserves once more', async () => {
    const { companion, watched } = await setUp('410');
    try {
      await armFault(sandbox.baseUrl, { route: 'block', blockNum: 4, status: 410 });
      const file = await dropClip(watched, 'b.mp4');
      const first = await waitFor(
        () => companion.ledger.all().find((record) => record.reservation)?.reservation,
        60_000,
        'the first reservation',
      );
      const done = await stateOf(companion, file, ['published', 'failed']);
      await expectPublishedIdentical(done, file);
      expect(done.reservation!.gameClipId).not.toBe(first.gameClipId);
      expect(done.renewals).toBe(1);
      expect((await getServiceClip(sandbox.baseUrl, account, first.gameClipId)).status).toBe(404);
      const s = await stats(sandbox.baseUrl);
      expect(count(s, 'reserve')).toBe(2);
      expect(count(s, 'delete', [204])).toBe(1);
    } finally {
      await companion.stop();
    }
  }, 120_000);

  it('a file overwritten mid-upload: the old reservation is deleted and the new content uploaded', async () => {
    const { companion, watched } = await setUp('overwritten');
    try {
      const replacement = path.join(path.dirname(watched), '.replacement.mp4');
      await makeLargeClip(replacement, 5);
      // Slow blocks (a second each, four at a time) so the overwrite lands mid-upload.
      await armFault(sandbox.baseUrl, { route: 'block', delayMs: 1000, times: 100_000 });
      const file = await dropClip(watched, 'c.mp4');
      const uploading = await stateOf(companion, file, ['uploading']);
      const oldId = uploading.reservation!.gameClipId;
      await new Promise((resolve) => setTimeout(resolve, 1200));
      await rename(replacement, file);
      await stateOf(companion, file, ['reserving']);
      await fetch(`${sandbox.baseUrl}/sandbox/faults`, { method: 'DELETE' });
      const done = await waitFor(
        () => {
          const record = companion.ledger.get(uploading.id);
          return record?.state === 'published' && record.reservation?.gameClipId !== oldId
            ? record
            : undefined;
        },
        90_000,
        () => JSON.stringify(companion.ledger.get(uploading.id)),
      );
      await expectPublishedIdentical(done, file);
      expect((await getServiceClip(sandbox.baseUrl, account, oldId)).status).toBe(404);
      expect(companion.ledger.all().filter((record) => record.file.path === file)).toHaveLength(1);
    } finally {
      await companion.stop();
    }
  }, 120_000);

  it('a file deleted mid-upload shows as missing, never dropped', async () => {
    const { companion, watched } = await setUp('deleted');
    try {
      await armFault(sandbox.baseUrl, { route: 'block', delayMs: 400, times: 8 });
      const file = await dropClip(watched, 'd.mp4');
      const uploading = await stateOf(companion, file, ['uploading']);
      await rm(file);
      const missing = await stateOf(companion, file, ['missing']);
      expect(missing.id).toBe(uploading.id);
      expect(missing.error?.code).toBe('intake/missing');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(companion.ledger.get(uploading.id)?.state).toBe('missing');
    } finally {
      await companion.stop();
    }
  }, 120_000);

  it('a stalled socket is cut by the no-progress timeout and the block sent again', async () => {
    const { companion, watched } = await setUp('stalled', 1500);
    try {
      // The sandbox sits on one block for a minute without answering.
      await armFault(sandbox.baseUrl, { route: 'block', blockNum: 2, delayMs: 60_000 });
      const file = await dropClip(watched, 'e.mp4', 4);
      const started = Date.now();
      const done = await stateOf(companion, file, ['published', 'failed']);
      await expectPublishedIdentical(done, file);
      expect(Date.now() - started).toBeLessThan(40_000);
      const s = await stats(sandbox.baseUrl);
      expect(count(s, 'reserve')).toBe(1);
    } finally {
      await companion.stop();
    }
  }, 120_000);

  it('a file that changed while paused is re-checked on resume, kept, and sent once it is whole again', async () => {
    const { companion, watched } = await setUp('appended');
    try {
      await armFault(sandbox.baseUrl, { route: 'block', delayMs: 1000, times: 100_000 });
      const file = await dropClip(watched, 'f.mp4', 4);
      const uploading = await stateOf(companion, file, ['uploading']);
      const oldId = uploading.reservation!.gameClipId;
      const size = uploading.file.size;
      await companion.uploads.pause([uploading.id]);
      expect(companion.ledger.get(uploading.id)?.state).toBe('paused');
      await fetch(`${sandbox.baseUrl}/sandbox/faults`, { method: 'DELETE' });
      await writeFile(file, Buffer.alloc(1000, 1), { flag: 'a' });
      await companion.uploads.resume([uploading.id]);
      // The boxes no longer tile the file: the gate keeps it waiting, the old reservation is gone.
      const changed = await stateOf(companion, file, ['reserving']);
      expect(changed.error?.code).toBe('upload/file-changed');
      expect((await getServiceClip(sandbox.baseUrl, account, oldId)).status).toBe(404);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(companion.ledger.get(uploading.id)?.state).toBe('reserving');
      // Whole again: reserved afresh and sent, as the user had asked.
      await truncate(file, size);
      const done = await stateOf(companion, file, ['published']);
      expect(done.id).toBe(uploading.id);
      expect(done.reservation!.gameClipId).not.toBe(oldId);
      await expectPublishedIdentical(done, file);
    } finally {
      await companion.stop();
    }
  }, 120_000);
});
