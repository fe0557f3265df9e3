/**
 * The block sender's decision after a failed PUT (blockFailureVerdict) and the file identity
 * check every upload run starts with (upload-helpers checkIdentity), on real files.
 */
import { open, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClipRecord } from '../../../app/clip/clip';
import { blockFailureVerdict } from '../../../main/pipeline/block-sender';
import { checkIdentity } from '../../../main/pipeline/upload-helpers';
import { BLOCK_RETRY_POLICY } from '../../../main/pipeline/upload-types';
import { quickFingerprint } from '../../../main/intake/fingerprint';
import { tempDir } from '../../support/clips';

const options = { policy: BLOCK_RETRY_POLICY, random: () => 0.5 };

describe('blockFailureVerdict', () => {
  it('stops at once on an address the token may not reach, and on a redirect', () => {
    expect(
      blockFailureVerdict(
        { kind: 'network', sent: false, message: 'no', refused: 'token-scope' },
        1,
        options,
      ),
    ).toMatchObject({ stop: { kind: 'failed', code: 'gameclips/untrusted-address' } });
    expect(blockFailureVerdict({ kind: 'http', status: 307 }, 1, options)).toMatchObject({
      stop: { kind: 'failed', code: 'gameclips/redirect-refused' },
    });
  });

  it('a 410 is an expired reservation; a 401 (after the refresh) needs the user', () => {
    expect(blockFailureVerdict({ kind: 'http', status: 410 }, 1, options)).toMatchObject({
      stop: { kind: 'expired' },
    });
    expect(blockFailureVerdict({ kind: 'http', status: 401 }, 1, options)).toMatchObject({
      stop: { kind: 'blocked', code: 'gameclips/unauthorized' },
    });
  });

  it('a 503 is sent again after a delay until the policy gives up, then waits a minute', () => {
    const first = blockFailureVerdict({ kind: 'http', status: 503 }, 1, options);
    expect(first).toHaveProperty('delayMs');
    expect((first as { delayMs: number }).delayMs).toBeGreaterThan(0);
    const last = blockFailureVerdict(
      { kind: 'http', status: 503 },
      BLOCK_RETRY_POLICY.maxAttempts,
      options,
    );
    expect(last).toMatchObject({
      stop: { kind: 'retry-later', code: 'gameclips/unavailable', delayMs: 60_000 },
    });
  });
});

describe('checkIdentity', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  async function recordOf(filePath: string): Promise<ClipRecord> {
    const handle = await open(filePath, 'r');
    const info = await handle.stat();
    const fingerprint = await quickFingerprint(handle, info.size);
    await handle.close();
    return {
      file: { path: filePath, size: info.size, mtimeMs: info.mtimeMs, fingerprint },
    } as ClipRecord;
  }

  it('tells the same file, a touched one, a rewritten one and a deleted one apart', async () => {
    const dir = await tempDir('gc-identity-');
    cleanup = dir.cleanup;
    const filePath = path.join(dir.dir, 'clip.mp4');
    await writeFile(filePath, Buffer.alloc(64 * 1024, 7));
    const record = await recordOf(filePath);
    expect(await checkIdentity(record)).toBe('same');

    // The same bytes with new times: the same clip, with its new mtime.
    const later = new Date(record.file.mtimeMs + 60_000);
    await utimes(filePath, later, later);
    const touched = await checkIdentity(record);
    expect(touched).toMatchObject({ path: filePath, mtimeMs: later.getTime() });

    await writeFile(filePath, Buffer.alloc(64 * 1024, 8));
    expect(await checkIdentity(record)).toBe('changed');

    await writeFile(filePath, Buffer.alloc(1024, 7));
    expect(await checkIdentity(record)).toBe('changed');

    await dir.cleanup();
    cleanup = undefined;
    expect(await checkIdentity(record)).toBe('gone');
  });
});
