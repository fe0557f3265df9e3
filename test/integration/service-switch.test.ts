/**
 * A reservation belongs to its service and account, and the built-in service's address is not
 * part of it (issue 14 item 2, issue 13 item 8), with real servers on loopback: clips stopped
 * mid-upload on the built-in service, then
 * - the app restarts on another service while something else listens on the built-in service's
 *   old port: the squatter receives nothing, the clip is reserved again on the new service (with
 *   a notice saying why) and published there;
 * - the built-in service comes back on a new port (the old one taken by a squatter), with records
 *   as this version writes them and as older versions wrote them (absolute loopback URIs): the
 *   clips finish on the new port and the squatter receives nothing.
 */
import { readFile, writeFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClipRecord } from '../../app/clip/clip';
import type { Companion } from '../../main/core/companion';
import { tempDir } from '../support/clips';
import { startRecorder, type RecordingServer } from './hostile-service';
import {
  clipInState,
  downloadedSha256,
  dropLargeClip,
  getServiceClip,
  newAccount,
  openUploadSandbox,
  sha256File,
  startTestCompanion,
  waitFor,
  type TestCompanionOptions,
  type UploadSandbox,
} from './upload-support';

let home: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  home = await tempDir('gc-service-switch-');
}, 60_000);
afterAll(() => home.cleanup());

/** Slow enough to stop it part way: about 2 MB/s. */
const SLOW = () => ({
  sendPolicy: { kind: 'immediate' } as const,
  parallelBlocks: 2,
  bandwidthCapBytesPerSecond: 2_000_000,
});
const FAST = () => ({
  sendPolicy: { kind: 'immediate' } as const,
  parallelBlocks: 4,
  bandwidthCapBytesPerSecond: 0,
});

function start(root: string, options: Partial<TestCompanionOptions> = {}) {
  return startTestCompanion({ root, uploadSettings: FAST, ...options });
}

/** A clip on the built-in service with some blocks acknowledged, then the app stopped. */
async function stoppedMidUpload(
  root: string,
): Promise<{ file: string; record: ClipRecord; oldPort: number }> {
  const { companion, watched } = await start(root, { uploadSettings: SLOW });
  const file = await dropLargeClip(watched, 'clip.mp4', 6);
  const record = await waitFor(
    () =>
      companion.ledger
        .all()
        .find(
          (r) =>
            r.file.path === file &&
            r.state === 'uploading' &&
            (r.upload?.ackedBlocks.length ?? 0) >= 2,
        ),
    90_000,
    'the clip to be part way through its upload',
  );
  const account = JSON.parse(
    await readFile(path.join(root, 'data', 'sandbox-account.json'), 'utf8'),
  ) as {
    port: number;
  };
  await companion.stop();
  const stopped = companion.ledger.get(record.id)!;
  expect(stopped.state).toBe('uploading');
  expect(stopped.upload?.committed).toBe(false);
  return { file, record: stopped, oldPort: account.port };
}

async function squatOn(port: number): Promise<RecordingServer> {
  // Whatever takes the port answers like a service would, to tempt the client.
  return startRecorder({ port, answer: () => ({ status: 201, json: {} }) });
}

async function published(companion: Companion, file: string): Promise<ClipRecord> {
  return clipInState(companion, file, ['published', 'failed', 'blocked'], 120_000);
}

describe('reservations belong to their service, account and (not) port', () => {
  it('after a switch to another service, a clip mid-upload is reserved there again; the squatter on the old port gets nothing', async () => {
    const root = path.join(home.dir, 'switch');
    const { file, record, oldPort } = await stoppedMidUpload(root);
    const squatter = await squatOn(oldPort);
    let service: UploadSandbox | undefined;
    let companion: Companion | undefined;
    try {
      service = await openUploadSandbox('gc-switch-target-', { ffmpegPath: null });
      ({ companion } = await start(root, {
        custom: { baseUrl: service.sandbox.baseUrl, account: service.account },
      }));
      const done = await published(companion, file);
      // First of all: nothing reached whatever listens on the old port.
      expect(squatter.requests).toEqual([]);
      expect(done.state).toBe('published');
      expect(done.notice?.code).toBe('gameclips/reservation-other-service');
      expect(done.notice?.message).toMatch(/another service/u);
      expect(done.reservation?.gameClipId).not.toBe(record.reservation?.gameClipId);
      expect(done.reservation?.serviceKey).toBe(service.sandbox.baseUrl);
      const { clip } = await getServiceClip(
        service.sandbox.baseUrl,
        service.account,
        done.reservation!.gameClipId,
      );
      expect(await downloadedSha256(clip!)).toBe(await sha256File(file));
      expect(squatter.requests).toEqual([]);
    } finally {
      await companion?.stop();
      await service?.close();
      await squatter.close();
    }
  }, 240_000);

  it('after a switch to another account on the same service, a clip mid-upload is reserved again with it', async () => {
    const root = path.join(home.dir, 'account');
    let service: UploadSandbox | undefined;
    let companion: Companion | undefined;
    try {
      service = await openUploadSandbox('gc-switch-account-', { ffmpegPath: null });
      const first = service.account;
      const second = await newAccount(service.sandbox);
      const slow = await start(root, {
        uploadSettings: SLOW,
        custom: { baseUrl: service.sandbox.baseUrl, account: first },
      });
      const file = await dropLargeClip(slow.watched, 'clip.mp4', 6);
      const record = await waitFor(
        () =>
          slow.companion.ledger
            .all()
            .find(
              (r) =>
                r.file.path === file &&
                r.state === 'uploading' &&
                (r.upload?.ackedBlocks.length ?? 0) >= 2,
            ),
        90_000,
        'the clip to be part way through its upload',
      );
      await slow.companion.stop();
      ({ companion } = await start(root, {
        custom: { baseUrl: service.sandbox.baseUrl, account: second },
      }));
      const done = await published(companion, file);
      expect(done.state).toBe('published');
      expect(done.notice?.code).toBe('gameclips/reservation-other-account');
      expect(done.reservation?.gameClipId).not.toBe(record.reservation?.gameClipId);
      const { clip } = await getServiceClip(
        service.sandbox.baseUrl,
        second,
        done.reservation!.gameClipId,
      );
      expect(await downloadedSha256(clip!)).toBe(await sha256File(file));
    } finally {
      await companion?.stop();
      await service?.close();
    }
  }, 240_000);

  it.each([
    ['as this version stores them (paths on the built-in service)', false],
    ['as older versions stored them (absolute URIs on the old port)', true],
  ])(
    'the built-in service on a new port finishes clips mid-upload %s; the squatter on the old port gets nothing',
    async (_, legacy) => {
      const root = path.join(home.dir, legacy ? 'moved-legacy' : 'moved');
      const { file, record, oldPort } = await stoppedMidUpload(root);
      if (legacy) await rewriteAsLegacy(root, record.id, oldPort);
      const squatter = await squatOn(oldPort);
      let companion: Companion | undefined;
      try {
        ({ companion } = await start(root));
        expect(companion.service.baseUrl).not.toContain(`:${oldPort}`);
        const done = await published(companion, file);
        // First of all: nothing reached whatever listens on the old port.
        expect(squatter.requests).toEqual([]);
        expect(done.state).toBe('published');
        // The built-in service's URIs are stored as paths on it, not on a port.
        expect(done.reservation?.uploadUri.startsWith('/upload/')).toBe(true);
        // The same reservation, finished where the built-in service is now.
        expect(done.reservation?.gameClipId).toBe(record.reservation?.gameClipId);
        expect(done.reservation?.serviceUrl).toBe(companion.service.baseUrl);
        expect(done.notice).toBeUndefined();
        const account = JSON.parse(
          await readFile(path.join(root, 'data', 'sandbox-account.json'), 'utf8'),
        ) as { account: { authorization: string; scid: string; xuid: string } };
        const { clip } = await getServiceClip(
          companion.service.baseUrl,
          account.account,
          done.reservation!.gameClipId,
        );
        expect(await downloadedSha256(clip!)).toBe(await sha256File(file));
        expect(squatter.requests).toEqual([]);
      } finally {
        await companion?.stop();
        await squatter.close();
      }
    },
    240_000,
  );
});

/** The record as a version before binding wrote it: absolute URIs on the old port, no owner. */
async function rewriteAsLegacy(root: string, id: string, oldPort: number): Promise<void> {
  const folder = path.join(root, 'data', 'ledger');
  for (const name of await readdir(folder)) {
    if (!name.endsWith('.json')) continue;
    const file = path.join(folder, name);
    const stored = JSON.parse(await readFile(file, 'utf8')) as ClipRecord;
    if (stored.id !== id || !stored.reservation) continue;
    const { serviceKey: _key, account: _account, ...reservation } = stored.reservation;
    const base = `http://127.0.0.1:${oldPort}`;
    const legacy = {
      ...stored,
      reservation: {
        ...reservation,
        serviceUrl: base,
        uploadUri: `${base}${reservation.uploadUri}`,
      },
    };
    await writeFile(file, JSON.stringify(legacy));
    return;
  }
  throw new Error('the record was not found in the ledger folder');
}
