import { randomUUID } from 'node:crypto';
import { readFile, rename, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClipRecord, rejectedClipRecord, type ClipRecord } from '../../../app/clip/clip';
import { errorView } from '../../../app/errors';
import {
  createMediaHandler,
  mediaSourceOf,
  mediaUrl,
  parseRange,
  type MediaSource,
} from '../../../main/protocol/media-protocol';
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
    const info = await stat(clipFile);
    const source: MediaSource = {
      path: clipFile,
      container: 'mp4',
      size: info.size,
      mtimeMs: info.mtimeMs,
    };
    handler = createMediaHandler((id) => (id === knownId ? source : undefined));
  });
  afterAll(() => home.cleanup());

  it('serves a known clip whole, with its type and length', async () => {
    const response = await handler(new Request(mediaUrl(knownId)));
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('video/mp4');
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(response.headers.get('Access-Control-Allow-Origin')).toBeNull();
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

describe('what the media protocol serves (issue 14, item 4)', () => {
  let home: Awaited<ReturnType<typeof tempDir>>;
  const now = '2026-01-01T00:00:00.000Z';
  const draft = { caption: '', visibility: 'Owner' as const };
  const probe = { container: 'mp4' as const, durationSeconds: 1, recordedAt: now };
  beforeAll(async () => {
    home = await tempDir('gc-media-trust-');
  });
  afterAll(() => home.cleanup());

  async function acceptedAt(file: string): Promise<ClipRecord> {
    const info = await stat(file);
    return newClipRecord({
      id: randomUUID(),
      origin: 'watch',
      file: { path: file, size: info.size, mtimeMs: info.mtimeMs, fingerprint: 'f' },
      probe,
      draft,
      now,
    });
  }
  function serve(record: ClipRecord, headers: Record<string, string> = {}): Promise<Response> {
    const handler = createMediaHandler((id) =>
      id === record.id ? mediaSourceOf(record) : undefined,
    );
    return handler(new Request(mediaUrl(record.id), { headers }));
  }

  it('serves an accepted clip as video with nosniff, and CORS only to our own page', async () => {
    const record = await acceptedAt(await makeClip(path.join(home.dir, 'ok.mp4'), { seconds: 1 }));
    const response = await serve(record, { Origin: 'null' });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('video/mp4');
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('null');
    const foreign = await serve(record, { Origin: 'https://evil.example' });
    expect(foreign.headers.get('Access-Control-Allow-Origin')).toBeNull();
    await foreign.body?.cancel();
  });

  it('refuses a rejected record, even one whose file is readable', async () => {
    const secret = path.join(home.dir, 'passwd');
    await writeFile(secret, 'root:x:0:0:root:/root:/bin/bash\n');
    const info = await stat(secret);
    const rejected = rejectedClipRecord({
      id: randomUUID(),
      origin: 'drop',
      file: { path: secret, size: info.size, mtimeMs: info.mtimeMs, fingerprint: '' },
      error: errorView('intake/not-a-video'),
      draft,
      now,
    });
    expect(mediaSourceOf(rejected)).toBeUndefined();
    expect((await serve(rejected)).status).toBe(404);
    // Even a rejected duplicate, which has a probe, is not the window's to read.
    expect(mediaSourceOf({ ...rejected, probe })).toBeUndefined();
  });

  it('refuses a clip whose path became a symbolic link to a non-video', async () => {
    const file = await makeClip(path.join(home.dir, 'evil.mp4'), { seconds: 1 });
    const record = await acceptedAt(file);
    expect((await serve(record)).status).toBe(200);
    const key = path.join(home.dir, 'id_ed25519');
    await writeFile(key, '-----BEGIN OPENSSH PRIVATE KEY-----\n');
    await rename(file, path.join(home.dir, 'moved-away.mp4'));
    await symlink(key, file);
    const response = await serve(record);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('PRIVATE KEY');
  });

  it('refuses a file replaced by other bytes under the same name, size and time', async () => {
    const file = await makeClip(path.join(home.dir, 'swapped.mp4'), { seconds: 1 });
    const record = await acceptedAt(file);
    const info = await stat(file);
    // Same length and modification time, but no longer a video (the container check).
    await writeFile(file, Buffer.alloc(info.size, 0x41));
    await utimes(file, info.atime, info.mtime);
    expect((await serve(record)).status).toBe(404);
  });
});
