/**
 * Issue 14 item 1 against real servers on loopback: a hostile service names upload and thumbnail
 * URIs on another origin or on plain http, and redirects block PUTs across origins and from https
 * to http. The account token reaches only the service's own origin, nothing is sent anywhere
 * else, and each clip ends with a reason that says why.
 */
/* eslint-disable @microsoft/sdl/no-insecure-url -- plain-http addresses are fed in to prove they are refused */
import { rename } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ClipRecord } from '../../app/clip/clip';
import type { Companion } from '../../main/core/companion';
import { AxiosGameClipsClient } from '../../main/gameclips/axios-gameclips-client';
import { makeClip, tempDir } from '../support/clips';
import {
  selfSignedCertificate,
  startRecorder,
  type Answer,
  type RecordingServer,
  type SeenRequest,
} from './hostile-service';
import { clipInState, startTestCompanion } from './upload-support';

const TOKEN = 'XBL3.0 x=4242;hostile-test-secret';
const SCID = '00000000-0000-0000-0000-000047435342';

let home: { dir: string; cleanup: () => Promise<void> };
let tls: { key: string; cert: string };
const open: Array<{ close(): Promise<void> }> = [];
let companion: Companion | undefined;
const tlsBefore = process.env.NODE_TLS_REJECT_UNAUTHORIZED;

beforeAll(async () => {
  home = await tempDir('gc-token-scope-');
  tls = await selfSignedCertificate(home.dir);
  // The hostile service's self-signed certificate: trusted in this worker only.
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
}, 60_000);
afterAll(async () => {
  if (tlsBefore === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  else process.env.NODE_TLS_REJECT_UNAUTHORIZED = tlsBefore;
  await home.cleanup();
});
afterEach(async () => {
  await companion?.stop();
  companion = undefined;
  for (const server of open.splice(0)) await server.close();
});

async function recorder(options: Parameters<typeof startRecorder>[0] = {}) {
  const server = await startRecorder(options);
  open.push(server);
  return server;
}

/** Some other origin: it must never see anything. */
const bystander = () => recorder({ answer: () => ({ status: 201 }) });

interface HostileOptions {
  readonly uris: (self: string) => Record<string, string>;
  readonly put?: (request: SeenRequest, self: string) => Answer;
  readonly https?: boolean;
}

/** A GameClips service that reserves with the URIs it likes and answers PUTs as it likes. */
function hostileService(options: HostileOptions): Promise<RecordingServer> {
  return recorder({
    ...(options.https ? { tls } : {}),
    answer: (request, { url }) => {
      if (request.method === 'POST' && /\/clips$/u.test(request.path))
        return { status: 200, json: { gameClipId: 'hostile-1', ...options.uris(url) } };
      if (request.method === 'PUT') return options.put?.(request, url) ?? { status: 201, json: {} };
      if (request.method === 'DELETE') return { status: 204 };
      if (request.method === 'GET' && /\/clips\?/u.test(request.path))
        return { status: 200, json: { gameClips: [] } };
      return { status: 404 };
    },
  });
}

/** A companion on the hostile service with one clip dropped in; the clip once it settles. */
async function runClip(service: RecordingServer, name: string): Promise<ClipRecord> {
  const root = path.join(home.dir, name);
  const started = await startTestCompanion({
    root,
    custom: { baseUrl: service.url, account: { scid: SCID, authorization: TOKEN } },
    uploadTuning: { blockPolicy: { baseDelayMs: 50, maxDelayMs: 100, maxAttempts: 2 } },
  });
  companion = started.companion;
  const file = path.join(started.watched, 'clip.mp4');
  await makeClip(path.join(root, '.clip.mp4'), { seconds: 2 });
  await rename(path.join(root, '.clip.mp4'), file);
  return clipInState(companion, file, ['blocked', 'failed', 'processing', 'published'], 60_000);
}

function expectTokenOnlyAt(service: RecordingServer, ...others: RecordingServer[]): void {
  for (const other of others) expect(other.requests, other.url).toEqual([]);
  expect(service.authorizations().every((value) => value === TOKEN)).toBe(true);
}

describe('the account token goes only to the service and the uploads it may name', () => {
  it('refuses an upload URI on another origin: never contacted, the clip blocked with why', async () => {
    const elsewhere = await bystander();
    const service = await hostileService({
      uris: () => ({ uploadUri: `${elsewhere.url}/upload/xuid(1)/hostile-1/container` }),
    });
    const record = await runClip(service, 'upload-elsewhere');
    // First of all: nothing reached another origin.
    expectTokenOnlyAt(service, elsewhere);
    expect(record.state).toBe('blocked');
    expect(record.error?.code).toBe('gameclips/untrusted-address');
    expect(record.error?.detail).toContain(elsewhere.url);
    expect(record.reservation).toBeUndefined();
    // The refused reservation is taken back on the service itself.
    expect(service.requests.map((r) => r.method)).toEqual(['POST', 'DELETE']);
  });

  it('refuses thumbnail URIs on another origin, even when the upload URI is the service own', async () => {
    const elsewhere = await bystander();
    const service = await hostileService({
      uris: (self) => ({
        uploadUri: `${self}/upload/xuid(1)/hostile-1/container`,
        largeThumbnailUri: `${elsewhere.url}/thumbnails/large`,
        smallThumbnailUri: `${elsewhere.url}/thumbnails/small`,
      }),
    });
    const record = await runClip(service, 'thumbnails-elsewhere');
    // First of all: nothing reached another origin.
    expectTokenOnlyAt(service, elsewhere);
    expect(record.state).toBe('blocked');
    expect(record.error?.code).toBe('gameclips/untrusted-address');
    expect(service.requests.filter((r) => r.method === 'PUT')).toEqual([]);
  });

  it('refuses plain http upload URIs from an https service, on loopback and off it', async () => {
    const plain = await bystander();
    const service = await hostileService({
      https: true,
      uris: () => ({ uploadUri: `${plain.url}/upload/xuid(1)/hostile-1/container` }),
    });
    const record = await runClip(service, 'downgrade');
    // First of all: nothing reached another origin.
    expectTokenOnlyAt(service, plain);
    expect(service.url.startsWith('https://')).toBe(true);
    expect(record.error?.code).toBe('gameclips/untrusted-address');

    const far = await hostileService({
      https: true,
      uris: () => ({
        uploadUri: 'http://upload.gameclips.test/upload/xuid(1)/hostile-1/container',
      }),
    });
    await companion?.stop();
    companion = undefined;
    const second = await runClip(far, 'plain-http');
    expect(second.error?.code).toBe('gameclips/untrusted-address');
    expect(second.error?.detail).toMatch(/plain http/u);
  });

  it.each([
    [
      '307 to another origin',
      307,
      false,
      (elsewhere: RecordingServer) => `${elsewhere.url}/stolen`,
    ],
    [
      '308 to another host name',
      308,
      false,
      (elsewhere: RecordingServer) => `http://localhost:${elsewhere.port}/stolen`,
    ],
    [
      '301 from https to http',
      301,
      true,
      (elsewhere: RecordingServer) => `${elsewhere.url}/stolen`,
    ],
  ])(
    'does not follow a block PUT redirect (%s): the clip fails with why',
    async (_, status, secure, target) => {
      const elsewhere = await bystander();
      const service = await hostileService({
        https: secure,
        uris: (self) => ({ uploadUri: `${self}/upload/xuid(1)/hostile-1/container` }),
        put: () => ({ status, headers: { Location: target(elsewhere) } }),
      });
      const record = await runClip(service, `redirect-${status}`);
      // First of all: nothing reached another origin.
      expectTokenOnlyAt(service, elsewhere);
      expect(record.state).toBe('failed');
      expect(record.error?.code).toBe('gameclips/redirect-refused');
      // The blocks went to the service's own origin, with the token, and nowhere else.
      expect(service.requests.some((r) => r.method === 'PUT' && r.authorization === TOKEN)).toBe(
        true,
      );
    },
  );

  it('the HTTP client follows no redirect and sends nothing outside the scope', async () => {
    const elsewhere = await bystander();
    const service = await recorder({
      answer: () => ({ status: 307, headers: { Location: `${elsewhere.url}/stolen` } }),
    });
    const client = new AxiosGameClipsClient({
      baseUrl: service.url,
      account: {
        authorization: () => Promise.resolve(TOKEN),
        refresh: () => Promise.resolve(false),
      },
    });
    const png = new Uint8Array([137, 80, 78, 71]);
    const redirected = await client.putThumbnail(`${service.url}/upload/t/large`, png);
    const got = await client.getClip(SCID, 'hostile-1');
    const foreign = await client.putThumbnail(`${elsewhere.url}/upload/t/large`, png);
    // First of all: nothing reached another origin.
    expectTokenOnlyAt(service, elsewhere);
    expect(redirected).toMatchObject({ ok: false, failure: { kind: 'http', status: 307 } });
    expect(got).toMatchObject({ ok: false, failure: { kind: 'http', status: 307 } });
    expect(foreign).toMatchObject({
      ok: false,
      failure: { kind: 'network', sent: false, refused: 'token-scope' },
    });
    expect(service.requests).toHaveLength(2);
  });
});
