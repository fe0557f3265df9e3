/**
 * Issue 16, item 1: a published clip whose file is gone plays in the window from the service.
 * The real pipeline publishes a real ffmpeg clip to the real sandbox over loopback HTTP, the file
 * is deleted, and the media protocol's handler (the function Electron's `protocol.handle` takes)
 * streams it from the service's download link: the same bytes, ranges, 416, refreshed links.
 * A second, hostile little server stands for a service that misbehaves (redirects elsewhere,
 * never answers, streams forever) and records what it was sent.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClipRecord } from '../../../app/clip/clip';
import type { Companion } from '../../../main/core/companion';
import { createShareLinks } from '../../../main/ipc/share-link';
import { createMediaHandler, mediaSourceOf, mediaUrl } from '../../../main/protocol/media-protocol';
import {
  createPublishedMedia,
  playbackProblem,
  type PublishedMediaDeps,
} from '../../../main/protocol/published-media';
import { makeClip } from '../../support/clips';
import {
  clipInState,
  openUploadSandbox,
  quietLogger,
  startTestCompanion,
  waitFor,
  type UploadSandbox,
} from '../../integration/upload-support';

// Short enough to wait out in a test, long enough that a fresh link still works on a busy machine.
const LINK_TTL_MS = 4000;
const FAR = '2099-01-01T00:00:00.000Z';

let service: UploadSandbox;
let companion: Companion;
let record: ClipRecord;
let bytes: Buffer;
/** Every request the handler sent, with whether it carried the token. */
const sent: Array<{ url: string; authorization: boolean }> = [];

/** What the hostile server was asked, and what it does for each path. */
const hostileSeen: IncomingMessage[] = [];
let hostile: Server;
let hostileUrl: string;
let hostileClosed = 0;

function handlerWith(overrides: Partial<PublishedMediaDeps> = {}) {
  const ledger = () => Promise.resolve(companion.ledger);
  const links = createShareLinks({
    ledger,
    service: () =>
      Promise.resolve({
        kind: 'custom' as const,
        baseUrl: service.sandbox.baseUrl,
        client: companion.client,
        account: companion.account,
      }),
    writeClipboard: () => undefined,
    logger: quietLogger,
  });
  return createMediaHandler(
    async (clipId) => mediaSourceOf((await ledger()).get(clipId)),
    createPublishedMedia({
      ledger,
      downloadLink: (id, options) => links.download(id, options),
      authorization: () => companion.account.authorization(),
      tokenScope: () => ({ serviceOrigin: service.sandbox.baseUrl }),
      logger: quietLogger,
      fetch: (input, init) => {
        const headers = new Headers(init?.headers);
        sent.push({ url: String(input), authorization: headers.has('Authorization') });
        return fetch(input, init);
      },
      ...overrides,
    }),
  );
}

/** The status the service gives a link, its body let go at once. */
async function statusOf(url: string): Promise<number> {
  const response = await fetch(url, { method: 'HEAD' });
  await response.body?.cancel();
  return response.status;
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Points the clip's stored link somewhere, as if the service had given it. */
async function storeLink(uri: string, expires = FAR): Promise<void> {
  const latest = companion.ledger.get(record.id)!;
  await companion.ledger.put({
    ...latest,
    links: { ...latest.links!, downloadUri: uri, downloadUriExpires: expires },
  });
}

beforeAll(async () => {
  service = await openUploadSandbox('gc-published-media-', {
    ffmpegPath: null,
    downloadUriTtlMs: LINK_TTL_MS,
  });
  const root = path.join(service.dir, 'app');
  const started = await startTestCompanion({
    root,
    custom: { baseUrl: service.sandbox.baseUrl, account: service.account },
  });
  companion = started.companion;
  const staging = path.join(root, '.gone.mp4');
  await makeClip(staging, { seconds: 2 });
  const file = path.join(started.watched, 'gone.mp4');
  await rename(staging, file);
  record = await clipInState(companion, file, ['published', 'failed'], 90_000);
  expect(record.state).toBe('published');
  bytes = await readFile(file);
  await rm(file);

  hostile = createServer((req, res) => {
    hostileSeen.push(req);
    // A response that never ends closes only when the other side goes away.
    if (req.url === '/endless' || req.url === '/stall') res.on('close', () => hostileClosed++);
    if (req.url === '/elsewhere') {
      res.writeHead(302, { Location: `${service.sandbox.baseUrl}/content/x/video` }).end();
    } else if (req.url === '/silent') {
      // Never answers: the handler's own limit ends it.
    } else if (req.url === '/endless' || req.url === '/stall') {
      res.writeHead(200, { 'Content-Type': 'video/mp4' });
      res.write(Buffer.alloc(64 * 1024, 1));
    } else if (req.url === '/gone') {
      res.writeHead(404).end();
    } else {
      res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': String(bytes.length) });
      res.end(bytes);
    }
  });
  await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
  hostileUrl = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  hostile?.closeAllConnections();
  await new Promise((resolve) => hostile?.close(resolve));
  await companion?.stop();
  await service?.close();
});

describe('a published clip whose file is gone, from the service', () => {
  it('serves the whole clip, byte for byte, as video with nosniff', async () => {
    const response = await handlerWith()(new Request(mediaUrl(record.id)));
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('video/mp4');
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(response.headers.get('Accept-Ranges')).toBe('bytes');
    expect(Number(response.headers.get('Content-Length'))).toBe(bytes.length);
    expect(sha256(new Uint8Array(await response.arrayBuffer()))).toBe(sha256(bytes));
  });

  it('passes a range through: 206 with the right slice; past the end 416', async () => {
    const handler = handlerWith();
    const part = await handler(
      new Request(mediaUrl(record.id), { headers: { Range: 'bytes=100-299' } }),
    );
    expect(part.status).toBe(206);
    expect(part.headers.get('Content-Range')).toBe(`bytes 100-299/${bytes.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(100, 300))).toBe(true);
    const tail = await handler(
      new Request(mediaUrl(record.id), { headers: { Range: 'bytes=-10' } }),
    );
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(bytes.subarray(bytes.length - 10))).toBe(
      true,
    );
    const past = await handler(
      new Request(mediaUrl(record.id), { headers: { Range: `bytes=${bytes.length}-` } }),
    );
    expect(past.status).toBe(416);
    expect(past.headers.get('Content-Range')).toBe(`bytes */${bytes.length}`);
  });

  it('serves nothing for an unknown id, a path or another host', async () => {
    const handler = handlerWith();
    for (const url of [
      mediaUrl(randomUUID()),
      'gameclips-media://clip/../secret.txt',
      `gameclips-media://file/${record.id}`,
    ])
      expect((await handler(new Request(url))).status, url).toBe(404);
    expect(await playbackProblem(handler, mediaUrl(randomUUID()))).toBe(
      'neither the file nor the service has it.',
    );
  });

  it('fetches an expired link again first, and plays with the fresh one', async () => {
    const stored = companion.ledger.get(record.id)!.links!.downloadUri!;
    // The stored link stops working at the service (403 once its signature's time has passed).
    await waitFor(
      async () => ((await statusOf(stored)) === 403 ? true : undefined),
      30_000,
      'the stored link to expire',
    );
    const before = sent.length;
    const response = await handlerWith()(new Request(mediaUrl(record.id)));
    expect(response.status).toBe(200);
    expect(sha256(new Uint8Array(await response.arrayBuffer()))).toBe(sha256(bytes));
    const fresh = companion.ledger.get(record.id)!.links!.downloadUri!;
    expect(fresh).not.toBe(stored);
    // One request for the content: the fresh link, not the dead one first.
    expect(sent.slice(before).map((entry) => entry.url)).toEqual([fresh]);
  });

  it('a link the service refuses though it looked fresh is fetched again once', async () => {
    const stored = companion.ledger.get(record.id)!.links!.downloadUri!;
    await waitFor(
      async () => ((await statusOf(stored)) === 403 ? true : undefined),
      30_000,
      'the stored link to expire',
    );
    // The record believes it is good for years (a clock set wrong, a service's new signing key).
    await storeLink(stored, FAR);
    const before = sent.length;
    const response = await handlerWith()(new Request(mediaUrl(record.id)));
    expect(response.status).toBe(200);
    expect(sha256(new Uint8Array(await response.arrayBuffer()))).toBe(sha256(bytes));
    const urls = sent.slice(before).map((entry) => entry.url);
    expect(urls).toHaveLength(2);
    expect(urls[0]).toBe(stored);
    expect(urls[1]).not.toBe(stored);
  });
});

describe('what the handler sends and follows', () => {
  it('sends the token to the service itself only, never to another origin', async () => {
    const own = sent.filter((entry) => entry.url.startsWith(service.sandbox.baseUrl));
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((entry) => entry.authorization)).toBe(true);
    await storeLink(`${hostileUrl}/clip.mp4`);
    const before = hostileSeen.length;
    const response = await handlerWith()(new Request(mediaUrl(record.id)));
    expect(response.status).toBe(200);
    expect(sha256(new Uint8Array(await response.arrayBuffer()))).toBe(sha256(bytes));
    const seen = hostileSeen.slice(before);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.headers.authorization).toBeUndefined();
  });

  it('follows no redirect to another origin, and says so', async () => {
    await storeLink(`${hostileUrl}/elsewhere`);
    const before = sent.length;
    const response = await handlerWith()(new Request(mediaUrl(record.id)));
    expect(response.status).toBe(502);
    expect(await response.text()).toBe(
      `the service sent it on to ${service.sandbox.baseUrl}, which is not followed.`,
    );
    expect(sent.slice(before).map((entry) => entry.url)).toEqual([`${hostileUrl}/elsewhere`]);
  });

  it('gives up on a service that does not answer, with the reason', async () => {
    await storeLink(`${hostileUrl}/silent`);
    const handler = handlerWith({ headersTimeoutMs: 1000 });
    expect(await playbackProblem(handler, mediaUrl(record.id))).toBe(
      'the service did not answer within 1 s.',
    );
  });

  it('says when the service no longer has the clip, or it was removed from the service', async () => {
    await storeLink(`${hostileUrl}/gone`);
    expect(await playbackProblem(handlerWith(), mediaUrl(record.id))).toBe(
      'the service no longer has this clip.',
    );
    const latest = companion.ledger.get(record.id)!;
    await companion.ledger.put({ ...latest, removedFromServiceAt: new Date().toISOString() });
    try {
      expect(await playbackProblem(handlerWith(), mediaUrl(record.id))).toBe(
        'it was removed from the service.',
      );
    } finally {
      const back = companion.ledger.get(record.id)!;
      const { removedFromServiceAt: _removed, ...rest } = back;
      await companion.ledger.put(rest);
    }
  });

  it('aborts the request to the service when the window stops reading', async () => {
    await storeLink(`${hostileUrl}/endless`);
    const closedBefore = hostileClosed;
    const response = await handlerWith()(new Request(mediaUrl(record.id)));
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    await reader.cancel();
    await expect.poll(() => hostileClosed, { timeout: 20_000 }).toBeGreaterThan(closedBefore);
  });

  it('ends a body the service stops sending mid-way, and lets go of the service', async () => {
    await storeLink(`${hostileUrl}/stall`);
    const closedBefore = hostileClosed;
    const response = await handlerWith({ idleTimeoutMs: 500 })(new Request(mediaUrl(record.id)));
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const outcome = await (async () => {
      try {
        for (;;) if ((await reader.read()).done) return 'ended';
      } catch {
        return 'errored';
      }
    })();
    // Ended as an error, not as a whole clip: the player asks again rather than stopping short.
    expect(outcome).toBe('errored');
    await expect.poll(() => hostileClosed, { timeout: 20_000 }).toBeGreaterThan(closedBefore);
  });
});
