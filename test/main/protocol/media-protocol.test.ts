import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMediaHandler, mediaUrl, parseRange } from '../../../main/protocol/media-protocol';
import { makeClip, tempDir } from '../../support/clips';

describe('parseRange', () => {
  it('reads the three forms of one range and refuses one past the end', () => {
    expect(parseRange(null, 100)).toEqual({ kind: 'whole' });
    expect(parseRange('bytes=0-9', 100)).toEqual({ kind: 'part', start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ kind: 'part', start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ kind: 'part', start: 90, end: 99 });
    expect(parseRange('bytes=50-1000', 100)).toEqual({ kind: 'part', start: 50, end: 99 });
    expect(parseRange('bytes=100-', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=9-3', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=0-1,5-6', 100)).toEqual({ kind: 'whole' });
  });
});

describe('the media protocol handler', () => {
  let home: Awaited<ReturnType<typeof tempDir>>;
  let clipFile: string;
  let bytes: Buffer;
  const knownId = randomUUID();
  let handler: (request: Request) => Promise<Response>;

  beforeAll(async () => {
    home = await tempDir('gc-media-');
    clipFile = await makeClip(path.join(home.dir, 'ace.mp4'), { seconds: 1 });
    bytes = await readFile(clipFile);
    await writeFile(path.join(home.dir, 'secret.txt'), 'not for the window');
    handler = createMediaHandler((id) => (id === knownId ? clipFile : undefined));
  });
  afterAll(() => home.cleanup());

  it('serves a known clip whole, with its type and length', async () => {
    const response = await handler(new Request(mediaUrl(knownId)));
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('video/mp4');
    expect(response.headers.get('Accept-Ranges')).toBe('bytes');
    expect(Number(response.headers.get('Content-Length'))).toBe(bytes.length);
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('answers a range with 206 and exactly those bytes', async () => {
    const response = await handler(
      new Request(mediaUrl(knownId), { headers: { Range: 'bytes=100-299' } }),
    );
    expect(response.status).toBe(206);
    expect(response.headers.get('Content-Range')).toBe(`bytes 100-299/${bytes.length}`);
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes.subarray(100, 300))).toBe(true);
  });

  it('answers a range past the end with 416 and the size', async () => {
    const response = await handler(
      new Request(mediaUrl(knownId), { headers: { Range: `bytes=${bytes.length}-` } }),
    );
    expect(response.status).toBe(416);
    expect(response.headers.get('Content-Range')).toBe(`bytes */${bytes.length}`);
  });

  it('serves nothing but known clip ids: no paths, no other hosts, no other ids', async () => {
    for (const url of [
      mediaUrl(randomUUID()),
      'gameclips-media://clip/../secret.txt',
      `gameclips-media://clip/${encodeURIComponent(path.join(home.dir, 'secret.txt'))}`,
      `gameclips-media://file/${knownId}`,
      `https://clip/${knownId}`,
    ])
      expect((await handler(new Request(url))).status, url).toBe(404);
    expect((await handler(new Request(mediaUrl(knownId), { method: 'POST' }))).status).toBe(405);
  });
});
