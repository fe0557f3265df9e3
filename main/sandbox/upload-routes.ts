/**
 * The byte routes behind the URIs a reservation returns (steps 2 and 3):
 *   PUT /upload/xuid({xuid})/{gameClipId}/container?blockNum=n      video blocks, or single-shot
 *   PUT /upload/xuid({xuid})/{gameClipId}/container/thumbnails/{large|small}
 * Routed by path only, so a client may reach them through any host and port of this sandbox.
 */
import { open, rm } from 'node:fs/promises';
import { requireClaims } from './auth';
import {
  currentClip,
  endClip,
  goneMessage,
  isEnded,
  xuidMismatch,
  type RequestContext,
  type Sandbox,
} from './context';
import {
  SANDBOX_ERROR_CODES,
  badRequest,
  gone,
  notFound,
  serviceError,
  type ServiceError,
} from './errors';
import { discardBody, empty, receiveToFile, type Reply } from './http-util';
import type { ServiceClip, ThumbnailSize } from './store';

/** Thumbnails up to 2 MiB (section 6). */
export const MAX_THUMBNAIL_BYTES = 2 * 1024 * 1024;

const COMMITTED_STATES = new Set([
  'Uploaded',
  'Processing',
  'Processed',
  'Publishing',
  'Published',
  'Flagged',
  'Banned',
]);

/** The upload URI of a clip, on the origin the client used. */
export function uploadUri(origin: string, xuid: string, gameClipId: string): string {
  return `${origin}/upload/xuid(${xuid})/${gameClipId}/container`;
}

/** Finds the clip an upload URI names; 404 unless that URI was issued. */
function findUploadTarget(
  sandbox: Sandbox,
  ctx: RequestContext,
): { record: ServiceClip } | { error: ServiceError } {
  const owner = /^xuid\((\d{1,20})\)$/i.exec(ctx.params.owner ?? '')?.[1];
  const record = currentClip(sandbox, ctx.params.gameClipId ?? '');
  if (owner === undefined || !record || record.xuid !== owner)
    return { error: notFound('No upload was reserved at this URI.') };
  const missing = requireClaims(ctx.claims, ['Xuid']);
  if (missing) return { error: missing };
  if (ctx.claims.Xuid !== record.xuid) return { error: xuidMismatch() };
  return { record };
}

/** Reads `blockNum` (or, in lenient mode, the `blockNumber` alias, A7). */
function readBlockNum(
  sandbox: Sandbox,
  query: URLSearchParams,
  expectedBlocks: number | undefined,
): { blockNum: number | undefined } | { error: ServiceError } {
  const primary = query.get('blockNum');
  const alias = query.get('blockNumber');
  if (alias !== null && sandbox.options.strict)
    return { error: badRequest('The query parameter is spelled blockNum, not blockNumber.') };
  if (primary !== null && alias !== null && primary !== alias)
    return { error: badRequest('blockNum and blockNumber were both sent with different values.') };
  const raw = primary ?? alias;
  if (expectedBlocks === undefined) {
    if (raw !== null)
      return {
        error: badRequest(
          'blockNum was sent, but the reservation has no expectedBlocks; send the whole file in one PUT without blockNum.',
        ),
      };
    return { blockNum: undefined };
  }
  if (raw === null)
    return {
      error: badRequest(`blockNum is required: this clip is uploaded in ${expectedBlocks} blocks.`),
    };
  if (!/^\d{1,10}$/.test(raw) || Number(raw) >= expectedBlocks)
    return {
      error: badRequest(
        `blockNum must be a whole number from 0 to ${expectedBlocks - 1}; got "${raw}".`,
      ),
    };
  return { blockNum: Number(raw) };
}

/** The blockNum a block PUT names, for fault matching before the request is handled. */
export function peekBlockNum(query: URLSearchParams): number | undefined {
  const raw = query.get('blockNum') ?? query.get('blockNumber');
  return raw !== null && /^\d{1,10}$/.test(raw) ? Number(raw) : undefined;
}

/** PUT {uploadUri}: a block (202, or 201 on the one that completes the set) or the whole file. */
export async function putVideo(sandbox: Sandbox, ctx: RequestContext): Promise<Reply> {
  const target = findUploadTarget(sandbox, ctx);
  if ('error' in target) return target.error;
  const { record } = target;
  if (isEnded(record)) return gone(goneMessage(record));
  if (COMMITTED_STATES.has(record.state)) {
    // Idempotent replay for a client whose 201 got lost: nothing changes (section 6).
    await discardBody(ctx.req, ctx.res);
    return empty(201);
  }
  const expectedBlocks = record.request.expectedBlocks;
  const parsed = readBlockNum(sandbox, ctx.query, expectedBlocks);
  if ('error' in parsed) return parsed.error;
  const { blockNum } = parsed;
  const limit = blockNum === undefined ? record.request.fileSize : sandbox.options.maxBlockBytes;
  const temp = sandbox.store.tempPath();
  const received = await receiveToFile(
    ctx.req,
    ctx.res,
    temp,
    limit,
    blockNum === undefined ? 'file (its reserved fileSize)' : 'block',
    sandbox.options.uploadIdleTimeoutMs,
  );
  if (!received.ok) {
    if (blockNum === undefined && received.error.errorCode === SANDBOX_ERROR_CODES.bodyTooLarge)
      return failSingleShot(sandbox, record, received.error.errorMessage);
    return received.error;
  }
  if (received.bytes === 0) {
    await rm(temp, { force: true });
    return badRequest('The body is empty; a block carries at least one byte.');
  }
  return blockNum === undefined
    ? commitSingleShot(sandbox, record.gameClipId, temp, received.bytes)
    : storeBlock(sandbox, record.gameClipId, blockNum, temp, received.bytes);
}

async function failSingleShot(sandbox: Sandbox, record: ServiceClip, why: string): Promise<Reply> {
  const message = `${why} The clip moved to Error.`;
  await endClip(sandbox, record.gameClipId, 'Error', 'size-mismatch', message);
  return serviceError(400, SANDBOX_ERROR_CODES.sizeMismatch, message);
}

/** Re-reads the clip after a wait: it may have been deleted, expired or committed meanwhile. */
function stillOpen(sandbox: Sandbox, id: string): ServiceClip | Reply {
  const current = currentClip(sandbox, id);
  if (!current) return notFound('No upload was reserved at this URI.');
  if (isEnded(current)) return gone(goneMessage(current));
  if (current.state !== 'PendingUpload') return empty(201);
  return current;
}

function isReply(value: ServiceClip | Reply): value is Reply {
  return 'kind' in value;
}

async function storeBlock(
  sandbox: Sandbox,
  id: string,
  blockNum: number,
  temp: string,
  bytes: number,
): Promise<Reply> {
  const { store } = sandbox;
  let settled: Promise<void> | undefined;
  const reply = await store.withLock(id, async (): Promise<Reply> => {
    let record = stillOpen(sandbox, id);
    if (isReply(record)) return record;
    await store.storeBlock(id, blockNum, temp, bytes);
    record = stillOpen(sandbox, id);
    if (isReply(record)) return record;
    const expected = record.request.expectedBlocks ?? 1;
    const blocks = store.blocks(id);
    if (blocks.size < expected) return empty(202);
    // This request completes the set; the state changes before any await, so exactly one
    // request can get here and answer 201 (section 6).
    const sizes = Array.from({ length: expected }, (_, n) => blocks.get(n) ?? 0);
    const total = sizes.reduce((sum, size) => sum + size, 0);
    if (total !== record.request.fileSize) {
      const message = `The ${expected} blocks add up to ${total} bytes, but fileSize is ${record.request.fileSize}. The clip moved to Error.`;
      settled = endClip(sandbox, id, 'Error', 'size-mismatch', message);
      return serviceError(400, SANDBOX_ERROR_CODES.sizeMismatch, message);
    }
    settled = store.put({
      ...record,
      state: 'Uploaded',
      blockSizes: sizes,
      lastModified: new Date().toISOString(),
    });
    return empty(201);
  });
  if (settled) {
    await settled;
    if (reply.status === 201) sandbox.lifecycle.follow(id);
  }
  await rm(temp, { force: true });
  return reply;
}

async function commitSingleShot(
  sandbox: Sandbox,
  id: string,
  temp: string,
  bytes: number,
): Promise<Reply> {
  const { store } = sandbox;
  const record = stillOpen(sandbox, id);
  if (isReply(record)) {
    await rm(temp, { force: true });
    return record;
  }
  if (bytes !== record.request.fileSize) {
    await rm(temp, { force: true });
    return failSingleShot(
      sandbox,
      record,
      `The file is ${bytes} bytes, but fileSize is ${record.request.fileSize}.`,
    );
  }
  let commit: Promise<void> | undefined;
  const reply = await store.withLock(id, async (): Promise<Reply> => {
    const current = stillOpen(sandbox, id);
    if (isReply(current)) return current;
    await store.storeFile(temp, store.videoPath(id));
    const fresh = stillOpen(sandbox, id);
    if (isReply(fresh)) return fresh;
    commit = store.put({
      ...fresh,
      state: 'Uploaded',
      blockSizes: [bytes],
      lastModified: new Date().toISOString(),
    });
    return empty(201);
  });
  if (commit) {
    await commit;
    sandbox.lifecycle.follow(id);
  }
  await rm(temp, { force: true });
  return reply;
}

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

async function imageType(filePath: string): Promise<'image/png' | 'image/jpeg' | undefined> {
  const handle = await open(filePath, 'r');
  try {
    const head = Buffer.alloc(8);
    await handle.read(head, 0, 8, 0);
    if (head.equals(PNG_MAGIC)) return 'image/png';
    if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
    return undefined;
  } finally {
    await handle.close();
  }
}

/** PUT {large|smallThumbnailUri}: a PNG or JPEG up to 2 MiB (step 3); 201. */
export async function putThumbnail(sandbox: Sandbox, ctx: RequestContext): Promise<Reply> {
  const sizeName = (ctx.params.size ?? '').toLowerCase();
  const size: ThumbnailSize | undefined =
    sizeName === 'large' ? 'Large' : sizeName === 'small' ? 'Small' : undefined;
  const target = findUploadTarget(sandbox, ctx);
  if ('error' in target) return target.error;
  const { record } = target;
  if (size === undefined || record.request.thumbnailSource !== 'Upload')
    return notFound(
      'No thumbnail upload was reserved at this URI: thumbnailSource was not Upload.',
    );
  if (isEnded(record)) return gone(goneMessage(record));
  const temp = sandbox.store.tempPath();
  const received = await receiveToFile(
    ctx.req,
    ctx.res,
    temp,
    MAX_THUMBNAIL_BYTES,
    'thumbnail',
    sandbox.options.uploadIdleTimeoutMs,
  );
  if (!received.ok) return received.error;
  const contentType = received.bytes > 0 ? await imageType(temp) : undefined;
  if (contentType === undefined) {
    await rm(temp, { force: true });
    return badRequest(
      received.bytes === 0
        ? 'The thumbnail is empty.'
        : 'The thumbnail must be a PNG or JPEG image.',
    );
  }
  const clipId = record.gameClipId;
  const reply = await sandbox.store.withLock(clipId, async (): Promise<Reply> => {
    const before = currentClip(sandbox, clipId);
    if (!before || isEnded(before)) return gone(goneMessage(before ?? record));
    await sandbox.store.storeFile(temp, sandbox.store.thumbnailPath(clipId, size));
    const current = currentClip(sandbox, clipId);
    if (!current || isEnded(current)) return gone(goneMessage(current ?? record));
    await sandbox.store.put({
      ...current,
      thumbnails: { ...current.thumbnails, [size]: { fileSize: received.bytes, contentType } },
      lastModified: new Date().toISOString(),
    });
    return empty(201);
  });
  await rm(temp, { force: true });
  return reply;
}
