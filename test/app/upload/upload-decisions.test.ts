/**
 * The pure upload decisions: block schedule, PNG header check, rate and ETA, send policy,
 * metadata diff and the bandwidth bucket.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fullBucket, takeTokens } from '../../../app/upload/bandwidth';
import { ackedBytes, blocksOf, pendingBlocks } from '../../../app/upload/blocks';
import { metadataUpdate } from '../../../app/upload/metadata';
import { checkPng, readPngSize } from '../../../app/upload/png';
import { etaSeconds, startRate, updateRate } from '../../../app/upload/progress';
import { decideSend, EDITING_GRACE_MS } from '../../../app/upload/send-policy';

const run = promisify(execFile);

async function png(width: number, height: number): Promise<Uint8Array> {
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

describe('block schedule', () => {
  it('owes the blocks not acknowledged, lowest first, and counts acknowledged bytes exactly', () => {
    expect(pendingBlocks(7, [0, 2, 3, 6])).toEqual([1, 4, 5]);
    expect(pendingBlocks(3, [])).toEqual([0, 1, 2]);
    expect(pendingBlocks(3, [0, 1, 2])).toEqual([]);
    // 4,500,000 bytes: blocks of 2,000,000, 2,000,000 and 500,000.
    expect(ackedBytes(4_500_000, [2])).toBe(500_000);
    expect(ackedBytes(4_500_000, [0, 2, 2])).toBe(2_500_000);
    expect(ackedBytes(4_500_000, [0, 1, 2])).toBe(4_500_000);
    expect(blocksOf(4_500_000, undefined)).toBe(3);
    expect(blocksOf(1, undefined)).toBe(1);
    expect(blocksOf(4_500_000, 5)).toBe(5);
  });
});

describe('PNG check', () => {
  it('reads width and height from real PNGs and refuses other sizes and non-PNGs', async () => {
    const large = await png(754, 424);
    expect(readPngSize(large)).toEqual({ ok: true, width: 754, height: 424 });
    expect(checkPng(large, { width: 754, height: 424 }).ok).toBe(true);
    const wrong = checkPng(large, { width: 370, height: 208 });
    expect(wrong.ok).toBe(false);
    expect(!wrong.ok && wrong.reason).toContain('754x424');
    expect(
      checkPng(new TextEncoder().encode('GIF89a not a png at all....'), { width: 1, height: 1 }).ok,
    ).toBe(false);
    expect(checkPng(large.subarray(0, 20), { width: 754, height: 424 }).ok).toBe(false);
    const noHeader = Uint8Array.from(large);
    noHeader[12] = 0x78; // the first chunk is no longer IHDR
    expect(checkPng(noHeader, { width: 754, height: 424 }).ok).toBe(false);
  });
});

describe('rate and ETA', () => {
  it('smooths the rate and answers an ETA only once a rate is known', () => {
    let rate = startRate(0, 0);
    expect(etaSeconds(0, 1000, rate.bytesPerSecond)).toBeUndefined();
    rate = updateRate(rate, 1_000_000, 1000);
    expect(rate.bytesPerSecond).toBe(1_000_000);
    rate = updateRate(rate, 1_000_000, 2000); // a second with nothing sent
    expect(rate.bytesPerSecond).toBe(800_000);
    expect(etaSeconds(1_000_000, 5_000_000, rate.bytesPerSecond)).toBe(5);
    expect(etaSeconds(5_000_000, 5_000_000, rate.bytesPerSecond)).toBe(0);
    expect(updateRate(rate, 2_000_000, 2000)).toBe(rate); // no time passed
  });
});

describe('send policy', () => {
  const reservedAtMs = 1_000_000;
  it('holds under review, sends at once under immediate', () => {
    expect(decideSend({ kind: 'review' }, { reservedAtMs }, reservedAtMs + 1e9)).toEqual({
      kind: 'hold',
    });
    expect(decideSend({ kind: 'immediate' }, { reservedAtMs }, reservedAtMs)).toEqual({
      kind: 'send',
    });
  });
  it('sends N minutes after reservation unless the draft was edited in the last 30 s', () => {
    const policy = { kind: 'after-delay' as const, minutes: 2 };
    const due = reservedAtMs + 120_000;
    expect(decideSend(policy, { reservedAtMs }, due - 1)).toEqual({ kind: 'wait', atMs: due });
    expect(decideSend(policy, { reservedAtMs }, due)).toEqual({ kind: 'send' });
    const editedAt = due - 5000;
    expect(decideSend(policy, { reservedAtMs, draftEditedAtMs: editedAt }, due)).toEqual({
      kind: 'wait',
      atMs: editedAt + EDITING_GRACE_MS,
    });
    expect(
      decideSend(policy, { reservedAtMs, draftEditedAtMs: editedAt }, editedAt + EDITING_GRACE_MS),
    ).toEqual({ kind: 'send' });
  });
});

describe('metadata diff', () => {
  it('sends only the fields that differ from what the service has', () => {
    const sent = { caption: 'a', visibility: 'Owner' as const };
    expect(metadataUpdate(sent, sent)).toBeUndefined();
    expect(metadataUpdate({ ...sent, caption: 'b' }, sent)).toEqual({ userCaption: 'b' });
    expect(metadataUpdate({ caption: '', visibility: 'Public' }, sent)).toEqual({
      userCaption: '',
      visibility: 'Public',
    });
  });
});

describe('bandwidth bucket', () => {
  it('lets a second of burst through, then paces to the cap', () => {
    const cap = 1_000_000;
    let bucket = fullBucket(cap, 0);
    let step = takeTokens(bucket, 600_000, cap, 0);
    expect(step.waitMs).toBe(0);
    bucket = step.bucket;
    step = takeTokens(bucket, 600_000, cap, 0);
    expect(step.waitMs).toBe(200);
    bucket = step.bucket;
    // Half a second later the debt of 200,000 is paid and 300,000 are back.
    step = takeTokens(bucket, 300_000, cap, 500);
    expect(step.waitMs).toBe(0);
    // Refill never exceeds one second of burst.
    expect(takeTokens(fullBucket(cap, 0), 1_000_001, cap, 60_000).waitMs).toBe(1);
  });
});
