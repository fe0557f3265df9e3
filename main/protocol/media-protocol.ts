/**
 * `gameclips-media://clip/<clipId>`: how the window reaches a clip's video for the thumbnail
 * picker. The window never sees a path and never loads `file://`; main serves the file of a
 * clip it knows, by id, and nothing else (architecture.md section 2.4).
 *
 * The handler is a plain `(Request) => Promise<Response>` over web standard types, so it is
 * tested under Node; `protocol.handle` in Electron takes exactly this shape. Range requests are
 * answered with 206 / Content-Range (a <video> seeks by asking for byte ranges), and a range past
 * the end with 416, as HTTP says. A published clip whose file is gone is streamed from the
 * service through the same URL (published-media.ts), so the window's CSP names only this scheme.
 */
import { constants } from 'node:fs';
import { lstat, open, realpath, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { ClipProbe, ClipRecord } from '../../app/clip/clip';

export const MEDIA_SCHEME = 'gameclips-media';

/** The privileges the scheme is registered with before `app.whenReady()`. */
export const MEDIA_SCHEME_PRIVILEGES = {
  scheme: MEDIA_SCHEME,
  privileges: {
    standard: true,
    secure: true,
    // <video> streams through Range requests only on schemes with `stream`.
    stream: true,
    supportFetchAPI: true,
    // The picker draws frames on a canvas and exports PNGs: the video must be CORS-clean.
    corsEnabled: true,
  },
} as const;

/**
 * What the protocol may serve for one clip: its file as decided (path, size, modification time)
 * and the container the probe found, which alone sets the Content-Type.
 */
export interface MediaSource {
  readonly path: string;
  readonly container: ClipProbe['container'];
  readonly size: number;
  readonly mtimeMs: number;
}

/** Finds the media of a clip the ledger knows; undefined for any other id. */
export type ClipFileResolver = (
  clipId: string,
) => MediaSource | undefined | Promise<MediaSource | undefined>;

const CLIP_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;

export const CONTENT_TYPES: Readonly<Record<ClipProbe['container'], string>> = {
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  matroska: 'video/x-matroska',
  webm: 'video/webm',
};

/** States whose file is not a clip of the list: refused, unfinished or gone. */
const NOT_SERVED: ReadonlySet<ClipRecord['state']> = new Set(['rejected', 'incomplete', 'missing']);

/**
 * The media of a record, when the window may see it: a clip the gate accepted as a video (it has
 * a probe) and not one refused, unfinished or missing (issue 14, item 4).
 */
export function mediaSourceOf(record: ClipRecord | undefined): MediaSource | undefined {
  if (!record?.probe || NOT_SERVED.has(record.state)) return undefined;
  return {
    path: record.file.path,
    container: record.probe.container,
    size: record.file.size,
    mtimeMs: record.file.mtimeMs,
  };
}

/** The URL the window uses for a clip. */
export function mediaUrl(clipId: string): string {
  return `${MEDIA_SCHEME}://clip/${clipId}`;
}

/** A parsed `Range: bytes=a-b` header against a file of `size` bytes. */
export type ByteRange =
  | { readonly kind: 'whole' }
  | { readonly kind: 'part'; readonly start: number; readonly end: number }
  | { readonly kind: 'unsatisfiable' };

/**
 * Reads one byte range (`bytes=a-b`, `bytes=a-`, `bytes=-n`). Several ranges or a malformed
 * header are served whole, which RFC 9110 allows; a range starting past the end is 416.
 */
export function parseRange(header: string | null, size: number): ByteRange {
  if (header === null) return { kind: 'whole' };
  const match = /^bytes=(\d*)-(\d*)$/u.exec(header.trim());
  if (match === null) return { kind: 'whole' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'whole' };
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'part', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size || end < start) return { kind: 'unsatisfiable' };
  return { kind: 'part', start, end };
}

function plain(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
  });
}

/** The app's own page loads from file://, whose origin Chromium sends as `null` (or `file://`). */
const OWN_PAGE_ORIGINS: ReadonlySet<string> = new Set(['null', 'file://']);

const EBML_MAGIC = Buffer.from([0x1a, 0x45, 0xdf, 0xa3]);
const ISO_FIRST_BOXES: ReadonlySet<string> = new Set(['ftyp', 'wide', 'free', 'moov', 'mdat']);

/** Whether the file's first bytes still are the container the probe found. */
function startsAsContainer(head: Buffer, container: MediaSource['container']): boolean {
  if (container === 'matroska' || container === 'webm')
    return head.length >= 4 && head.subarray(0, 4).equals(EBML_MAGIC);
  return head.length >= 8 && ISO_FIRST_BOXES.has(head.toString('latin1', 4, 8));
}

/**
 * Opens the clip's file only if it still is the file that was decided: the path itself (not
 * through a symbolic link anywhere on it), a regular file of the recorded size and time, that
 * still starts as the probed container. Anything else (a link swapped in for `evil.mp4`, a file
 * replaced under the same name) is not served.
 */
async function openVerified(source: MediaSource): Promise<FileHandle | undefined> {
  const link = await lstat(source.path).catch(() => undefined);
  if (!link?.isFile()) return undefined;
  if ((await realpath(source.path).catch(() => undefined)) !== source.path) return undefined;
  // O_NOFOLLOW closes the race between the checks above and the open (not on Windows).
  const handle = await open(source.path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0)).catch(
    () => undefined,
  );
  if (!handle) return undefined;
  try {
    const info = await handle.stat();
    if (
      info.isFile() &&
      info.size === source.size &&
      info.mtimeMs === source.mtimeMs &&
      info.ino === link.ino
    ) {
      const head = Buffer.alloc(12);
      const { bytesRead } = await handle.read(head, 0, 12, 0);
      if (startsAsContainer(head.subarray(0, bytesRead), source.container)) return handle;
    }
  } catch {
    // fall through: not served
  }
  await handle.close();
  return undefined;
}

function body(handle: FileHandle, start: number, end: number): ReadableStream<Uint8Array> {
  // The stream owns the verified handle and closes it when done or cancelled.
  return Readable.toWeb(
    handle.createReadStream({ start, end, autoClose: true }),
  ) as ReadableStream<Uint8Array>;
}

/** Builds the protocol handler over the ledger's clips. */
export function createMediaHandler(
  resolveClip: ClipFileResolver,
  /**
   * A published clip whose file is not here, from the service (main/protocol/published-media.ts);
   * undefined for a clip that is not one.
   */
  fromService?: (clipId: string, request: Request) => Promise<Response | undefined>,
): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'GET only');
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return plain(400, 'bad url');
    }
    const clipId = url.pathname.replace(/^\//u, '');
    if (url.protocol !== `${MEDIA_SCHEME}:` || url.host !== 'clip' || !CLIP_ID.test(clipId))
      return plain(404, 'not found');
    const source = await resolveClip(clipId.toLowerCase());
    const handle = source === undefined ? undefined : await openVerified(source);
    if (source === undefined || handle === undefined) {
      const remote = await fromService?.(clipId.toLowerCase(), request);
      if (remote === undefined) return plain(404, 'not found');
      const origin = request.headers.get('Origin');
      if (origin !== null && OWN_PAGE_ORIGINS.has(origin))
        remote.headers.set('Access-Control-Allow-Origin', origin);
      return remote;
    }
    const size = source.size;
    const headers = new Headers({
      'Content-Type': CONTENT_TYPES[source.container],
      'X-Content-Type-Options': 'nosniff',
      'Accept-Ranges': 'bytes',
      'Cache-Control': 'no-store',
      Vary: 'Origin',
    });
    // The picker draws frames on a canvas, so the video must be CORS-clean for our own page; no
    // other origin is told it may read the clip (no wildcard).
    const origin = request.headers.get('Origin');
    if (origin !== null && OWN_PAGE_ORIGINS.has(origin))
      headers.set('Access-Control-Allow-Origin', origin);
    const range = parseRange(request.headers.get('Range'), size);
    if (range.kind === 'unsatisfiable') {
      await handle.close();
      headers.set('Content-Range', `bytes */${size}`);
      return new Response(null, { status: 416, headers });
    }
    const start = range.kind === 'part' ? range.start : 0;
    const end = range.kind === 'part' ? range.end : size - 1;
    headers.set('Content-Length', String(Math.max(0, end - start + 1)));
    if (range.kind === 'part') headers.set('Content-Range', `bytes ${start}-${end}/${size}`);
    const status = range.kind === 'part' ? 206 : 200;
    if (request.method === 'HEAD' || size === 0) {
      await handle.close();
      return new Response(null, { status, headers });
    }
    return new Response(body(handle, start, end), { status, headers });
  };
}
