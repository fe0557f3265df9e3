/**
 * Paths are not identities, and files that go away are noticed by the watcher (issue 13, item 3;
 * issue 12, item 7): real clips in real temporary folders, the real pipeline and sandbox. A new
 * recording under a finished clip's name is a new clip, also across a restart; a copy refused as a
 * duplicate takes over when its original is deleted (one reservation in all); a deleted reserved
 * clip is `missing` within a second and back, with its reservation, when its file returns.
 */
import { copyFile, mkdir, readFile, rename, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clipStopped, type ClipRecord } from '../../app/clip/clip';
import { errorView } from '../../app/errors';
import { tempDir } from '../support/clips';
import { startRecordingCompanion, type RecordingCompanion } from '../support/companion';
import { makeClip, taggedCopy } from '../main/intake/media-files';
import { recordFigure } from '../support/figures';

let dir: string;
let cleanup: () => Promise<void>;
let clip: Buffer;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('gc-identity-'));
  clip = await readFile(await makeClip(path.join(dir, 'source.mp4'), { seconds: 2 }));
}, 60_000);
afterAll(() => cleanup());

async function withCompanion(
  name: string,
  roots: readonly string[],
  body: (test: RecordingCompanion) => Promise<void>,
): Promise<void> {
  for (const root of roots) await mkdir(root, { recursive: true });
  const test = await startRecordingCompanion(path.join(dir, name, 'data'), roots);
  try {
    await body(test);
  } finally {
    await test.companion.stop();
  }
}

const recordsAt = (test: RecordingCompanion, filePath: string): ClipRecord[] =>
  test.companion.ledger.all().filter((record) => record.file.path === filePath);
const stateOf = (test: RecordingCompanion, id: string) => test.companion.ledger.get(id)?.state;
const reservedIdAt = (test: RecordingCompanion, filePath: string) =>
  test.events.reserved.find((record) => record.file.path === filePath)?.id;

describe('paths are not identities', () => {
  it('a new recording saved under a cancelled or published clip is a new clip, also after a restart', async () => {
    const root = path.join(dir, 'reused', 'Captures');
    const cancelled = path.join(root, 'cancelled.mp4');
    const published = path.join(root, 'published.mp4');
    await withCompanion('reused', [root], async (test) => {
      await taggedCopy(clip, cancelled, 'first take A');
      await taggedCopy(clip, published, 'first take B');
      await expect.poll(() => test.events.reserved.length, { timeout: 15_000 }).toBe(2);
      const cancelledId = reservedIdAt(test, cancelled) as string;
      const publishedId = reservedIdAt(test, published) as string;

      await test.companion.uploads.cancel([cancelledId]);
      expect(stateOf(test, cancelledId)).toBe('cancelled');
      await test.companion.uploads.send([publishedId]);
      await expect.poll(() => stateOf(test, publishedId), { timeout: 30_000 }).toBe('published');

      // The recorder saves a new take under the cancelled clip's name, the app running.
      await taggedCopy(clip, cancelled, 'second take');
      await expect
        .poll(() => test.events.reserved.filter((r) => r.file.path === cancelled).length, {
          timeout: 15_000,
        })
        .toBe(2);
      const states = recordsAt(test, cancelled).map((record) => record.state);
      expect(states.sort()).toEqual(['cancelled', 'reserved']);
    });

    // While the app is closed, a new take lands under the published clip's name.
    await taggedCopy(clip, published, 'another take');
    await withCompanion('reused', [root], async (test) => {
      await expect
        .poll(() => test.events.reserved.map((record) => record.file.path), { timeout: 15_000 })
        .toEqual([published]);
      const states = recordsAt(test, published).map((record) => record.state);
      expect(states.sort()).toEqual(['published', 'reserved']);
      await test.companion.intake.reconcile();
      await test.companion.intake.idle();
      // Known now by content: a further scan takes nothing again.
      expect(test.events.reserved).toHaveLength(1);
    });
  }, 90_000);

  it('a copy in another root refused as a duplicate becomes the clip when its original is deleted: reserved once', async () => {
    const first = path.join(dir, 'copied', 'First');
    const second = path.join(dir, 'copied', 'Second');
    await withCompanion('copied', [first, second], async (test) => {
      await taggedCopy(clip, path.join(first, 'run.mp4'), 'the run');
      await expect.poll(() => test.events.reserved.length, { timeout: 15_000 }).toBe(1);
      const id = test.events.reserved[0]?.id as string;
      const gameClipId = test.companion.ledger.get(id)?.reservation?.gameClipId;
      await copyFile(path.join(first, 'run.mp4'), path.join(second, 'run copy.mp4'));
      await expect
        .poll(() => test.rejectionOf('run copy.mp4'), { timeout: 15_000 })
        .toBe('intake/duplicate');

      await rm(path.join(first, 'run.mp4'));
      await expect
        .poll(() => test.companion.ledger.get(id)?.file.path, { timeout: 15_000 })
        .toBe(path.join(second, 'run copy.mp4'));
      await test.companion.intake.idle();
      const record = test.companion.ledger.get(id);
      expect(record?.state).toBe('reserved');
      expect(record?.reservation?.gameClipId).toBe(gameClipId);
      // One clip in the ledger for that content (the refused copy's record is gone), one reservation.
      await expect.poll(() => test.companion.ledger.all().length, { timeout: 5_000 }).toBe(1);
      expect(await test.sandboxClipCount()).toBe(1);
    });

    // The same while the app is closed: the start-up scan finds the copy orphaned.
    await taggedCopy(clip, path.join(second, 'boss.mp4'), 'the boss');
    await withCompanion('copied', [first, second], async (test) => {
      await expect.poll(() => test.events.reserved.length, { timeout: 15_000 }).toBe(1);
      await copyFile(path.join(second, 'boss.mp4'), path.join(first, 'boss copy.mp4'));
      await expect
        .poll(() => test.rejectionOf('boss copy.mp4'), { timeout: 15_000 })
        .toBe('intake/duplicate');
    });
    await rm(path.join(second, 'boss.mp4'));
    await withCompanion('copied', [first, second], async (test) => {
      await expect
        .poll(
          () =>
            test.companion.ledger
              .all()
              .filter((record) => record.state === 'reserved')
              .map((record) => path.basename(record.file.path))
              .sort(),
          { timeout: 15_000 },
        )
        .toEqual(['boss copy.mp4', 'run copy.mp4']);
      expect(test.events.reserved).toEqual([]);
      expect(await test.sandboxClipCount()).toBe(2);
    });
  }, 90_000);
});

describe('files that go away', () => {
  it('a deleted reserved clip is missing within a second (or at the next start), keeps its reservation, and is back when its file returns', async () => {
    const root = path.join(dir, 'deleted', 'Captures');
    const file = path.join(root, 'gone.mp4');
    const kept = path.join(dir, 'deleted', 'kept.mp4');
    await withCompanion('deleted', [root], async (test) => {
      await taggedCopy(clip, file, 'deleted later');
      await expect.poll(() => test.events.reserved.length, { timeout: 15_000 }).toBe(1);
      const id = test.events.reserved[0]?.id as string;
      const before = test.companion.ledger.get(id) as ClipRecord;
      await test.companion.intake.idle();
      await copyFile(file, kept);
      const times = await stat(file);

      await rm(file);
      const deletedAt = performance.now();
      await expect.poll(() => stateOf(test, id), { timeout: 1_000, interval: 10 }).toBe('missing');
      const latencyMs = Math.round(performance.now() - deletedAt);
      recordFigure('deleted reserved clip -> missing', { ms: latencyMs });
      const missing = test.companion.ledger.get(id);
      expect(missing?.error?.code).toBe('intake/missing');
      expect(missing?.reservation).toEqual(before.reservation);

      // The same file back at its path (same size, content and times): reserved again, same clip.
      await copyFile(kept, path.join(dir, 'deleted', 'staged.mp4'));
      await utimes(path.join(dir, 'deleted', 'staged.mp4'), times.atime, times.mtime);
      await rename(path.join(dir, 'deleted', 'staged.mp4'), file);
      await expect.poll(() => stateOf(test, id), { timeout: 10_000 }).toBe('reserved');
      expect(test.companion.ledger.get(id)?.reservation).toEqual(before.reservation);
      expect(test.events.reserved).toHaveLength(1);
      expect(await test.sandboxClipCount()).toBe(1);
    });

    // Deleted while the app is closed: the start-up scan marks it missing, reservation kept.
    await rm(file);
    await withCompanion('deleted', [root], async (test) => {
      const [record] = test.companion.ledger.all();
      await expect
        .poll(() => stateOf(test, record?.id as string), { timeout: 5_000 })
        .toBe('missing');
      expect(test.companion.ledger.get(record?.id as string)?.reservation).toEqual(
        record?.reservation,
      );
    });
  }, 60_000);

  it('follows a rename inside the roots without going missing, and locate() takes a clip moved elsewhere back', async () => {
    const root = path.join(dir, 'located', 'Captures');
    const outside = path.join(dir, 'located', 'Elsewhere');
    await mkdir(outside, { recursive: true });
    await withCompanion('located', [root], async (test) => {
      await taggedCopy(clip, path.join(root, 'take.mp4'), 'located');
      await expect.poll(() => test.events.reserved.length, { timeout: 15_000 }).toBe(1);
      const id = test.events.reserved[0]?.id as string;
      await test.companion.intake.idle();
      const seen: string[] = [];
      const unsubscribe = test.companion.ledger.subscribe(({ upserted }) => {
        if (upserted?.id === id) seen.push(upserted.state);
      });

      await rename(path.join(root, 'take.mp4'), path.join(root, 'renamed.mp4'));
      await expect
        .poll(() => test.companion.ledger.get(id)?.file.path, { timeout: 10_000 })
        .toBe(path.join(root, 'renamed.mp4'));
      await test.companion.intake.idle();
      expect(seen).not.toContain('missing');
      expect(stateOf(test, id)).toBe('reserved');
      unsubscribe();

      await rename(path.join(root, 'renamed.mp4'), path.join(outside, 'moved out.mp4'));
      await expect.poll(() => stateOf(test, id), { timeout: 5_000 }).toBe('missing');
      // Another file is refused: it is not this clip.
      await taggedCopy(clip, path.join(outside, 'other.mp4'), 'not it');
      const wrong = await test.companion.intake.locate(id, path.join(outside, 'other.mp4'));
      expect(wrong).toMatchObject({ ok: false, code: 'upload/file-changed' });
      expect(stateOf(test, id)).toBe('missing');
      const located = await test.companion.intake.locate(id, path.join(outside, 'moved out.mp4'));
      expect(located.ok).toBe(true);
      expect(test.companion.ledger.get(id)).toMatchObject({
        state: 'reserved',
        file: { path: path.join(outside, 'moved out.mp4') },
      });
      expect(await test.sandboxClipCount()).toBe(1);
      // Remove: only a missing clip, and its reservation is handed back for deletion.
      expect(await test.companion.intake.remove(id)).toMatchObject({ ok: false });
      const record = test.companion.ledger.get(id) as ClipRecord;
      await test.companion.ledger.put(
        clipStopped(record, 'missing', errorView('intake/missing'), record.updatedAt),
      );
      const removed = await test.companion.intake.remove(id);
      expect(removed).toEqual({ ok: true, reservation: record.reservation });
      expect(test.companion.ledger.get(id)).toBeUndefined();
    });
  }, 60_000);
});
