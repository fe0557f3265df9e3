/**
 * Downloads of published clips and their thumbnails: GET {uri} from a GameClipUri or
 * GameClipThumbnail (section 2, "Download"), with Range support (206, 416).
 *
 * Like the real SAS links these need no Authorization header; the signature in the query is the
 * permission. Errors carry both the ServiceErrorResponse members and the
 * GameClipsServiceErrorResponse members (3.9) the download path documents.
 */
import { stat } from 'node:fs/promises';
import { VIDEO_ASSET, thumbnailAsset } from './clip-view';
import { currentClip, type RequestContext, type Sandbox } from './context';
import { SANDBOX_ERROR_CODES, serviceError, type ServiceError } from './errors';
import { parseRange, type Reply } from './http-util';
import type { ThumbnailSize } from './store';

function contentError(
  status: number,
  errorCode: ServiceError['errorCode'],
  message: string,
): ServiceError {
  return serviceError(status, errorCode, message, {
    extraBody: { errorSource: 'GameClipsContent', errorResponseCode: errorCode },
  });
}

function missing(): ServiceError {
  return contentError(
    404,
    SANDBOX_ERROR_CODES.notFound,
    'No published clip or thumbnail at this URI.',
  );
}

/** GET or HEAD /content/{gameClipId}/{asset}. */
export async function download(sandbox: Sandbox, ctx: RequestContext): Promise<Reply> {
  const check = sandbox.signer.checkContent(ctx.pathname, ctx.query, Date.now());
  if (check !== 'ok')
    return contentError(
      403,
      SANDBOX_ERROR_CODES.badSignature,
      check === 'expired'
        ? 'This link has expired; GET the clip again for a fresh one.'
        : 'This link is not signed by the sandbox; use a URI from a GameClip.',
    );
  const record = currentClip(sandbox, ctx.params.gameClipId ?? '');
  if (!record || record.state !== 'Published') return missing();
  const asset = ctx.params.asset ?? '';
  let filePath: string;
  let contentType: string;
  if (asset === VIDEO_ASSET && record.assembled) {
    filePath = sandbox.store.videoPath(record.gameClipId);
    contentType = record.videoContentType ?? 'application/octet-stream';
  } else {
    const size = (['Large', 'Small'] as const).find((candidate: ThumbnailSize) => {
      const stored = record.thumbnails[candidate];
      return stored !== undefined && asset === thumbnailAsset(candidate, stored.contentType);
    });
    const stored = size === undefined ? undefined : record.thumbnails[size];
    if (size === undefined || stored === undefined) return missing();
    filePath = sandbox.store.thumbnailPath(record.gameClipId, size);
    contentType = stored.contentType;
  }
  let fileSize: number;
  let modified: Date;
  try {
    const info = await stat(filePath);
    fileSize = info.size;
    modified = info.mtime;
  } catch {
    return missing();
  }
  const headers: Record<string, string> = {
    'Content-Type': contentType,
    'Accept-Ranges': 'bytes',
    ETag: `"${record.gameClipId}-${asset}-${fileSize}"`,
    'Last-Modified': modified.toUTCString(),
  };
  const headOnly = ctx.req.method === 'HEAD';
  const range = parseRange(ctx.req.headers.range, fileSize);
  switch (range.kind) {
    case 'whole':
      return {
        kind: 'file',
        status: 200,
        path: filePath,
        start: 0,
        end: fileSize,
        headOnly,
        headers,
      };
    case 'partial':
      return {
        kind: 'file',
        status: 206,
        path: filePath,
        start: range.start,
        end: range.end,
        headOnly,
        headers: {
          ...headers,
          'Content-Range': `bytes ${range.start}-${range.end - 1}/${fileSize}`,
        },
      };
    case 'unsatisfiable':
      return serviceError(
        416,
        SANDBOX_ERROR_CODES.rangeNotSatisfiable,
        `The range "${ctx.req.headers.range}" lies outside the ${fileSize}-byte file.`,
        {
          headers: { 'Content-Range': `bytes */${fileSize}` },
          extraBody: {
            errorSource: 'GameClipsContent',
            errorResponseCode: SANDBOX_ERROR_CODES.rangeNotSatisfiable,
          },
        },
      );
  }
}
