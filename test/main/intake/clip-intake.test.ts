/**
 * ClipIntake with a watcher we control: a watcher error (the inotify limit) is shown on its root
 * with what to do, and the reconcile scan that follows finds the clip no event announced.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClipRecord } from '../../../app/clip/clip';
import type { IntakeStatus } from '../../../app/ipc/contract';
import { silentLogger } from '../../../main/util/logger';
import { ClipIntake } from '../../../main/intake/clip-intake';
import type { FolderWatcher, WatchHandlers } from '../../../main/intake/folder-watcher';
import { FileClipLedger } from '../../../main/ledger/file-clip-ledger';
import { makeClip, tempDir } from '../../support/clips';

/** A watcher that never reports a file by itself; the test raises its errors. */
class SilentWatcher implements FolderWatcher {
  readonly handlers = new Map<string, WatchHandlers>();
  watchRoot(root: string, _options: unknown, handlers: WatchHandlers) {
    this.handlers.set(root, handlers);
    return Promise.resolve({ close: () => Promise.resolve() });
  }
}

let dir: string;
let cleanup: () => Promise<void>;
let clip: string;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('gc-clip-intake-'));
  clip = await makeClip(path.join(dir, 'source.mp4'), { seconds: 1 });
}, 30_000);
afterAll(() => cleanup());

describe('a watcher error', () => {
  it('puts its root in error with what to do, and a reconcile scan finds what the watcher missed', async () => {
    const root = path.join(dir, 'Captures');
    await mkdir(root);
    const watcher = new SilentWatcher();
    const ready: ClipRecord[] = [];
    const statuses: IntakeStatus[] = [];
    const intake = new ClipIntake({
      ledger: await FileClipLedger.open(path.join(dir, 'ledger'), silentLogger),
      watcher,
      logger: silentLogger,
      events: {
        detected: () => undefined,
        rejected: () => undefined,
        statusChanged: (status) => statuses.push(status),
      },
      onClipReady: (record) => ready.push(record),
      initialDraft: () => ({ caption: '', visibility: 'Owner' }),
      stabilityMs: 20,
      reconcileIntervalMs: 3_600_000,
      eventlessFileSystem: () => Promise.resolve(undefined),
    });
    await intake.start([root]);
    expect(intake.status()).toMatchObject({ state: 'watching', roots: [{ state: 'watching' }] });

    await copyFile(clip, path.join(root, 'unannounced.mp4'));
    watcher.handlers.get(root)?.error(
      Object.assign(new Error('ENOSPC: System limit for number of file watchers reached'), {
        code: 'ENOSPC',
      }),
    );
    expect(intake.status()).toMatchObject({
      state: 'error',
      roots: [{ key: root, state: 'error', message: expect.stringMatching(/max_user_watches/u) }],
    });
    await expect
      .poll(() => ready.map((record) => path.basename(record.file.path)))
      .toEqual(['unannounced.mp4']);
    expect(statuses.at(-1)?.roots?.[0]?.state).toBe('error');
    await intake.stop();
  });
});
