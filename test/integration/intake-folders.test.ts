/**
 * Watched folders through the whole pipeline: real ffmpeg output, real temporary folders, the
 * real sandbox on loopback. Every finished clip is reserved exactly once, nothing unfinished is
 * ever reserved (counted by the sandbox itself), and every bad input ends with its own reason
 * and no POST.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toClipView } from '../../app/clip/views';
import { tempDir } from '../support/clips';
import { startRecordingCompanion, type RecordingCompanion } from '../support/companion';
import {
  completeCopy,
  CONTAINER_KINDS,
  makeClip,
  sparseFile,
  startRealtimeRecorder,
  taggedCopy,
  truncatedCopy,
  writeWithPause,
  zeroDurationCopy,
} from '../main/intake/media-files';

const run = promisify(execFile);

let dir: string;
let cleanup: () => Promise<void>;
/** Finished clips made once, copied into watched folders by the tests. */
const sources = new Map<string, string>();
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('gc-intake-'));
  await mkdir(path.join(dir, 'sources'));
  await Promise.all(
    CONTAINER_KINDS.map(async ([, file, options]) =>
      sources.set(
        file,
        await makeClip(path.join(dir, 'sources', file), { seconds: 2, ...options }),
      ),
    ),
  );
  sources.set(
    'long.mp4',
    await makeClip(path.join(dir, 'sources', 'long.mp4'), { seconds: 3, bitrate: '2M' }),
  );
}, 60_000);
afterAll(() => cleanup());

async function withCompanion(
  name: string,
  roots: readonly string[],
  body: (test: RecordingCompanion) => Promise<void>,
  tuning: Parameters<typeof startRecordingCompanion>[2] = {},
): Promise<void> {
  for (const root of roots) await mkdir(root, { recursive: true });
  const test = await startRecordingCompanion(path.join(dir, name, 'data'), roots, tuning);
  try {
    await body(test);
  } finally {
    await test.companion.stop();
  }
}

const source = (name: string) => sources.get(name) as string;
const kindName = (file: string) => `kind-${file.replace('.', '-')}${path.extname(file)}`;

describe('clips of every container kind and bad inputs', () => {
  it('reserves each finished clip once and refuses each bad input with its own reason, before any POST', async () => {
    const root = path.join(dir, 'kinds', 'Captures');
    await withCompanion('kinds', [root], async (test) => {
      // Distinct stems: same-stem files of one length in two containers would be remux twins.
      for (const [, file] of CONTAINER_KINDS)
        await copyFile(source(file), path.join(root, kindName(file)));
      await writeFile(path.join(root, 'empty.mp4'), '');
      await writeFile(path.join(root, 'notes.mp4'), 'meeting notes, not a video\n'.repeat(30));
      await sparseFile(path.join(root, 'huge.mov'), 4_294_967_296);
      await zeroDurationCopy(source('plain.mp4'), path.join(root, 'zero.mp4'));
      await copyFile(source('plain.mp4'), path.join(root, 'copy of plain.mp4'));
      // Never looked at: temporary names and dotfiles.
      await copyFile(source('clip.mkv'), path.join(root, 'unfinished.mkv.part'));
      await copyFile(source('clip.mkv'), path.join(root, 'download.mp4.crdownload'));
      await copyFile(source('clip.mkv'), path.join(root, 'scratch.mp4.tmp'));
      await copyFile(source('clip.webm'), path.join(root, '~lock.webm'));
      await copyFile(source('clip.mov'), path.join(root, '.hidden.mov'));

      await expect.poll(() => test.events.reserved.length, { timeout: 20_000 }).toBe(6);
      await expect.poll(() => test.events.rejected.length, { timeout: 20_000 }).toBe(5);
      await test.companion.intake.idle();

      expect(test.reservedNames()).toEqual(
        CONTAINER_KINDS.map(([, file]) => kindName(file)).sort(),
      );
      const reasons = Object.fromEntries(
        test.events.rejected.map(({ record }) => [
          path.basename(record.file.path),
          record.error?.code,
        ]),
      );
      expect(reasons).toEqual({
        'empty.mp4': 'intake/empty',
        'notes.mp4': 'intake/not-a-video',
        'huge.mov': 'intake/too-large',
        'zero.mp4': 'intake/zero-duration',
        'copy of plain.mp4': 'intake/duplicate',
      });
      const duplicate = test.events.rejected.find(
        ({ record }) => record.error?.code === 'intake/duplicate',
      );
      expect(path.basename(duplicate?.duplicateOf?.file.path ?? '')).toBe(kindName('plain.mp4'));
      expect(duplicate?.record.error?.detail).toContain(kindName('plain.mp4'));
      // The sandbox saw one reservation per finished clip and nothing for the refused ones.
      expect(await test.sandboxClipCount()).toBe(6);

      // The user keeps the duplicate: it is reserved after all.
      const forced = await test.companion.intake.forceDuplicate(duplicate?.record.id as string);
      expect(forced.ok).toBe(true);
      await expect.poll(() => test.sandboxClipCount(), { timeout: 10_000 }).toBe(7);
      // The sandbox counts the POST before the app has written its answer: wait for the ledger.
      await expect
        .poll(() => test.companion.ledger.get(duplicate?.record.id as string)?.state, {
          timeout: 10_000,
        })
        .toBe('reserved');
    });
  }, 60_000);
});

describe('files still being written', () => {
  it('a real-time recorder and a writer that pauses mid-file are reserved only once finished', async () => {
    const root = path.join(dir, 'slow', 'Captures');
    await withCompanion('slow', [root], async (test) => {
      const finishedAt = new Map<string, number>();
      // One stem on purpose: recorders writing side by side are not remux twins of each other.
      const writers = [
        ...['live.mp4', 'live.mkv', 'live.webm'].map((name) =>
          startRealtimeRecorder(path.join(root, name), 4).done.then(() =>
            finishedAt.set(name, performance.now()),
          ),
        ),
        writeWithPause(source('long.mp4'), path.join(root, 'paused.mp4'), 3_000).then(() =>
          finishedAt.set('paused.mp4', performance.now()),
        ),
      ];
      // Until the first writer finishes, the sandbox holds no reservation at all.
      const seenWhileWriting: number[] = [];
      while (finishedAt.size === 0) {
        seenWhileWriting.push(await test.sandboxClipCount());
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await Promise.all(writers);
      expect(seenWhileWriting.length).toBeGreaterThan(20);
      expect(Math.max(...seenWhileWriting)).toBe(0);
      await expect.poll(() => test.events.reserved.length, { timeout: 20_000 }).toBe(4);
      expect(test.reservedNames()).toEqual(['live.mkv', 'live.mp4', 'live.webm', 'paused.mp4']);
      // Each file passed the gate only after its own writer had finished.
      for (const [name, at] of finishedAt)
        expect(test.events.detectedAt.get(path.join(root, name))).toBeGreaterThan(at);
      expect(test.events.rejected).toEqual([]);
      expect(await test.sandboxClipCount()).toBe(4);
    });
  }, 60_000);

  it('truncated files of every kind are flagged incomplete, never reserved, and come back when finished', async () => {
    const root = path.join(dir, 'truncated', 'Captures');
    await withCompanion('truncated', [root], async (test) => {
      for (const [, file] of CONTAINER_KINDS)
        await truncatedCopy(source(file), path.join(root, `cut-${file}`), 0.5);
      await expect.poll(() => test.events.incomplete.length, { timeout: 30_000 }).toBe(6);
      expect(await test.sandboxClipCount()).toBe(0);
      for (const record of test.events.incomplete) {
        expect(test.companion.ledger.get(record.id)?.state).toBe('incomplete');
        expect(record.error?.code).toBe('intake/incomplete');
      }
      // The writer comes back and finishes one file: it is reserved after all.
      await completeCopy(source('clip.mkv'), path.join(root, 'cut-clip.mkv'));
      await expect.poll(() => test.reservedNames(), { timeout: 15_000 }).toEqual(['cut-clip.mkv']);
      expect(await test.sandboxClipCount()).toBe(1);
    });
  }, 60_000);
});

describe('renames, moves, twins and new folders', () => {
  it('keeps one clip across renames, moves and temp-then-rename, and sees a folder made with its file', async () => {
    const root = path.join(dir, 'renames', 'Captures');
    await withCompanion('renames', [root], async (test) => {
      await copyFile(source('plain.mp4'), path.join(root, 'first.mp4'));
      await expect.poll(() => test.reservedNames(), { timeout: 10_000 }).toEqual(['first.mp4']);
      const id = test.events.reserved[0]?.id as string;

      await rename(path.join(root, 'first.mp4'), path.join(root, 'renamed.mp4'));
      await expect
        .poll(() => path.basename(test.companion.ledger.get(id)?.file.path ?? ''), {
          timeout: 10_000,
        })
        .toBe('renamed.mp4');
      await mkdir(path.join(root, 'Game'));
      await rename(path.join(root, 'renamed.mp4'), path.join(root, 'Game', 'moved.mp4'));
      await expect
        .poll(() => test.companion.ledger.get(id)?.file.path, { timeout: 10_000 })
        .toBe(path.join(root, 'Game', 'moved.mp4'));

      // Temp-then-rename writer: only the final name is ever taken.
      await copyFile(source('clip.mov'), path.join(root, 'session.mov.part'));
      await rename(path.join(root, 'session.mov.part'), path.join(root, 'session.mov'));
      // A new folder with its file written in the same tick.
      await mkdir(path.join(root, 'New Game'));
      await copyFile(source('clip.webm'), path.join(root, 'New Game', 'first.webm'));

      await expect
        .poll(() => test.reservedNames(), { timeout: 15_000 })
        .toEqual(['first.mp4', 'first.webm', 'session.mov']);
      await test.companion.intake.idle();
      expect(await test.sandboxClipCount()).toBe(3);
    });
  }, 60_000);

  it('takes an OBS-style remux twin (same stem, MKV -> MP4) as the same clip, not a second reservation', async () => {
    const root = path.join(dir, 'remux', 'Captures');
    await withCompanion('remux', [root], async (test) => {
      await copyFile(source('clip.mkv'), path.join(root, '2026-11-26 20-00-00.mkv'));
      await expect.poll(() => test.events.reserved.length, { timeout: 10_000 }).toBe(1);
      await run('ffmpeg', [
        '-hide_banner',
        '-loglevel',
        'error',
        '-i',
        path.join(root, '2026-11-26 20-00-00.mkv'),
        '-c',
        'copy',
        path.join(dir, 'remux', '2026-11-26 20-00-00.mp4'),
      ]);
      // OBS writes the remux next to the recording.
      await rename(
        path.join(dir, 'remux', '2026-11-26 20-00-00.mp4'),
        path.join(root, '2026-11-26 20-00-00.mp4'),
      );
      await expect.poll(() => test.events.rejected.length, { timeout: 10_000 }).toBe(1);
      const twin = test.events.rejected[0];
      expect(twin?.record.error?.code).toBe('intake/duplicate');
      expect(path.basename(twin?.duplicateOf?.file.path ?? '')).toBe('2026-11-26 20-00-00.mkv');
      expect(await test.sandboxClipCount()).toBe(1);
    });
  }, 30_000);
});

describe('hostile names and trees', () => {
  it('does not recurse into symlink loops or follow links out of the root; NFC, NFD and bidi names all work', async () => {
    const root = path.join(dir, 'hostile', 'Captures');
    const outside = path.join(dir, 'hostile', 'Outside');
    await mkdir(outside, { recursive: true });
    await mkdir(root, { recursive: true });
    await copyFile(source('faststart.mp4'), path.join(outside, 'secret.mp4'));
    await symlink(root, path.join(root, 'loop'));
    await symlink(outside, path.join(root, 'elsewhere'));
    await symlink(path.join(outside, 'secret.mp4'), path.join(root, 'linked.mp4'));
    const clip = await readFile(source('plain.mp4'));
    const nfc = 'Caf\u00e9 clip.mp4';
    const nfd = 'Cafe\u0301 clip.mp4';
    const bidi = 'clip\u202egnp.mp4';
    await withCompanion('hostile', [root], async (test) => {
      await taggedCopy(clip, path.join(root, nfc), 'nfc');
      await taggedCopy(clip, path.join(root, nfd), 'nfd');
      await taggedCopy(clip, path.join(root, bidi), 'bidi');
      await taggedCopy(clip, path.join(root, 'loop', 'through-the-loop.mp4'), 'loop');
      await expect.poll(() => test.events.reserved.length, { timeout: 15_000 }).toBe(4);
      await test.companion.intake.idle();
      const names = test.events.reserved.map((record) => path.basename(record.file.path));
      expect(names).toEqual(expect.arrayContaining([nfc, nfd, bidi, 'through-the-loop.mp4']));
      // The file written through the loop is taken once, under its real path, not as loop/loop/...
      const throughLoop = `${path.sep}loop${path.sep}`;
      expect(
        test.events.reserved.filter((record) => record.file.path.includes(throughLoop)),
      ).toEqual([]);
      expect(names.some((name) => name.includes('secret'))).toBe(false);
      expect(names.includes('linked.mp4')).toBe(false);
      const bidiRecord = test.events.reserved.find((record) => record.file.path.endsWith(bidi));
      expect(toClipView(bidiRecord as never).fileName).toBe('clip\\u{202e}gnp.mp4');
      expect(await test.sandboxClipCount()).toBe(4);
    });
  }, 30_000);
});

describe('roots at run time', () => {
  it('adds and removes roots, reports a vanished root with what to do, recovers, and says when it polls', async () => {
    const first = path.join(dir, 'roots', 'First');
    const second = path.join(dir, 'roots', 'Second');
    const network = path.join(dir, 'roots', 'Network');
    await mkdir(second, { recursive: true });
    await mkdir(network, { recursive: true });
    const clip = await readFile(source('plain.mp4'));
    await taggedCopy(clip, path.join(second, 'already-there.mp4'), 'second');
    await withCompanion(
      'roots',
      [first],
      async (test) => {
        const intake = test.companion.intake;
        const rootState = (folder: string) =>
          intake.status().roots?.find((root) => root.key === folder);
        expect(rootState(first)?.state).toBe('watching');

        await intake.setRoots([first, second, network]);
        await expect
          .poll(() => test.reservedNames(), { timeout: 10_000 })
          .toEqual(['already-there.mp4']);
        expect(rootState(network)?.state).toBe('polling');
        expect(rootState(network)?.message).toMatch(/NFS drive.*every 1 s/u);

        // Removed: a new file there is no longer seen.
        await intake.setRoots([first, network]);
        expect(rootState(second)).toBeUndefined();
        await taggedCopy(clip, path.join(second, 'after-removal.mp4'), 'removed');

        // A root that disappears is reported, with what to do; when it comes back, watching resumes.
        await rm(first, { recursive: true });
        // Noticed by the watcher itself (or the scan after its error), without waiting for a reconcile.
        // (issue 13: a deleted folder is `missing`, waited for, not an error.)
        await expect.poll(() => rootState(first)?.state, { timeout: 10_000 }).toBe('missing');
        expect(rootState(first)?.message).toMatch(/no longer exists.*Reconnect the drive/u);
        expect(
          test.events.statuses.some((status) =>
            status.roots?.some((root) => root.key === first && root.state === 'missing'),
          ),
        ).toBe(true);
        // The folder comes back: retried by itself, watching resumes and its clip is found.
        await mkdir(first);
        await taggedCopy(clip, path.join(first, 'back.mp4'), 'back');
        await expect.poll(() => rootState(first)?.state, { timeout: 10_000 }).toBe('watching');
        await expect
          .poll(() => test.reservedNames(), { timeout: 10_000 })
          .toEqual(['already-there.mp4', 'back.mp4']);
        // The polled root still finds what is written there.
        await taggedCopy(clip, path.join(network, 'polled.mp4'), 'polled');
        await expect
          .poll(() => test.reservedNames(), { timeout: 15_000 })
          .toEqual(['already-there.mp4', 'back.mp4', 'polled.mp4']);
        expect(await test.sandboxClipCount()).toBe(3);
      },
      {
        pollingIntervalMs: 1_000,
        errorRetryMs: 500,
        eventlessFileSystem: (folder) => Promise.resolve(folder === network ? 'NFS' : undefined),
      },
    );
  }, 60_000);
});

describe('a burst', () => {
  it('reserves 1,000 files written at once, each exactly once', async () => {
    const root = path.join(dir, 'burst', 'Captures');
    const clip = await readFile(source('faststart.mp4'));
    await withCompanion('burst', [root], async (test) => {
      await Promise.all(
        Array.from({ length: 1000 }, (_, i) =>
          taggedCopy(clip, path.join(root, `burst-${String(i).padStart(4, '0')}.mp4`), `#${i}`),
        ),
      );
      await expect
        .poll(() => test.events.reserved.length, { timeout: 120_000, interval: 500 })
        .toBe(1000);
      await test.companion.intake.idle();
      expect(new Set(test.events.reserved.map((record) => record.file.path)).size).toBe(1000);
      expect(test.events.rejected).toEqual([]);
      expect(await test.sandboxClipCount()).toBe(1000);
    });
  }, 180_000);
});
