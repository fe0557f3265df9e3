/**
 * `gameclips-companion watch --upload --json` as a user runs it: a clip of tens of MB goes from
 * the folder to Published (embedded sandbox), and survives many `kill -9`s mid-upload against a
 * standalone sandbox whose counters outlive the CLI (R1, upload part).
 */
import { readFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../main/sandbox/index';
import { bundleBin, jsonEvents, startBin } from '../support/cli-process';
import { tempDir } from '../support/clips';
import {
  armFault,
  count,
  downloadedSha256,
  dropLargeClip,
  getServiceClip,
  newAccount,
  sha256File,
  stats,
} from './upload-support';
import { recordFigure } from '../support/figures';

let dir: string;
let cleanup: () => Promise<void>;
let companionBin: string;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('gc-upload-cli-'));
  companionBin = await bundleBin('gameclips-companion', dir);
}, 60_000);
afterAll(() => cleanup());

describe('gameclips-companion watch --upload --json', () => {
  it('uploads a clip of tens of MB from the folder to Published on the embedded sandbox', async () => {
    const watched = path.join(dir, 'embedded', 'Captures');
    const data = path.join(dir, 'embedded', 'data');
    await mkdir(watched, { recursive: true });
    const cli = startBin(companionBin, ['watch', watched, '--upload', '--json', '--data', data]);
    try {
      const ready = JSON.parse(await cli.waitForLine((line) => line.includes('"ready"'))) as {
        baseUrl: string;
      };
      const file = await dropLargeClip(watched, 'clip.mp4', 10);

      const published = JSON.parse(
        await cli.waitForLine((line) => line.includes('"clip.published"')),
      ) as { gameClipId: string };
      const events = jsonEvents(cli);
      const names = events.map((event) => event.event);
      expect(names).toContain('clip.reserved');
      expect(names.indexOf('upload.completed')).toBeLessThan(names.indexOf('clip.published'));
      expect(names).not.toContain('clip.failed');
      const progress = events.filter((event) => event.event === 'upload.progress');
      expect(progress.length).toBeGreaterThan(0);
      for (const line of progress) {
        expect(line.gameClipId).toBe(published.gameClipId);
        expect(line.totalBytes).toBeGreaterThan(20_000_000);
        expect(line.sentBytes).toBeLessThanOrEqual(line.totalBytes as number);
      }
      expect(events.find((event) => event.event === 'upload.completed')?.gameClipId).toBe(
        published.gameClipId,
      );

      const account = JSON.parse(await readFile(path.join(data, 'sandbox-account.json'), 'utf8'))
        .account as { authorization: string; scid: string; xuid: string };
      const { clip } = await getServiceClip(ready.baseUrl, account, published.gameClipId);
      expect(clip?.state).toBe('Published');
      expect(await downloadedSha256(clip!)).toBe(await sha256File(file));
    } finally {
      cli.child.kill('SIGTERM');
      expect(await cli.exited).toBe(0);
    }
  }, 120_000);

  it('completes after many kill -9s mid-upload: hash equal, one live reservation, few blocks re-sent', async () => {
    const sandbox = await startSandbox({
      strict: true,
      dataDir: path.join(dir, 'killed', 'sandbox'),
      ffmpegPath: null,
    });
    try {
      const account = await newAccount(sandbox);
      const watched = path.join(dir, 'killed', 'Captures');
      const data = path.join(dir, 'killed', 'data');
      await mkdir(watched, { recursive: true });
      const file = await dropLargeClip(watched, 'clip.mp4', 12);
      // Slow blocks so every run is cut somewhere inside the upload.
      await armFault(sandbox.baseUrl, { route: 'block', delayMs: 250, times: 1_000_000 });

      const args = [
        'watch',
        watched,
        '--upload',
        '--json',
        '--data',
        data,
        '--service',
        sandbox.baseUrl,
        '--scid',
        account.scid,
      ];
      const env = { GAMECLIPS_AUTHORIZATION: account.authorization };
      const KILLS = 8;
      let kills = 0;
      for (let run = 0; run < KILLS; run++) {
        const cli = startBin(companionBin, args, env);
        await cli.waitForLine((line) => line.includes('"ready"'));
        // Random points: some runs die reserving or just after, most while blocks are in flight.
        await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 900));
        const done = cli.lines.some((line) => line.includes('"clip.published"'));
        cli.child.kill('SIGKILL');
        await cli.exited;
        if (done) break;
        kills++;
      }
      await fetch(`${sandbox.baseUrl}/sandbox/faults`, { method: 'DELETE' });
      const cli = startBin(companionBin, args, env);
      try {
        const published = JSON.parse(
          await cli.waitForLine((line) => line.includes('"clip.published"')),
        ) as { gameClipId: string };
        const { clip } = await getServiceClip(sandbox.baseUrl, account, published.gameClipId);
        expect(await downloadedSha256(clip!)).toBe(await sha256File(file));
        const s = await stats(sandbox.baseUrl);
        // Exactly one clip left on the service (others deleted), and it is the published one.
        expect(s.liveReservations[account.xuid] ?? 0).toBe(0);
        const live = Object.entries(s.clipsByState).filter(([state]) => state !== 'Deleted');
        expect(live).toEqual([['Published', 1]]);
        const size = (await import('node:fs')).statSync(file).size;
        const expectedBlocks = Math.ceil(size / 2_000_000);
        const stored = count(s, 'block', [201, 202]);
        const resent = stored - expectedBlocks;
        // Each kill may cost at most one block per worker (4) that the service already had.
        expect(kills).toBeGreaterThanOrEqual(3);
        expect(resent).toBeLessThanOrEqual(4 * kills);
        recordFigure('kill -9 runs mid-upload', {
          kills,
          blocks: expectedBlocks,
          storedAgain: resent,
          perKill: Number((resent / kills).toFixed(2)),
          reservations: count(s, 'reserve'),
        });
      } finally {
        cli.child.kill('SIGTERM');
        await cli.exited;
      }
    } finally {
      await sandbox.close();
    }
  }, 240_000);
});
