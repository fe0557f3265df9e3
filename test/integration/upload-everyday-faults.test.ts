/**
 * The everyday events of issue 13 in rounds, against one real sandbox: a clip rewritten in place
 * mid-upload, a clip deleted between two list pages while a lost reserve answer is reconciled,
 * DELETEs refused for a while, and the ledger folder lost between two runs. After each round
 * settles it counts on the service: live reservations per file (exactly 1 for a reserved clip,
 * 0 once published), whether the published bytes equal a version of the file, and clips with no
 * reason (a service clip no record owns, or a record stuck with no state reason): must be 0.
 *
 * `npm run faults` runs it with GC_EVERYDAY_ROUNDS (default there 5); `npm test` with 1.
 */
import { createHash } from 'node:crypto';
import { open, readFile, rename, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ClipRecord } from '../../app/clip/clip';
import type { Companion } from '../../main/core/companion';
import type { RunningSandbox } from '../../main/sandbox/index';
import { call, listAllClips, reserveBody } from '../sandbox/support';
import { recordFigure, roundsFromEnv } from '../support/figures';
import { makeClip } from '../support/clips';
import {
  armFault,
  count,
  downloadedSha256,
  getServiceClip,
  makeLargeClip,
  openUploadSandbox,
  QUICK_BLOCK_RETRY,
  startTestCompanion,
  stats,
  waitFor,
  type SandboxAccount,
} from './upload-support';
import { isList, startProxy } from './upload-proxy';

const ROUNDS = roundsFromEnv('GC_EVERYDAY_ROUNDS', 1);

let dir: string;
let close: () => Promise<void>;
let sandbox: RunningSandbox;
let account: SandboxAccount;
beforeAll(async () => {
  ({ dir, sandbox, account, close } = await openUploadSandbox('gc-everyday-faults-', {
    ffmpegPath: null,
  }));
}, 60_000);
afterAll(() => close());

const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

async function reset(): Promise<void> {
  await fetch(`${sandbox.baseUrl}/sandbox/faults`, { method: 'DELETE' });
  await fetch(`${sandbox.baseUrl}/sandbox/stats`, { method: 'DELETE' });
}

interface ServiceView {
  readonly state: string;
  readonly sha?: string;
}

/** Every live clip of the account (not deleted), with the bytes of the published ones. */
async function serviceClips(): Promise<Map<string, ServiceView>> {
  const clips = new Map<string, ServiceView>();
  for (const listed of await listAllClips(sandbox.baseUrl, account)) {
    const { clip } = await getServiceClip(sandbox.baseUrl, account, listed.gameClipId);
    if (!clip) continue;
    clips.set(
      listed.gameClipId,
      clip.state === 'Published'
        ? { state: clip.state, sha: await downloadedSha256(clip) }
        : { state: clip.state },
    );
  }
  return clips;
}

/** Clips with no reason: service clips no record owns, records in no settled state and no error. */
function withoutReason(companions: readonly Companion[], clips: Map<string, ServiceView>): number {
  const owned = new Set<string>();
  let stuck = 0;
  for (const companion of companions)
    for (const record of companion.ledger.all()) {
      if (record.reservation) owned.add(record.reservation.gameClipId);
      const settled = ['published', 'reserved', 'cancelled', 'rejected'].includes(record.state);
      if (!settled && !record.error) stuck++;
    }
  let orphans = 0;
  for (const id of clips.keys()) if (!owned.has(id)) orphans++;
  return stuck + orphans;
}

/** Live reservations (PendingUpload) of each record's clip on the service. */
function livePerFile(records: readonly ClipRecord[], clips: Map<string, ServiceView>): number[] {
  return records.map(
    (record) =>
      [...clips.entries()].filter(
        ([id, view]) => view.state === 'PendingUpload' && id === record.reservation?.gameClipId,
      ).length,
  );
}

async function clipFile(root: string, name: string, seconds: number, large = false) {
  const staging = path.join(root, `.${name}`);
  if (large) await makeLargeClip(staging, seconds);
  else await makeClip(staging, { seconds });
  const whole = Math.floor(Date.now() / 1000) - 60;
  await utimes(staging, whole, whole);
  return staging;
}

it(`everyday events, ${ROUNDS} round(s): one live reservation per file, published bytes a version, no clip without a reason`, async () => {
  const totals = {
    rounds: 0,
    rewrites: 0,
    publishedAsAVersion: 0,
    reconciles: 0,
    liveNotOne: 0,
    refusedDeletes: 0,
    deletesLeft: 0,
    lostLedgers: 0,
    publishedTwice: 0,
    withoutReason: 0,
  };
  for (let round = 0; round < ROUNDS; round++) {
    // (a) A clip rewritten in place during a slowed upload, keeping its mtime.
    {
      await reset();
      const root = path.join(dir, `r${round}-rewrite`);
      const { companion, watched } = await startTestCompanion({
        root,
        custom: { baseUrl: sandbox.baseUrl, account },
        uploadTuning: { blockPolicy: QUICK_BLOCK_RETRY },
      });
      try {
        const staging = await clipFile(root, 'clip.mp4', 6, true);
        const file = path.join(watched, 'clip.mp4');
        const versions = new Set([await sha256(staging)]);
        await armFault(sandbox.baseUrl, { route: 'block', delayMs: 600, times: 100_000 });
        await rename(staging, file);
        const first = await waitFor(
          async () => {
            const record = companion.ledger.all().find((r) => r.file.path === file);
            return record?.state === 'uploading' &&
              count(await stats(sandbox.baseUrl), 'block', [202]) > 0
              ? record
              : undefined;
          },
          90_000,
          'an upload under way',
        );
        const info = await stat(file);
        const handle = await open(file, 'r+');
        await handle.write(Buffer.alloc(65_536, 0x41 + round), 0, 65_536, info.size - 400_000);
        await handle.close();
        await utimes(file, info.atime, info.mtime);
        versions.add(await sha256(file));
        totals.rewrites++;
        await fetch(`${sandbox.baseUrl}/sandbox/faults`, { method: 'DELETE' });
        const done = await waitFor(
          () => {
            const record = companion.ledger.all().find((r) => r.file.path === file);
            return record?.state === 'published' ? record : undefined;
          },
          120_000,
          'the rewritten clip published',
        );
        await companion.deletes.drained();
        const clips = await serviceClips();
        const served = clips.get(done.reservation!.gameClipId)?.sha;
        if (served && versions.has(served)) totals.publishedAsAVersion++;
        expect(versions.has(served ?? '')).toBe(true);
        if (done.reservation!.gameClipId === first.reservation!.gameClipId)
          expect(served).toBe([...versions][0]);
        const left = withoutReason([companion], clips);
        totals.withoutReason += left;
        expect(left).toBe(0);
      } finally {
        await companion.stop();
      }
      // Clear this scenario's clips so the next counts start from nothing.
      for (const id of (await serviceClips()).keys())
        await call(`${sandbox.baseUrl}/users/me/scids/${account.scid}/clips/${id}`, {
          method: 'DELETE',
          auth: account.authorization,
        });
    }

    // (b) A clip deleted between two list pages while a lost reserve answer is reconciled.
    {
      await reset();
      const clipsUrl = `${sandbox.baseUrl}/users/me/scids/${account.scid}/clips`;
      const other = await call(clipsUrl, {
        auth: account.authorization,
        json: reserveBody({ dateRecorded: '2020-01-01T00:00:00Z' }),
      });
      const otherId = (other.body as { gameClipId: string }).gameClipId;
      let deleted = false;
      const proxy = await startProxy(sandbox.baseUrl, {
        rewrite: (req) => {
          if (!isList(req)) return req.url;
          const url = new URL(req.url);
          url.searchParams.set('maxItems', '1');
          url.searchParams.set('order', 'A');
          return url;
        },
        before: async (req) => {
          if (isList(req) && req.url.searchParams.has('continuationToken') && !deleted) {
            deleted = true;
            await call(`${clipsUrl}/${otherId}`, {
              method: 'DELETE',
              auth: account.authorization,
            });
          }
        },
      });
      await armFault(sandbox.baseUrl, {
        route: 'reserve',
        afterCommit: true,
        dropConnection: true,
        times: 1,
      });
      const root = path.join(dir, `r${round}-reconcile`);
      const { companion, watched } = await startTestCompanion({
        root,
        custom: { baseUrl: proxy.baseUrl, account, uploadHosts: [sandbox.baseUrl] },
        sendPolicy: { kind: 'review' },
      });
      try {
        const staging = await clipFile(root, 'clip.mp4', 2 + (round % 3));
        const file = path.join(watched, 'clip.mp4');
        await rename(staging, file);
        const reserved = await waitFor(
          () => companion.ledger.all().find((r) => r.file.path === file && r.state === 'reserved'),
          90_000,
          'the clip reserved',
        );
        await companion.deletes.drained();
        totals.reconciles++;
        const clips = await serviceClips();
        const live = livePerFile([reserved], clips)[0];
        const pending = [...clips.values()].filter((v) => v.state === 'PendingUpload').length;
        if (live !== 1 || pending !== 1) totals.liveNotOne++;
        expect([live, pending]).toEqual([1, 1]);
        const left = withoutReason([companion], clips);
        totals.withoutReason += left;
        expect(left).toBe(0);
        // Leave nothing behind for the next scenario.
        await companion.uploads.cancel([reserved.id]);
        await companion.deletes.drained();
      } finally {
        await companion.stop();
        await proxy.close();
      }
    }

    // (c) DELETEs refused for a while, then the service recovers.
    {
      await reset();
      const root = path.join(dir, `r${round}-deletes`);
      const { companion, watched } = await startTestCompanion({
        root,
        custom: { baseUrl: sandbox.baseUrl, account },
        sendPolicy: { kind: 'review' },
      });
      try {
        const staging = await clipFile(root, 'clip.mp4', 2 + (round % 3));
        const file = path.join(watched, 'clip.mp4');
        await rename(staging, file);
        const reserved = await waitFor(
          () => companion.ledger.all().find((r) => r.file.path === file && r.state === 'reserved'),
          60_000,
          'the clip reserved',
        );
        await armFault(sandbox.baseUrl, { route: 'delete', status: 503, retryAfter: 1, times: 3 });
        await companion.uploads.cancel([reserved.id]);
        await companion.deletes.drained();
        totals.refusedDeletes += count(await stats(sandbox.baseUrl), 'delete', [503]);
        totals.deletesLeft += companion.deletes.count();
        const clips = await serviceClips();
        expect(clips.size).toBe(0);
        expect(companion.deletes.count()).toBe(0);
      } finally {
        await companion.stop();
      }
    }

    // (d) The ledger folder lost between two runs with a published and a reserved clip.
    {
      await reset();
      const root = path.join(dir, `r${round}-lost`);
      const files: string[] = [];
      let run = await startTestCompanion({
        root,
        custom: { baseUrl: sandbox.baseUrl, account },
      });
      try {
        const a = await clipFile(root, 'a.mp4', 2);
        files.push(path.join(run.watched, 'a.mp4'));
        await rename(a, files[0]!);
        await waitFor(
          () => run.companion.ledger.all().find((r) => r.state === 'published'),
          60_000,
          'a published',
        );
      } finally {
        await run.companion.stop();
      }
      run = await startTestCompanion({
        root,
        custom: { baseUrl: sandbox.baseUrl, account },
        sendPolicy: { kind: 'review' },
      });
      try {
        const b = await clipFile(root, 'b.mp4', 3);
        files.push(path.join(run.watched, 'b.mp4'));
        await rename(b, files[1]!);
        await waitFor(
          () => run.companion.ledger.all().find((r) => r.state === 'reserved'),
          60_000,
          'b reserved',
        );
      } finally {
        await run.companion.stop();
      }
      await rm(path.join(root, 'data', 'ledger'), { recursive: true, force: true });
      totals.lostLedgers++;
      run = await startTestCompanion({ root, custom: { baseUrl: sandbox.baseUrl, account } });
      try {
        await waitFor(
          () =>
            run.companion.ledger.all().filter((r) => r.state === 'published').length === 2 ||
            undefined,
          90_000,
          () => `both published: ${JSON.stringify(run.companion.ledger.all())}`,
        );
        await run.companion.deletes.drained();
        const clips = await serviceClips();
        for (const file of files) {
          const digest = await sha256(file);
          const n = [...clips.values()].filter((v) => v.sha === digest).length;
          if (n !== 1) totals.publishedTwice++;
          expect(n).toBe(1);
        }
        const left = withoutReason([run.companion], clips);
        totals.withoutReason += left;
        expect(left).toBe(0);
      } finally {
        await run.companion.stop();
      }
      for (const id of (await serviceClips()).keys())
        await call(`${sandbox.baseUrl}/users/me/scids/${account.scid}/clips/${id}`, {
          method: 'DELETE',
          auth: account.authorization,
        });
    }
    totals.rounds++;
  }
  recordFigure('Issue 13 everyday events (rounds of rewrite, reconcile, deletes, lost ledger)', {
    rounds: totals.rounds,
    'in-place rewrites': totals.rewrites,
    'published as one version': `${totals.publishedAsAVersion}/${totals.rewrites}`,
    'reconciles with a deletion between pages': totals.reconciles,
    'files whose live reservations != 1': totals.liveNotOne,
    'DELETEs refused then retried': totals.refusedDeletes,
    'deletes left queued': totals.deletesLeft,
    'lost ledger folders': totals.lostLedgers,
    'files published twice': totals.publishedTwice,
    'clips without a reason after settling': totals.withoutReason,
  });
}, 900_000);
