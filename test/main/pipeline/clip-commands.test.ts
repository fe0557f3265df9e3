/**
 * Main's side of the command table (issue 12, item 2): every IPC verb checks commandsFor and
 * answers a refusal with its code and sentence instead of ignoring it; Restore re-reserves a
 * cancelled clip whose file is unchanged; Locate takes only the same content; Remove deletes a
 * live reservation first and never the file.
 */
import { copyFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClipRecord } from '../../../app/clip/clip';
import { commandsFor } from '../../../app/clip/commands';
import { mustTransition } from '../../../app/clip/lifecycle';
import { errorView } from '../../../app/errors';
import { createStreamLogger } from '../../../main/util/logger';
import { FileClipLedger } from '../../../main/ledger/file-clip-ledger';
import {
  identityOf,
  locateClip,
  removeClips,
  restoreClips,
  type ClipCommandDeps,
} from '../../../main/pipeline/clip-commands';
import type { UploadService } from '../../../main/pipeline/upload-service';
import { createUploadsPort } from '../../../main/pipeline/uploads-port';
import type { ThumbnailStore } from '../../../main/pipeline/thumbnail-store';
import { tempDir } from '../../support/clips';
import { NOW, REQUEST, RESPONSE, WHERE, detected } from '../../app/clip/lifecycle-fixtures';

const logger = createStreamLogger({ level: 'error', write: () => undefined });
let dir: string;
let cleanup: () => Promise<void>;
let ledger: FileClipLedger;
let reserved: string[];
let cancelled: string[];

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('gc-clip-commands-'));
  ledger = await FileClipLedger.open(path.join(dir, 'ledger'), logger);
  reserved = [];
  cancelled = [];
});
afterEach(async () => {
  await ledger.flush();
  await cleanup();
});

const deps = (): ClipCommandDeps => ({
  ledger,
  reserveAgain: (id) => reserved.push(id),
  cancel: async (ids) => {
    cancelled.push(...ids);
    const done: ClipRecord[] = [];
    for (const id of ids) {
      const next = mustTransition(ledger.get(id)!, { type: 'cancelled' }, NOW);
      await ledger.put(next);
      done.push(next);
    }
    return done;
  },
});

/** A reserved clip whose file is a real file in the temp folder. */
async function reservedClip(name: string): Promise<ClipRecord> {
  const filePath = path.join(dir, name);
  await writeFile(filePath, `bytes of ${name}`.repeat(1000));
  const identity = (await identityOf(filePath))!;
  const record = mustTransition(
    mustTransition(
      { ...detected(), id: crypto.randomUUID(), file: identity },
      { type: 'reserve-sent', request: REQUEST },
      NOW,
    ),
    { type: 'reserve-succeeded', response: RESPONSE, where: WHERE },
    NOW,
  );
  await ledger.put(record);
  return record;
}

describe('the uploads port checks the table', () => {
  it('answers a refused Cancel with upload/not-allowed-now and a sentence, not silence', async () => {
    const waiting = mustTransition(
      mustTransition(
        { ...detected(), id: crypto.randomUUID() },
        { type: 'reserve-sent', request: REQUEST },
        NOW,
      ),
      {
        type: 'reserve-failed',
        outcome: 'deferred',
        error: errorView('gameclips/rate-limited'),
        retryAt: NOW,
      },
      NOW,
    );
    await ledger.put(waiting);
    const port = createUploadsPort({
      uploads: () =>
        Promise.resolve({
          service: {} as UploadService,
          ledger,
          thumbnails: {} as ThumbnailStore,
        }),
      status: () => Promise.reject(new Error('unused')),
    });
    for (const verb of ['cancel', 'send', 'pause', 'resume', 'restore', 'remove'] as const) {
      const answer = await port[verb]([waiting.id]);
      expect(answer.ok).toBe(false);
      if (!answer.ok) {
        expect(answer.error.code).toBe('upload/not-allowed-now');
        expect(answer.error.detail).toMatch(/while the clip is|Only/u);
      }
    }
    const unknown = await port.cancel(['00000000-0000-4000-8000-000000000000']);
    expect(!unknown.ok && unknown.error.code).toBe('ipc/unknown-clip');
  });
});

describe('restore, locate, remove', () => {
  it('restores a cancelled clip whose file is unchanged: reserved again', async () => {
    const record = await reservedClip('kept.mp4');
    await ledger.put(mustTransition(record, { type: 'cancelled' }, NOW));
    const answer = await restoreClips(deps(), [record.id]);
    expect(answer.ok).toBe(true);
    expect(ledger.get(record.id)?.state).toBe('reserving');
    expect(reserved).toEqual([record.id]);
  });

  it('refuses to restore a clip whose file is gone, and says so', async () => {
    const record = await reservedClip('gone.mp4');
    await ledger.put(mustTransition(record, { type: 'cancelled' }, NOW));
    await rename(record.file.path, `${record.file.path}.moved`);
    const answer = await restoreClips(deps(), [record.id]);
    expect(!answer.ok && answer.error.code).toBe('intake/missing');
    expect(ledger.get(record.id)?.state).toBe('cancelled');
  });

  it('locates a missing clip only at a file of the same content', async () => {
    const record = await reservedClip('moved.mp4');
    await ledger.put(mustTransition(record, { type: 'file-gone' }, NOW));
    expect(commandsFor(ledger.get(record.id)!)).toEqual(
      expect.arrayContaining(['locate', 'remove-from-list']),
    );
    const elsewhere = path.join(dir, 'elsewhere.mp4');
    await writeFile(elsewhere, 'other bytes');
    const wrong = await locateClip(deps(), record.id, elsewhere);
    expect(!wrong.ok && wrong.error.code).toBe('intake/not-this-clip');
    const copy = path.join(dir, 'found.mp4');
    await copyFile(record.file.path, copy);
    const found = await locateClip(deps(), record.id, copy);
    expect(found.ok).toBe(true);
    expect(ledger.get(record.id)).toMatchObject({ state: 'reserved', file: { path: copy } });
  });

  it('removes a missing clip from the list, deleting its reservation first, never the file', async () => {
    const record = await reservedClip('remove-me.mp4');
    await ledger.put(mustTransition(record, { type: 'file-gone' }, NOW));
    const answer = await removeClips(deps(), [record.id]);
    expect(answer.ok).toBe(true);
    expect(cancelled).toEqual([record.id]);
    expect(ledger.get(record.id)).toBeUndefined();
    expect((await stat(record.file.path)).isFile()).toBe(true);
  });
});
