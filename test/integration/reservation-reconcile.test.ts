/**
 * Issue 13, item 9: reconciliation that cannot skip. A reserve POST whose answer is lost (the
 * real sandbox commits, then drops the connection) is reconciled by listing the user's clips. A
 * proxy in front of the sandbox asks for one clip per page, oldest first, and deletes another
 * clip between the first and second page: a position-based page then skips the orphan. The
 * companion must still find it (two complete passes that agree), delete it through the delete
 * queue and reserve once: exactly one live reservation.
 */
import { rename } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningSandbox } from '../../main/sandbox/index';
import { call, reserveBody } from '../sandbox/support';
import { makeClip } from '../support/clips';
import {
  armFault,
  openUploadSandbox,
  startTestCompanion,
  stats,
  waitFor,
  type SandboxAccount,
} from './upload-support';
import { isList, startProxy } from './upload-proxy';

let dir: string;
let close: () => Promise<void>;
let sandbox: RunningSandbox;
let account: SandboxAccount;
beforeAll(async () => {
  ({ dir, sandbox, account, close } = await openUploadSandbox('gc-reservation-reconcile-', {
    ffmpegPath: null,
  }));
}, 60_000);
afterAll(() => close());

it('a clip deleted between two list pages while reconciling a lost reserve answer: exactly one live reservation', async () => {
  const clipsUrl = `${sandbox.baseUrl}/users/me/scids/${account.scid}/clips`;
  // Another clip, recorded long before ours: first in an oldest-first list.
  const other = await call(clipsUrl, {
    auth: account.authorization,
    json: reserveBody({ dateRecorded: '2020-01-01T00:00:00Z' }),
  });
  expect(other.status).toBe(200);
  const otherId = (other.body as { gameClipId: string }).gameClipId;

  let deletedBetweenPages = false;
  const proxy = await startProxy(sandbox.baseUrl, {
    rewrite: (req) => {
      if (!isList(req)) return req.url;
      const url = new URL(req.url);
      url.searchParams.set('maxItems', '1');
      url.searchParams.set('order', 'A');
      return url;
    },
    before: async (req) => {
      // Between page 1 and page 2 of the first scan, the other clip is deleted (by another
      // device, the user on the web...): page 2 now starts one clip further on.
      if (isList(req) && req.url.searchParams.has('continuationToken') && !deletedBetweenPages) {
        deletedBetweenPages = true;
        const gone = await call(`${clipsUrl}/${otherId}`, {
          method: 'DELETE',
          auth: account.authorization,
        });
        expect(gone.status).toBe(204);
      }
    },
  });
  // The reserve POST commits, then the connection drops: the answer is lost.
  await armFault(sandbox.baseUrl, {
    route: 'reserve',
    afterCommit: true,
    dropConnection: true,
    times: 1,
  });
  const root = path.join(dir, 'reconcile');
  const { companion, watched } = await startTestCompanion({
    root,
    custom: { baseUrl: proxy.baseUrl, account, uploadHosts: [sandbox.baseUrl] },
    sendPolicy: { kind: 'review' },
  });
  try {
    const staging = path.join(root, '.clip.mp4');
    await makeClip(staging, { seconds: 2 });
    const file = path.join(watched, 'clip.mp4');
    await rename(staging, file);
    const reserved = await waitFor(
      async () => {
        const record = companion.ledger
          .all()
          .find((r) => r.file.path === file && r.state === 'reserved');
        if (!record) return undefined;
        return (await stats(sandbox.baseUrl)).liveReservations[account.xuid] === 1
          ? record
          : undefined;
      },
      90_000,
      () => `one reserved clip and one live reservation: ${JSON.stringify(companion.ledger.all())}`,
    );
    expect(deletedBetweenPages).toBe(true);
    await companion.deletes.drained();
    expect(companion.deletes.count()).toBe(0);
    const s = await stats(sandbox.baseUrl);
    expect(s.liveReservations[account.xuid]).toBe(1);
    // The one live reservation is the record's.
    const mine = await call(`${clipsUrl}/${reserved.reservation!.gameClipId}`, {
      auth: account.authorization,
    });
    expect((mine.body as { gameClip: { state: string } }).gameClip.state).toBe('PendingUpload');
  } finally {
    await companion.stop();
    await proxy.close();
  }
}, 120_000);
