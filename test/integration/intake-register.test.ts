/**
 * Drag-and-drop and command-line files through the same gate as watched folders: the IPC port's
 * outcomes per file, and `gameclips-companion register` as a user runs it, against the sandbox.
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntakePort } from '../../main/intake/intake-port';
import { bundleBin, jsonEvents, startBin } from '../support/cli-process';
import { tempDir } from '../support/clips';
import { startRecordingCompanion } from '../support/companion';
import {
  makeClip,
  sparseFile,
  startRealtimeRecorder,
  taggedCopy,
  zeroDurationCopy,
} from '../main/intake/media-files';

let dir: string;
let cleanup: () => Promise<void>;
let clip: string;
let companionBin: string;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('gc-register-'));
  [clip, companionBin] = await Promise.all([
    makeClip(path.join(dir, 'source.mp4'), { seconds: 2, faststart: true }),
    bundleBin('gameclips-companion', dir),
  ]);
}, 60_000);
afterAll(() => cleanup());

describe('IntakePort.registerFiles (drag-and-drop)', () => {
  it('answers one outcome per file, registers the clips inside a dropped folder, and lets a duplicate be kept', async () => {
    const drop = path.join(dir, 'drop');
    await mkdir(path.join(drop, 'Folder', 'Deeper'), { recursive: true });
    const bytes = await readFile(clip);
    await taggedCopy(bytes, path.join(drop, 'single.mp4'), 'single');
    await copyFile(path.join(drop, 'single.mp4'), path.join(drop, 'again.mp4'));
    await taggedCopy(bytes, path.join(drop, 'Folder', 'in-folder.mp4'), 'folder');
    await taggedCopy(bytes, path.join(drop, 'Folder', 'Deeper', 'deeper.mp4'), 'deeper');
    await writeFile(path.join(drop, 'Folder', 'notes.txt'), 'not a clip');
    await writeFile(path.join(drop, 'empty.mp4'), '');
    await writeFile(path.join(drop, 'report.txt'), 'a text file dropped on purpose\n'.repeat(20));
    await taggedCopy(bytes, path.join(drop, 'half.mp4.part'), 'part');

    const test = await startRecordingCompanion(path.join(dir, 'drop-data'), []);
    try {
      const port = createIntakePort(() => Promise.resolve(test.companion.intake));
      const first = await port.registerFiles([path.join(drop, 'single.mp4')]);
      expect(first).toMatchObject({
        ok: true,
        value: [{ outcome: 'accepted', fileName: 'single.mp4' }],
      });
      const answer = await port.registerFiles([
        path.join(drop, 'again.mp4'),
        path.join(drop, 'Folder'),
        path.join(drop, 'empty.mp4'),
        path.join(drop, 'report.txt'),
        path.join(drop, 'half.mp4.part'),
        path.join(drop, 'single.mp4'),
        path.join(drop, 'no-such-file.mp4'),
      ]);
      expect(answer.ok).toBe(true);
      if (!answer.ok) return;
      const byName = Object.fromEntries(answer.value.map((outcome) => [outcome.fileName, outcome]));
      expect(Object.keys(byName).sort()).toEqual([
        'again.mp4',
        'deeper.mp4',
        'empty.mp4',
        'half.mp4.part',
        'in-folder.mp4',
        'no-such-file.mp4',
        'report.txt',
        'single.mp4',
      ]);
      expect(byName['again.mp4']).toMatchObject({
        outcome: 'duplicate',
        duplicateOf: { fileName: 'single.mp4' },
        error: { code: 'intake/duplicate', action: 'force-duplicate' },
      });
      expect(byName['in-folder.mp4']?.outcome).toBe('accepted');
      expect(byName['deeper.mp4']?.outcome).toBe('accepted');
      expect(byName['empty.mp4']).toMatchObject({
        outcome: 'rejected',
        error: { code: 'intake/empty' },
      });
      expect(byName['report.txt']).toMatchObject({
        outcome: 'rejected',
        error: { code: 'intake/not-a-video' },
      });
      expect(byName['half.mp4.part']?.outcome).toBe('ignored');
      expect(byName['single.mp4']?.outcome).toBe('duplicate');
      expect(byName['no-such-file.mp4']).toMatchObject({
        outcome: 'rejected',
        error: { code: 'intake/missing' },
      });
      await expect.poll(() => test.sandboxClipCount(), { timeout: 10_000 }).toBe(3);

      const kept = await port.forceDuplicate(byName['again.mp4']?.clipId as string);
      expect(kept).toMatchObject({ ok: true, value: { fileName: 'again.mp4' } });
      await expect.poll(() => test.sandboxClipCount(), { timeout: 10_000 }).toBe(4);
      // Refused files left no record (issue 14, item 4), so only a clip can be named: a clip
      // that is not a refused duplicate cannot be "kept anyway".
      expect(byName['empty.mp4']?.clipId).toBeUndefined();
      expect(byName['report.txt']?.clipId).toBeUndefined();
      const notDuplicate = await port.forceDuplicate(byName['in-folder.mp4']?.clipId as string);
      expect(notDuplicate).toMatchObject({ ok: false, error: { code: 'ipc/invalid-arguments' } });
      const stored = test.companion.ledger.all().map((record) => path.basename(record.file.path));
      expect(stored).not.toContain('empty.mp4');
      expect(stored).not.toContain('report.txt');
    } finally {
      await test.companion.stop();
    }
  }, 60_000);
});

describe('gameclips-companion register', () => {
  it('reserves the named files and folders, prints each, and exits 0 when all were reserved', async () => {
    const folder = path.join(dir, 'cli-ok');
    await mkdir(path.join(folder, 'Sub'), { recursive: true });
    const bytes = await readFile(clip);
    await taggedCopy(bytes, path.join(folder, 'one.mp4'), 'one');
    await taggedCopy(bytes, path.join(folder, 'Sub', 'two.mp4'), 'two');
    await taggedCopy(bytes, path.join(dir, 'three.mp4'), 'three');
    const cli = startBin(companionBin, [
      'register',
      folder,
      path.join(dir, 'three.mp4'),
      '--json',
      '--data',
      path.join(dir, 'cli-ok-data'),
    ]);
    expect(await cli.exited).toBe(0);
    const events = jsonEvents(cli);
    const results = events.filter((event) => event.event === 'register.result');
    expect(
      results.map((event) => [path.basename(String(event.path)), event.outcome]).sort(),
    ).toEqual([
      ['one.mp4', 'reserved'],
      ['three.mp4', 'reserved'],
      ['two.mp4', 'reserved'],
    ]);
    expect(new Set(results.map((event) => event.gameClipId)).size).toBe(3);
    expect(events.filter((event) => event.event === 'clip.reserved')).toHaveLength(3);
  }, 60_000);

  it('exits non-zero and gives each refused file its reason as a clip.rejected line', async () => {
    const folder = path.join(dir, 'cli-bad');
    await mkdir(folder, { recursive: true });
    const bytes = await readFile(clip);
    await taggedCopy(bytes, path.join(folder, 'good.mp4'), 'good');
    await copyFile(path.join(folder, 'good.mp4'), path.join(folder, 'good copy.mp4'));
    await writeFile(path.join(folder, 'empty.mp4'), '');
    await writeFile(path.join(folder, 'text.mp4'), 'hello\n'.repeat(100));
    await sparseFile(path.join(folder, 'huge.mkv'), 4_294_967_296);
    await zeroDurationCopy(clip, path.join(folder, 'zero.mp4'));
    const cli = startBin(companionBin, [
      'register',
      path.join(folder, 'good.mp4'),
      path.join(folder, 'good copy.mp4'),
      path.join(folder, 'empty.mp4'),
      path.join(folder, 'text.mp4'),
      path.join(folder, 'huge.mkv'),
      path.join(folder, 'zero.mp4'),
      '--json',
      '--data',
      path.join(dir, 'cli-bad-data'),
    ]);
    expect(await cli.exited).toBe(1);
    const events = jsonEvents(cli);
    const reasons = Object.fromEntries(
      events
        .filter((event) => event.event === 'clip.rejected')
        .map((event) => [path.basename(String(event.path)), event.reason]),
    );
    // The two identical files are decided at once: whichever is decided second is the duplicate
    // of the other, and exactly one of them is reserved.
    const twins = ['good.mp4', 'good copy.mp4'];
    const refusedTwin = twins.find((name) => reasons[name] !== undefined) ?? 'none';
    const keptTwin = twins.find((name) => name !== refusedTwin);
    expect(reasons).toEqual({
      [refusedTwin]: 'duplicate',
      'empty.mp4': 'empty',
      'text.mp4': 'not-a-video',
      'huge.mkv': 'too-large',
      'zero.mp4': 'zero-duration',
    });
    const duplicate = events.find(
      (event) => event.event === 'clip.rejected' && event.reason === 'duplicate',
    ) as { duplicateOf?: { path: string } } | undefined;
    expect(path.basename(duplicate?.duplicateOf?.path ?? '')).toBe(keptTwin);
    expect(events.filter((event) => event.event === 'clip.reserved')).toHaveLength(1);
  }, 60_000);

  it('watch --json prints the intake status per root and no clip.reserved for a file still being recorded', async () => {
    const watched = path.join(dir, 'cli-live');
    await mkdir(watched, { recursive: true });
    const cli = startBin(companionBin, [
      'watch',
      watched,
      '--json',
      '--data',
      path.join(dir, 'cli-live-data'),
    ]);
    const status = JSON.parse(
      await cli.waitForLine(
        (line) => line.includes('"intake.status"') && line.includes('"watching"'),
      ),
    ) as { roots: Array<{ key: string; state: string }> };
    expect(status.roots).toEqual([expect.objectContaining({ key: watched, state: 'watching' })]);
    await cli.waitForLine((line) => line.includes('"event":"ready"'));
    const recorder = startRealtimeRecorder(path.join(watched, 'recording.mkv'), 4);
    await recorder.done;
    const finished = Date.now();
    const reserved = JSON.parse(
      await cli.waitForLine((line) => line.includes('"clip.reserved"')),
    ) as { ts: string; path: string };
    expect(path.basename(reserved.path)).toBe('recording.mkv');
    expect(Date.parse(reserved.ts)).toBeGreaterThanOrEqual(finished - 5);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
    expect(jsonEvents(cli).filter((event) => event.event === 'clip.reserved')).toHaveLength(1);
  }, 60_000);
});
