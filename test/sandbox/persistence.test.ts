/**
 * What must survive and what must be real: a restart on the same data folder keeps accounts,
 * clips and blocks; a real encoder's clip uploaded in blocks comes back byte-identical; Default
 * and Offset thumbnails are rendered with ffmpeg; one data folder serves one sandbox at a time.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockSpan, expectedBlockCount } from '../../app/gameclips/blocks';
import { startSandbox } from '../../main/sandbox/index';
import { makeClip } from '../support/clips';
import {
  call,
  openSandbox,
  pattern,
  putBlock,
  type AccountInfo,
  type TestSandbox,
} from './support';

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

async function fetchBytes(uri: string): Promise<Uint8Array> {
  const response = await fetch(uri);
  expect(response.status).toBe(200);
  return new Uint8Array(await response.arrayBuffer());
}

describe('restart on the same data folder', () => {
  let sandbox: TestSandbox;
  beforeAll(async () => {
    sandbox = await openSandbox();
  });
  afterAll(() => sandbox.close());

  it('keeps accounts, clips, blocks, thumbnails and links', async () => {
    const account = await sandbox.account();
    const file = pattern(3000, 31);
    const published = await sandbox.reserve(account, {
      fileSize: 1000,
      expectedBlocks: 1,
      userCaption: 'kept',
    });
    expect((await putBlock(published.uploadUri, account, 0, file.subarray(0, 1000))).status).toBe(
      201,
    );
    const before = await sandbox.waitForState(account, published.gameClipId, 'Published');
    const oldDownload = (before.gameClipUris as { uri: string }[])[0]!.uri;

    const partial = await sandbox.reserve(account, { fileSize: 3000, expectedBlocks: 3 });
    expect((await putBlock(partial.uploadUri, account, 0, file.subarray(0, 1000))).status).toBe(
      202,
    );
    expect((await putBlock(partial.uploadUri, account, 2, file.subarray(2000))).status).toBe(202);
    const oldBase = sandbox.baseUrl;

    await sandbox.restart();
    expect(sandbox.baseUrl).not.toBe(oldBase);

    // The account's token still works, and the published clip is as it was.
    const after = await call(sandbox.clipUrl(account, published.gameClipId), { auth: account });
    expect(after.status).toBe(200);
    const clip = (after.body as { gameClip: Record<string, unknown> }).gameClip;
    expect(clip).toMatchObject({
      state: 'Published',
      userCaption: 'kept',
      gameClipId: published.gameClipId,
    });
    // Links issued before the restart still work once their origin is rewritten to the new port.
    const rewritten = oldDownload.replace(oldBase, sandbox.baseUrl);
    expect(await fetchBytes(rewritten)).toEqual(file.subarray(0, 1000));

    // The half-uploaded clip kept its blocks: the missing one completes it.
    const uploadUri = partial.uploadUri.replace(oldBase, sandbox.baseUrl);
    expect((await putBlock(uploadUri, account, 1, file.subarray(1000, 2000))).status).toBe(201);
    const done = await sandbox.waitForState(account, partial.gameClipId, 'Published');
    expect(await fetchBytes((done.gameClipUris as { uri: string }[])[0]!.uri)).toEqual(file);
  });

  it('resumes a clip the restart caught between commit and Published', async () => {
    await sandbox.restart({ stateDelaysMs: { Processed: 60_000 } });
    const account = await sandbox.account();
    const reservation = await sandbox.reserve(account);
    expect((await putBlock(reservation.uploadUri, account, 0, pattern(1000))).status).toBe(201);
    await sandbox.waitForState(account, reservation.gameClipId, 'Processed');
    await sandbox.restart({ stateDelaysMs: {} });
    await sandbox.waitForState(account, reservation.gameClipId, 'Published');
  });

  it('refuses a second sandbox on a data folder that is in use', async () => {
    await expect(startSandbox({ dataDir: sandbox.dataDir, ffmpegPath: null })).rejects.toThrow(
      /in use by process/,
    );
  });

  it('holds its records as readable JSON files under the data folder', async () => {
    const account = await sandbox.account();
    const reservation = await sandbox.reserve(account);
    const record = JSON.parse(
      await readFile(path.join(sandbox.dataDir, 'clips', `${reservation.gameClipId}.json`), 'utf8'),
    ) as { state: string; xuid: string };
    expect(record).toMatchObject({ state: 'PendingUpload', xuid: account.xuid });
  });
});

describe('a real clip made by ffmpeg', () => {
  let sandbox: TestSandbox;
  let account: AccountInfo;
  let clipBytes: Uint8Array;
  beforeAll(async () => {
    sandbox = await openSandbox({ ffmpegPath: 'ffmpeg' });
    account = await sandbox.account();
    const clipPath = await makeClip(path.join(sandbox.root, 'clip.mp4'), {
      seconds: 4,
      size: '1280x720',
      bitrate: '16M',
    });
    clipBytes = new Uint8Array(await readFile(clipPath));
  });
  afterAll(() => sandbox.close());

  it('uploads in 2,000,000-byte blocks, 4 at a time, and downloads byte-identical (SHA-256)', async () => {
    const fileSize = clipBytes.length;
    const blocks = expectedBlockCount(fileSize);
    expect(blocks).toBeGreaterThanOrEqual(3);
    const reservation = await sandbox.reserve(account, {
      fileSize,
      expectedBlocks: blocks,
      durationInSeconds: 4,
      thumbnailSource: 'Default',
    });
    let next = 0;
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < blocks) {
          const span = blockSpan(fileSize, next++);
          const answer = await putBlock(
            reservation.uploadUri,
            account,
            span.blockNum,
            clipBytes.subarray(span.start, span.end),
          );
          statuses.push(answer.status);
        }
      }),
    );
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 202)).toHaveLength(blocks - 1);
    const clip = await sandbox.waitForState(account, reservation.gameClipId, 'Published');
    const download = (clip.gameClipUris as { uri: string; fileSize: number }[])[0]!;
    expect(download.fileSize).toBe(fileSize);
    const response = await fetch(download.uri);
    expect(response.headers.get('content-type')).toBe('video/mp4');
    expect(sha256(new Uint8Array(await response.arrayBuffer()))).toBe(sha256(clipBytes));

    // Default thumbnails are rendered at the 3-second mark in both sizes (4.4, A10).
    const thumbnails = clip.thumbnails as {
      uri: string;
      thumbnailType: string;
      fileSize: number;
    }[];
    expect(thumbnails.map((t) => t.thumbnailType)).toEqual(['Small', 'Large']);
    const small = await fetchBytes(thumbnails[0]!.uri);
    const large = await fetchBytes(thumbnails[1]!.uri);
    expect(pngSize(small)).toEqual({ width: 370, height: 208 });
    expect(pngSize(large)).toEqual({ width: 754, height: 424 });
    expect(small.length).toBe(thumbnails[0]!.fileSize);
  });

  it('renders Offset thumbnails from the given frame, and falls back when it is past the end', async () => {
    for (const offset of [1500, 9000]) {
      const reservation = await sandbox.reserve(account, {
        fileSize: clipBytes.length,
        expectedBlocks: undefined,
        durationInSeconds: 10,
        thumbnailSource: 'Offset',
        thumbnailOffsetMillseconds: offset,
      });
      expect((await putBlock(reservation.uploadUri, account, undefined, clipBytes)).status).toBe(
        201,
      );
      const clip = await sandbox.waitForState(account, reservation.gameClipId, 'Published');
      expect((clip.thumbnails as unknown[]).length, `offset ${offset}`).toBe(2);
    }
  });

  it('publishes bytes that are not a video without thumbnails', async () => {
    const reservation = await sandbox.reserve(account, { thumbnailSource: 'Default' });
    expect((await putBlock(reservation.uploadUri, account, 0, pattern(1000))).status).toBe(201);
    const clip = await sandbox.waitForState(account, reservation.gameClipId, 'Published');
    expect(clip.thumbnails).toEqual([]);
  });
});
