/**
 * Roots that come back (issue 13, item 4): a watched folder that is deleted shows as missing and is
 * watched again within seconds when it is re-created (`rm -rf F; mkdir F`) or replaced
 * (`mv F F-old; mkdir F`), well before the periodic scan; the headless `watch` never exits on its
 * own while it waits for a folder, and always says `stopped`. Real folders, real clips, the real
 * CLI and sandbox.
 */
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleBin, jsonEvents, startBin } from '../support/cli-process';
import { makeClip, tempDir } from '../support/clips';
import { startRecordingCompanion } from '../support/companion';
import { taggedCopy } from '../main/intake/media-files';

let dir: string;
let cleanup: () => Promise<void>;
let clip: Buffer;
let companionBin: string;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('gc-roots-'));
  [clip, companionBin] = await Promise.all([
    makeClip(path.join(dir, 'source.mp4'), { seconds: 2 }).then((file) => readFile(file)),
    bundleBin('gameclips-companion', dir),
  ]);
}, 60_000);
afterAll(() => cleanup());

/** Well under the 30 s error retry and the periodic scan: only a re-watch finds the clip this soon. */
const SOON_MS = 10_000;

describe('a watched folder deleted, re-created and replaced', () => {
  it('shows it missing, then watches the new folder within seconds each time', async () => {
    const root = path.join(dir, 'intake', 'Captures');
    await mkdir(root, { recursive: true });
    const test = await startRecordingCompanion(path.join(dir, 'intake', 'data'), [root], {
      errorRetryMs: 60_000,
    });
    try {
      const state = () => test.companion.intake.status().roots?.[0];
      expect(state()?.state).toBe('watching');

      await rm(root, { recursive: true });
      await expect.poll(() => state()?.state, { timeout: SOON_MS }).toBe('missing');
      expect(state()?.message).toMatch(/^Missing: waiting for it to come back\./u);

      await mkdir(root);
      await taggedCopy(clip, path.join(root, 'after re-create.mp4'), 're-created');
      await expect
        .poll(() => test.reservedNames(), { timeout: SOON_MS })
        .toEqual(['after re-create.mp4']);
      expect(state()?.state).toBe('watching');

      // Replaced: the old folder lives on under another name, a new one takes the path.
      await rename(root, `${root}-old`);
      await mkdir(root);
      await taggedCopy(clip, path.join(root, 'after replace.mp4'), 'replaced');
      await expect
        .poll(() => test.reservedNames(), { timeout: SOON_MS })
        .toEqual(['after re-create.mp4', 'after replace.mp4']);
      // The moved-away folder is no longer watched under the old name.
      await taggedCopy(clip, path.join(`${root}-old`, 'in the old one.mp4'), 'old');
      await test.companion.intake.reconcile();
      await test.companion.intake.idle();
      expect(test.reservedNames()).toEqual(['after re-create.mp4', 'after replace.mp4']);
      expect(await test.sandboxClipCount()).toBe(2);
    } finally {
      await test.companion.stop();
    }
  }, 60_000);
});

describe('gameclips-companion watch while its folder comes and goes', () => {
  it('--json: waits for the deleted folder, re-watches it when re-created or replaced, and says stopped', async () => {
    const watched = path.join(dir, 'cli-json', 'Captures');
    await mkdir(watched, { recursive: true });
    const cli = startBin(companionBin, [
      'watch',
      watched,
      '--json',
      '--data',
      path.join(dir, 'cli-json', 'data'),
    ]);
    try {
      await cli.waitForLine((line) => line.includes('"event":"ready"'));
      await rm(watched, { recursive: true });
      await cli.waitForLine(
        (line) => line.includes('"intake.status"') && line.includes('"state":"missing"'),
      );

      await mkdir(watched);
      await makeClip(path.join(watched, 'back.mp4'), { seconds: 2 });
      await cli.waitForLine(
        (line) => line.includes('"clip.reserved"') && line.includes('back.mp4'),
      );

      await rename(watched, `${watched}-old`);
      await mkdir(watched);
      // Other content than back.mp4 (same content whose original went away would be a move).
      await makeClip(path.join(watched, 'replaced.mp4'), { seconds: 3 });
      await cli.waitForLine(
        (line) => line.includes('"clip.reserved"') && line.includes('replaced.mp4'),
      );
    } finally {
      cli.child.kill('SIGTERM');
    }
    expect(await cli.exited).toBe(0);
    const events = jsonEvents(cli);
    expect(events.at(-1)?.event).toBe('stopped');
    expect(events.filter((event) => event.event === 'clip.reserved')).toHaveLength(2);
  }, 90_000);

  it('plain text: says the folder is missing, keeps running, and prints stopped on Ctrl+C', async () => {
    const watched = path.join(dir, 'cli-plain', 'Captures');
    await mkdir(watched, { recursive: true });
    const cli = startBin(companionBin, [
      'watch',
      watched,
      '--data',
      path.join(dir, 'cli-plain', 'data'),
    ]);
    try {
      await cli.waitForLine((line) => line.startsWith('watching '));
      await rm(watched, { recursive: true });
      const missing = await cli.waitForLine((line) => line.startsWith('missing '));
      expect(missing).toContain('waiting for it to come back');
      // Still running: the re-created folder's clip is reserved.
      await mkdir(watched);
      await makeClip(path.join(watched, 'back.mp4'), { seconds: 2 });
      await cli.waitForLine((line) => line.startsWith('reserved ') && line.includes('back.mp4'));
    } finally {
      cli.child.kill('SIGINT');
    }
    expect(await cli.exited).toBe(0);
    expect(cli.lines.at(-1)).toBe('stopped; the ledger is saved');
  }, 90_000);
});
