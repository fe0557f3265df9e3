/**
 * Issue 18, item 1: what the app's own GameClips client puts on the wire, recorded by a small
 * HTTP server on loopback (no proxy, no mock of the client): the reserve POST carries the four
 * request headers its reference page requires, every call names the service version both ways,
 * and gzip and deflate answers are read.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InitialUploadRequest } from '../../app/gameclips/wire';
import { AxiosGameClipsClient } from '../../main/gameclips/axios-gameclips-client';
import { BlockTransport } from '../../main/gameclips/block-transport';
import { recordFigure } from '../support/figures';

interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** Header names exactly as they came, in order. */
  readonly names: string[];
  readonly body: string;
}

const AUTHORIZATION = 'XBL3.0 x=1234567890;recorded-token';
const SCID = '00000000-0000-0000-0000-000047435342';
const CLIP_ID = '6b364924-5650-480f-86a7-fc002a1ee752';

let server: Server;
let baseUrl = '';
const recorded: Recorded[] = [];
/** How the next answers are encoded. */
let encoding: 'identity' | 'gzip' | 'deflate' = 'identity';

function answerFor(method: string, url: string): { status: number; body?: unknown } {
  if (method === 'POST' && url === `/users/me/scids/${SCID}/clips`)
    return {
      status: 200,
      body: {
        gameClipId: CLIP_ID,
        uploadUri: `${baseUrl}/upload/xuid(1)/${CLIP_ID}/container`,
        clipName: '',
        titleName: 'Recorder',
      },
    };
  if (method === 'GET' && url.startsWith(`/users/me/scids/${SCID}/clips/`))
    return {
      status: 200,
      body: { gameClip: { gameClipId: CLIP_ID, state: 'Published', thumbnails: [] } },
    };
  if (method === 'GET') return { status: 200, body: { gameClips: [], pagingInfo: {} } };
  if (method === 'DELETE') return { status: 204 };
  if (method === 'PUT') return { status: 201 };
  return { status: 200 };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const names = req.rawHeaders.filter((_, index) => index % 2 === 0);
      recorded.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        names,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const answer = answerFor(req.method ?? '', req.url ?? '');
      if (answer.body === undefined) {
        res.writeHead(answer.status, { 'Content-Length': '0' }).end();
        return;
      }
      const plain = Buffer.from(JSON.stringify(answer.body));
      const bytes =
        encoding === 'gzip' ? gzipSync(plain) : encoding === 'deflate' ? deflateSync(plain) : plain;
      res.writeHead(answer.status, {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': String(bytes.length),
        ...(encoding === 'identity' ? {} : { 'Content-Encoding': encoding }),
      });
      res.end(bytes);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function client(): AxiosGameClipsClient {
  return new AxiosGameClipsClient({
    baseUrl,
    account: {
      authorization: () => Promise.resolve(AUTHORIZATION),
      refresh: () => Promise.resolve(false),
    },
  });
}

const BODY: InitialUploadRequest = {
  greatestMomentId: '',
  userCaption: '',
  dateRecorded: '2024-01-01T12:00:00Z',
  durationInSeconds: 30,
  expectedBlocks: 1,
  fileSize: 1000,
  type: 'UserGenerated',
  source: 'TitleDirect',
  visibility: 'Default',
  thumbnailSource: 'Upload',
  savedByUser: false,
};

/** The request the client made for one call. */
async function record(run: () => Promise<unknown>): Promise<Recorded> {
  const before = recorded.length;
  await run();
  expect(recorded.length).toBe(before + 1);
  return recorded[before] as Recorded;
}

describe("the app's reserve POST, recorded on a loopback server", () => {
  it('carries the four headers the reference page requires, with the page values, plus Accept-Encoding', async () => {
    encoding = 'identity';
    const seen = await record(() => client().reserve(SCID, BODY));
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe(`/users/me/scids/${SCID}/clips`);
    // Required request headers of the page: Authorization, X-RequestedServiceVersion,
    // Content-Type, Accept. Each present exactly once, with the value the page gives.
    for (const name of ['Authorization', 'X-RequestedServiceVersion', 'Content-Type', 'Accept'])
      expect(
        seen.names.filter((sent) => sent.toLowerCase() === name.toLowerCase()),
        name,
      ).toHaveLength(1);
    expect(seen.headers.authorization).toBe(AUTHORIZATION);
    expect(seen.headers['x-requestedserviceversion']).toBe('1');
    expect(seen.headers['content-type']).toMatch(/^application\/json(;|$)/);
    expect(seen.headers.accept).toBe('application/json');
    // Optional on the page: the two encodings it names, and no others.
    expect(seen.headers['accept-encoding']).toBe('gzip, deflate');
    // The general Xbox Live header as well (spec 1.3).
    expect(seen.headers['x-xbl-contract-version']).toBe('1');
    expect(JSON.parse(seen.body)).toEqual(BODY);
    // The whole list, for the report (names as sent).
    recordFigure('reserve POST headers', { names: seen.names.join(', ') });
  });

  it('names the service version both ways on every GameClips call', async () => {
    encoding = 'identity';
    const api = client();
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['reserve', () => api.reserve(SCID, BODY)],
      ['getClip', () => api.getClip(SCID, CLIP_ID)],
      ['listClips', () => api.listClips(SCID, {})],
      ['deleteClip', () => api.deleteClip(SCID, CLIP_ID)],
      ['updateMetadata', () => api.updateMetadata(SCID, CLIP_ID, { userCaption: 'x' })],
      [
        'putThumbnail',
        () =>
          api.putThumbnail(
            `${baseUrl}/upload/xuid(1)/${CLIP_ID}/container/thumbnails/large`,
            new Uint8Array(4),
          ),
      ],
    ];
    // The upload pipeline sends blocks through its own streaming transport, not axios.
    const transport = new BlockTransport({
      account: {
        authorization: () => Promise.resolve(AUTHORIZATION),
        refresh: () => Promise.resolve(false),
      },
      tokenScope: { serviceOrigin: baseUrl },
    });
    calls.push([
      'BlockTransport.putBlock',
      () =>
        transport.putBlock(
          `${baseUrl}/upload/xuid(1)/${CLIP_ID}/container`,
          0,
          new Uint8Array(4),
          undefined,
          { noProgressTimeoutMs: 10_000 },
        ),
    ]);
    for (const [name, run] of calls) {
      const seen = await record(run);
      expect(seen.headers['x-requestedserviceversion'], name).toBe('1');
      expect(seen.headers['x-xbl-contract-version'], name).toBe('1');
      expect(seen.headers.authorization, name).toBe(AUTHORIZATION);
    }
    transport.close();
  });

  it.each(['gzip', 'deflate'] as const)('reads a %s answer', async (used) => {
    encoding = used;
    try {
      const reserved = await client().reserve(SCID, BODY);
      expect(reserved).toMatchObject({ ok: true, value: { gameClipId: CLIP_ID } });
      const clip = await client().getClip(SCID, CLIP_ID);
      expect(clip).toMatchObject({ ok: true, value: { gameClipId: CLIP_ID, state: 'Published' } });
    } finally {
      encoding = 'identity';
    }
  });
});
