/**
 * Issue 13, item 2: bytes that match the reservation. A clip rewritten in place during a slowed
 * upload (a real sandbox whose block PUTs take most of a second, a real ffmpeg clip), three times,
 * is never published as a mix: the published bytes equal one version of the file (the last one,
 * since every earlier upload was abandoned), and nothing else is left on the service.
 */
import { createHash } from 'node:crypto';
import { open, readFile, rename, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningSandbox } from '../../main/sandbox/index';
import { listAllClips } from '../sandbox/support';
import {
  armFault,
  count,
  downloadedSha256,
  getServiceClip,
  makeLargeClip,
  openUploadSandbox,
  QUICK_BLOCK_RETRY,
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
  ({ dir, sandbox, account, close } = await openUploadSandbox('gc-upload-identity-', {
    ffmpegPath: null,
  }));
}, 60_000);
afterAll(() => close());

const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

/**
 * Rewrites 64 KiB inside the media data near the end of the file (the last blocks, not yet sent;
 * the index after it stays whole, so the file is still a complete MP4) and, like `rsync --inplace
 * -t` or a tool that keeps times, puts the modification time back: size and mtime say nothing.
 */
async function rewriteInPlace(file: string, round: number, keepTime: boolean): Promise<void> {
  const before = await stat(file);
  const handle = await open(file, 'r+');
  try {
    await handle.write(Buffer.alloc(65_536, 0x30 + round), 0, 65_536, before.size - 400_000);
  } finally {
    await handle.close();
  }
  if (keepTime) await utimes(file, before.atime, before.mtime);
}

it('a clip rewritten in place 3 times during a slowed upload is published as one version of the file', async () => {
  const root = path.join(dir, 'rewrite');
  const { companion, watched } = await startTestCompanion({
    root,
    custom: { baseUrl: sandbox.baseUrl, account },
    uploadTuning: { blockPolicy: QUICK_BLOCK_RETRY },
  });
  try {
    // Whole-second times, so putting them back gives the very same mtime.
    const staging = path.join(root, '.clip.mp4');
    await makeLargeClip(staging, 8);
    const seconds = Math.floor(Date.now() / 1000) - 60;
    await utimes(staging, seconds, seconds);
    const file = path.join(watched, 'clip.mp4');
    const versions = new Set<string>([await sha256(staging)]);
    // A slow service: every block PUT waits 700 ms, four at a time.
    await armFault(sandbox.baseUrl, { route: 'block', delayMs: 700, times: 100_000 });
    await rename(staging, file);

    const abandoned = new Set<string>();
    for (let round = 1; round <= 3; round++) {
      const uploading = await waitFor(
        async () => {
          const record = companion.ledger.all().find((r) => r.file.path === file);
          const id = record?.reservation?.gameClipId;
          if (record?.state !== 'uploading' || !id || abandoned.has(id)) return undefined;
          // At least one block of this reservation acknowledged: the upload is under way.
          const s = await stats(sandbox.baseUrl);
          return count(s, 'block', [202]) > 0 ? record : undefined;
        },
        90_000,
        `round ${round}: an upload under way`,
      );
      await fetch(`${sandbox.baseUrl}/sandbox/stats`, { method: 'DELETE' });
      abandoned.add(uploading.reservation!.gameClipId);
      // Rounds 1 and 3 keep the modification time: only the bytes tell.
      await rewriteInPlace(file, round, round !== 2);
      versions.add(await sha256(file));
    }
    await fetch(`${sandbox.baseUrl}/sandbox/faults`, { method: 'DELETE' });

    const published = await waitFor(
      () => {
        const record = companion.ledger.all().find((r) => r.file.path === file);
        return record?.state === 'published' && !abandoned.has(record.reservation!.gameClipId)
          ? record
          : undefined;
      },
      120_000,
      () => JSON.stringify(companion.ledger.all().find((r) => r.file.path === file)),
    );
    const { clip } = await getServiceClip(
      sandbox.baseUrl,
      account,
      published.reservation!.gameClipId,
    );
    expect(clip?.state).toBe('Published');
    const served = await downloadedSha256(clip!);
    expect(versions.has(served)).toBe(true);
    expect(served).toBe(await sha256(file));
    // Every abandoned reservation is gone: one clip on the service, the published one.
    await companion.deletes.drained();
    for (const gameClipId of abandoned)
      expect((await getServiceClip(sandbox.baseUrl, account, gameClipId)).status).toBe(404);
    const left = await listAllClips(sandbox.baseUrl, account);
    expect(left.map((c) => c.gameClipId)).toEqual([published.reservation!.gameClipId]);
  } finally {
    await companion.stop();
  }
}, 240_000);
