/**
 * Issue 13, item 7: every wait is bounded and abortable. Against a real sandbox (its fault
 * injection, and a proxy for Retry-After values beyond what the sandbox will send): SIGTERM to
 * the real CLI while it follows a clip under Retry-After 86400 exits within 5 s with its stopped
 * line; a reserve Retry-After at and beyond the 1-hour clamp waits exactly an hour (no RangeError,
 * the clip says it is waiting); a follow Retry-After of 2147484 s does not overflow the timer
 * into hammering the service.
 */
import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClipRecord } from '../../app/clip/clip';
import type { RunningSandbox } from '../../main/sandbox/index';
import { bundleBin, startBin } from '../support/cli-process';
import { makeClip } from '../support/clips';
import {
  armFault,
  count,
  dropLargeClip,
  openUploadSandbox,
  startTestCompanion,
  stats,
  waitFor,
  type SandboxAccount,
} from './upload-support';
import { isGetClip, startProxy } from './upload-proxy';

let dir: string;
let close: () => Promise<void>;
let sandbox: RunningSandbox;
let account: SandboxAccount;
let companionBin: string;
beforeAll(async () => {
  ({ dir, sandbox, account, close } = await openUploadSandbox('gc-upload-waits-', {
    ffmpegPath: null,
  }));
  companionBin = await bundleBin('gameclips-companion', dir);
}, 60_000);
afterAll(() => close());

async function reset(): Promise<void> {
  await fetch(`${sandbox.baseUrl}/sandbox/faults`, { method: 'DELETE' });
  await fetch(`${sandbox.baseUrl}/sandbox/stats`, { method: 'DELETE' });
}

describe('stop is never held by a Retry-After', () => {
  it('SIGTERM to the CLI following a clip under Retry-After 86400 exits within 5 s, saying stopped', async () => {
    await reset();
    const watched = path.join(dir, 'sigterm', 'Captures');
    await mkdir(watched, { recursive: true });
    // Every GET of the clip (the follow to Published) answers 503, "come back in a day".
    await armFault(sandbox.baseUrl, { route: 'get', status: 503, retryAfter: 86_400, times: 1000 });
    const cli = startBin(
      companionBin,
      [
        ...['watch', watched, '--upload', '--json'],
        ...['--service', sandbox.baseUrl, '--scid', account.scid],
        ...['--data', path.join(dir, 'sigterm', 'data')],
      ],
      { GAMECLIPS_AUTHORIZATION: account.authorization },
    );
    await cli.waitForLine((line) => line.includes('"ready"'));
    await dropLargeClip(watched, 'clip.mp4', 3);
    await cli.waitForLine((line) => line.includes('"upload.completed"'));
    await waitFor(
      async () => count(await stats(sandbox.baseUrl), 'get', [503]) >= 1 || undefined,
      60_000,
      'the follow GET to meet its Retry-After',
    );
    const sentAt = Date.now();
    cli.child.kill('SIGTERM');
    const code = await cli.exited;
    const tookMs = Date.now() - sentAt;
    expect(code).toBe(0);
    expect(tookMs).toBeLessThan(5000);
    expect(cli.lines.some((line) => line.includes('"stopped"'))).toBe(true);
  }, 120_000);
});

describe('Retry-After clamps', () => {
  it.each([
    ['3600 (at the clamp)', '3600'],
    ['3601 (beyond it)', '3601'],
    ['2147484 (overflows setTimeout)', '2147484'],
    ['99999999999999 (an invalid Date)', '99999999999999'],
  ])(
    'a reserve 503 with Retry-After %s waits one hour, with the clip waiting-retry and an event',
    async (name, value) => {
      await reset();
      await armFault(sandbox.baseUrl, { route: 'reserve', status: 503, retryAfter: 1, times: 1 });
      const proxy = await startProxy(sandbox.baseUrl, {
        headers: (req, status, headers) =>
          req.method === 'POST' && status === 503 ? { ...headers, 'retry-after': value } : headers,
      });
      const root = path.join(dir, `reserve-${value}`);
      const retrying: number[] = [];
      const { companion, watched } = await startTestCompanion({
        root,
        custom: { baseUrl: proxy.baseUrl, account, uploadHosts: [sandbox.baseUrl] },
        sendPolicy: { kind: 'review' },
        events: { retrying: (_record, delayMs) => retrying.push(delayMs) },
      });
      try {
        const staging = path.join(root, '.clip.mp4');
        await makeClip(staging, { seconds: 2 });
        const file = path.join(watched, 'clip.mp4');
        await rename(staging, file);
        // The retrying event comes right after the record is saved.
        await waitFor(
          () => retrying.length > 0 || undefined,
          60_000,
          () => `${name}: ${JSON.stringify(companion.ledger.all())}`,
        );
        expect(retrying).toEqual([3_600_000]);
        const waiting: ClipRecord = companion.ledger.all().find((r) => r.file.path === file)!;
        expect(waiting.state).toBe('waiting-retry');
        const waitMs = Date.parse(waiting.retryAt!) - Date.parse(waiting.updatedAt);
        expect(waitMs).toBeGreaterThanOrEqual(3_600_000 - 1000);
        expect(waitMs).toBeLessThanOrEqual(3_600_000 + 1000);
        expect(waiting.error?.code).toBe('gameclips/unavailable');
      } finally {
        const stopAt = Date.now();
        await companion.stop();
        expect(Date.now() - stopAt).toBeLessThan(5000);
        await proxy.close();
      }
    },
    90_000,
  );

  it('a follow GET with Retry-After 2147484 waits (10 minutes at most), never hammering the service', async () => {
    await reset();
    await armFault(sandbox.baseUrl, { route: 'get', status: 503, retryAfter: 1, times: 1000 });
    const proxy = await startProxy(sandbox.baseUrl, {
      headers: (req, status, headers) =>
        isGetClip(req) && status === 503 ? { ...headers, 'retry-after': '2147484' } : headers,
    });
    const { companion, watched } = await startTestCompanion({
      root: path.join(dir, 'follow'),
      custom: { baseUrl: proxy.baseUrl, account, uploadHosts: [sandbox.baseUrl] },
    });
    const gets = () => proxy.seen.filter((line) => /^GET .*\/clips\/[^/?]+$/u.test(line)).length;
    try {
      const file = await dropLargeClip(watched, 'clip.mp4', 3);
      await waitFor(
        () => companion.ledger.all().find((r) => r.file.path === file && r.state === 'processing'),
        60_000,
        'the clip to be processing',
      );
      await waitFor(() => gets() >= 1 || undefined, 30_000, 'the first follow GET');
      // An observation window: an overflowed timer (1 ms) would send hundreds of GETs in it.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(gets()).toBe(1);
    } finally {
      const stopAt = Date.now();
      await companion.stop();
      expect(Date.now() - stopAt).toBeLessThan(5000);
      await proxy.close();
    }
  }, 120_000);
});
