/**
 * `gameclips-media://clip/<clipId>`: how the window reaches a clip's video for the thumbnail
 * picker. The window never sees a path and never loads `file://`; main serves the file of a
 * clip it knows, by id, and nothing else (architecture.md section 2.4).
 *
 * The handler is a plain `(Request) => Promise<Response>` over web standard types, so it is
 * tested under Node; `protocol.handle` in Electron takes exactly this shape. Range requests are
 * answered with 206 / Content-Range (a <video> seeks by asking for byte ranges), and a range past
 * the end with 416, as HTTP says.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';

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

/** Finds the file of a clip the ledger knows; undefined for any other id. */
export type ClipFileResolver = (clipId: string) => string | undefined | Promise<string | undefined>;

const CLIP_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.mov': 'video/quicktime',
  '.mkv': 'video/x-matroska',
  '.webm': 'video/webm',
};

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
  return new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

function body(filePath: string, start: number, end: number): ReadableStream<Uint8Array> {
  return Readable.toWeb(createReadStream(filePath, { start, end })) as ReadableStream<Uint8Array>;
}

/** Builds the protocol handler over the ledger's clip files. */
export function createMediaHandler(
  resolveClipFile: ClipFileResolver,
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
    const filePath = await resolveClipFile(clipId.toLowerCase());
    if (filePath === undefined) return plain(404, 'not found');
    let size: number;
    try {
      const info = await stat(filePath);
      if (!info.isFile()) return plain(404, 'not found');
      size = info.size;
    } catch {
      return plain(404, 'not found');
    }
    const headers = new Headers({
      'Content-Type':
        CONTENT_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream',
      'Accept-Ranges': 'bytes',
      // Only the app's own window can load this scheme; CORS lets it draw frames on a canvas.
      'Access-Control-Allow-Origin': '*',
      'Cache-Control': 'no-store',
    });
    const range = parseRange(request.headers.get('Range'), size);
    if (range.kind === 'unsatisfiable') {
      headers.set('Content-Range', `bytes */${size}`);
      return new Response(null, { status: 416, headers });
    }
    const start = range.kind === 'part' ? range.start : 0;
    const end = range.kind === 'part' ? range.end : size - 1;
    headers.set('Content-Length', String(Math.max(0, end - start + 1)));
    if (range.kind === 'part') headers.set('Content-Range', `bytes ${start}-${end}/${size}`);
    const status = range.kind === 'part' ? 206 : 200;
    const payload = request.method === 'HEAD' || size === 0 ? null : body(filePath, start, end);
    return new Response(payload, { status, headers });
  };
}
