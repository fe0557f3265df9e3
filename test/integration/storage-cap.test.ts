/**
 * Issue 16, item 5: the storage cap stored in Settings is applied by the app itself, after each
 * clip is published and at start-up, through the built-in service's trim route. The oldest clips
 * not marked saved go first, the user is told (serviceStorageTrimmed), the rows say the clips are
 * no longer online, and the user's files stay byte for byte. Real sandbox over real HTTP, real
 * ffmpeg clips.
 */
import { execFile } from 'node:child_process';
import { mkdir, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClipRecord } from '../../app/clip/clip';
import type { StorageTrimmed } from '../../app/ipc/contract';
import type { Companion } from '../../main/core/companion';
import { tempDir } from '../support/clips';
import { startUploadCompanion } from '../support/companion';
import { clipInState, sha256File } from './upload-support';

const run = promisify(execFile);

let root: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir: root, cleanup } = await tempDir('gc-storage-cap-'));
});
afterAll(() => cleanup());

/** A real clip whose container says it was recorded on `recorded` (the service's FIFO order). */
async function recordClip(file: string, seconds: number, recorded: string): Promise<void> {
  await run('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', `testsrc2=size=320x180:rate=30:duration=${seconds}`],
    ...['-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`],
    ...['-shortest', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
    ...['-c:a', 'aac', '-metadata', `creation_time=${recorded}`, '-f', 'mp4'],
    file,
  ]);
}

interface Summary {
  clips: number;
  savedClips: number;
  videoBytes: number;
  thumbnailBytes: number;
  totalBytes: number;
}

async function summary(companion: Companion): Promise<Summary> {
  const response = await fetch(`${companion.service.baseUrl}/users/me/storage`, {
    headers: {
      Authorization: (await companion.account.authorization())!,
      'X-RequestedServiceVersion': '1',
    },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Summary;
}

async function serviceStatus(companion: Companion, record: ClipRecord): Promise<number> {
  const response = await fetch(
    `${companion.service.baseUrl}/users/me/scids/${companion.service.scid}/clips/${record.reservation!.gameClipId}`,
    {
      headers: {
        Authorization: (await companion.account.authorization())!,
        'X-RequestedServiceVersion': '1',
      },
    },
  );
  await response.body?.cancel();
  return response.status;
}

describe('the storage cap, applied by the app', () => {
  it('after a publish past the cap the oldest unsaved clips go, the user is told, files stay; at start-up too', async () => {
    const notices: StorageTrimmed[] = [];
    let cap: number | undefined;
    let saved = false;
    const options = {
      root,
      storageCapBytes: () => cap,
      savedByUser: () => saved,
      events: { serviceStorageTrimmed: (notice: StorageTrimmed) => notices.push(notice) },
    };
    let { companion, watched } = await startUploadCompanion(options);
    try {
      await mkdir(watched, { recursive: true });
      const publish = async (
        name: string,
        seconds: number,
        day: number,
        options: { saved?: boolean; beforeSend?: (file: string) => Promise<void> } = {},
      ) => {
        saved = options.saved ?? false;
        const staged = path.join(root, `${name}.staged`);
        await recordClip(staged, seconds, `2024-01-0${day}T10:00:00Z`);
        await options.beforeSend?.(staged);
        const file = path.join(watched, name);
        await rename(staged, file);
        const record = await clipInState(companion, file, ['published'], 90_000);
        return { file, record, hash: await sha256File(file) };
      };
      // No cap yet: every publish keeps everything.
      const a = await publish('A-oldest.mp4', 2, 1);
      const b = await publish('B-saved.mp4', 3, 2, { saved: true });
      const c = await publish('C.mp4', 4, 3);
      const held = await summary(companion);
      // Headless clips carry no uploaded thumbnails: what the service holds is the files' bytes.
      expect(held).toMatchObject({ clips: 3, savedClips: 1, thumbnailBytes: 0 });
      expect(held.videoBytes).toBe(a.record.file.size + b.record.file.size + c.record.file.size);
      expect(notices).toEqual([]);

      // A cap that D's publish passes by more than A alone: A goes, B (saved, though older) is
      // skipped, C goes too; D stays.
      const d = await publish('D-newest.mp4', 5, 4, {
        beforeSend: async (file) => {
          cap = held.totalBytes + (await stat(file)).size - a.record.file.size - 1;
        },
      });
      await expect.poll(() => notices.length, { timeout: 30_000 }).toBeGreaterThan(0);
      const removedIds = notices.flatMap((notice) => notice.clipIds);
      expect(new Set(removedIds)).toEqual(new Set([a.record.id, c.record.id]));
      expect(notices.reduce((sum, notice) => sum + notice.removed, 0)).toBe(2);

      // The rows say the removed clips are no longer online; the service agrees.
      await expect
        .poll(() => companion.ledger.get(c.record.id)?.removedFromServiceAt, { timeout: 10_000 })
        .toBeDefined();
      expect(companion.ledger.get(a.record.id)?.removedFromServiceAt).toBeDefined();
      expect(companion.ledger.get(b.record.id)?.removedFromServiceAt).toBeUndefined();
      expect(companion.ledger.get(d.record.id)?.removedFromServiceAt).toBeUndefined();
      expect(await serviceStatus(companion, a.record)).toBe(404);
      expect(await serviceStatus(companion, c.record)).toBe(404);
      expect(await serviceStatus(companion, b.record)).toBe(200);
      expect(await serviceStatus(companion, d.record)).toBe(200);
      expect(await summary(companion)).toMatchObject({ clips: 2, savedClips: 1 });

      // The user's files are untouched.
      for (const clip of [a, b, c, d]) expect(await sha256File(clip.file)).toBe(clip.hash);

      // At start-up, a smaller stored cap is applied before anything new is published: D (the
      // only unsaved clip left) goes, the saved one stays even though it alone passes the cap.
      await companion.stop();
      cap = 1;
      notices.length = 0;
      ({ companion, watched } = await startUploadCompanion(options));
      await expect.poll(() => notices.length, { timeout: 30_000 }).toBe(1);
      expect(notices[0]).toMatchObject({ removed: 1, capBytes: 1, clipIds: [d.record.id] });
      expect(companion.ledger.get(d.record.id)?.removedFromServiceAt).toBeDefined();
      expect(await serviceStatus(companion, b.record)).toBe(200);
      expect(await summary(companion)).toMatchObject({ clips: 1, savedClips: 1 });
      for (const clip of [a, b, c, d]) expect(await sha256File(clip.file)).toBe(clip.hash);
    } finally {
      await companion.stop();
    }
  }, 240_000);
});
