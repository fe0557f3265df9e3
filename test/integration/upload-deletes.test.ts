/**
 * Issue 13, item 10: deletes that finish. A cancelled reservation whose DELETE the real sandbox
 * keeps refusing (503, longer than any short retry window) stays in the durable delete queue
 * (a file in the data folder, listed by `deletes.pending()`), survives a restart, and is deleted
 * once the service recovers: the old reservation is gone, the queue empty.
 */
import { readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningSandbox } from '../../main/sandbox/index';
import { makeClip } from '../support/clips';
import {
  armFault,
  clipInState,
  count,
  getServiceClip,
  openUploadSandbox,
  startTestCompanion,
  stats,
  waitFor,
  type SandboxAccount,
} from './upload-support';

let dir: string;
let close: () => Promise<void>;
let sandbox: RunningSandbox;
let account: SandboxAccount;
beforeAll(async () => {
  ({ dir, sandbox, account, close } = await openUploadSandbox('gc-upload-deletes-', {
    ffmpegPath: null,
  }));
}, 60_000);
afterAll(() => close());

it('a DELETE failing for a while, across a restart, then recovering: the reservation is gone, the queue empty', async () => {
  const root = path.join(dir, 'cancel');
  const options = {
    root,
    custom: { baseUrl: sandbox.baseUrl, account },
    sendPolicy: { kind: 'review' },
  } as const;
  let { companion, watched } = await startTestCompanion(options);
  let stopped = false;
  try {
    const staging = path.join(root, '.clip.mp4');
    await makeClip(staging, { seconds: 2 });
    const file = path.join(watched, 'clip.mp4');
    await rename(staging, file);
    const reserved = await clipInState(companion, file, ['reserved']);
    const gameClipId = reserved.reservation!.gameClipId;

    await armFault(sandbox.baseUrl, { route: 'delete', status: 503, retryAfter: 1, times: 1000 });
    const [cancelled] = await companion.uploads.cancel([reserved.id]);
    expect(cancelled?.state).toBe('cancelled');
    // Four refused DELETEs: more than a short retry window (which gives up after four).
    await waitFor(
      async () => count(await stats(sandbox.baseUrl), 'delete', [503]) >= 4 || undefined,
      60_000,
      'four refused DELETEs',
    );
    expect(companion.deletes.pending().map((entry) => entry.gameClipId)).toEqual([gameClipId]);
    expect(companion.deletes.pending()[0]?.lastError).toMatch(/503/u);
    // Durable: on disk, and still there after a restart.
    const onDisk = JSON.parse(
      await readFile(path.join(root, 'data', 'delete-queue.json'), 'utf8'),
    ) as { entries: Array<{ gameClipId: string }> };
    expect(onDisk.entries.map((entry) => entry.gameClipId)).toEqual([gameClipId]);
    await companion.stop();
    stopped = true;
    expect((await getServiceClip(sandbox.baseUrl, account, gameClipId)).status).toBe(200);

    // The service recovers; the next run finishes the job.
    await fetch(`${sandbox.baseUrl}/sandbox/faults`, { method: 'DELETE' });
    ({ companion, watched } = await startTestCompanion(options));
    stopped = false;
    await companion.deletes.drained();
    expect(companion.deletes.count()).toBe(0);
    expect((await getServiceClip(sandbox.baseUrl, account, gameClipId)).status).toBe(404);
    expect((await stats(sandbox.baseUrl)).liveReservations[account.xuid] ?? 0).toBe(0);
    const queued = JSON.parse(
      await readFile(path.join(root, 'data', 'delete-queue.json'), 'utf8'),
    ) as { entries: unknown[] };
    expect(queued.entries).toEqual([]);
  } finally {
    if (!stopped) await companion.stop();
  }
}, 120_000);
