/**
 * What the built-in service holds for an account, and trimming it (issue 16, item 5).
 *
 * `GET /users/me/storage`: clips, video and thumbnail bytes, and the data folder they live in.
 * `POST /users/me/storage/trim` `{ maxBytes? , olderThanDays? }`: removes the account's oldest
 * clips that the user did not mark saved (`savedByUser`), as the service's FIFO pool does, until
 * the account holds at most `maxBytes`; or removes every clip recorded more than `olderThanDays`
 * ago (saved or not: the user asked for exactly that). Answers what was removed. Only the service's
 * copies go; the user's own files are never the service's to touch.
 */
import { z } from 'zod';
import { requireClaims } from './auth';
import { endClip, isEnded, type RequestContext, type Sandbox } from './context';
import { badRequest } from './errors';
import { json, readJsonBody, type Reply } from './http-util';
import type { ServiceClip } from './store';

function heldBytes(record: ServiceClip): { video: number; thumbnails: number } {
  const video = record.assembled
    ? record.request.fileSize
    : (record.blockSizes ?? []).reduce((sum, size) => sum + size, 0);
  const thumbnails = Object.values(record.thumbnails).reduce(
    (sum, thumb) => sum + (thumb?.fileSize ?? 0),
    0,
  );
  return { video, thumbnails };
}

function held(sandbox: Sandbox, xuid: string): ServiceClip[] {
  return [...sandbox.store.ownedBy(xuid)].filter((record) => !isEnded(record));
}

function summary(sandbox: Sandbox, xuid: string): Record<string, unknown> {
  const records = held(sandbox, xuid);
  let videoBytes = 0;
  let thumbnailBytes = 0;
  for (const record of records) {
    const bytes = heldBytes(record);
    videoBytes += bytes.video;
    thumbnailBytes += bytes.thumbnails;
  }
  return {
    clips: records.length,
    savedClips: records.filter((record) => record.request.savedByUser).length,
    videoBytes,
    thumbnailBytes,
    totalBytes: videoBytes + thumbnailBytes,
    dataDir: sandbox.options.dataDir,
  };
}

/** GET /users/me/storage. */
export async function storageSummary(sandbox: Sandbox, ctx: RequestContext): Promise<Reply> {
  const missing = requireClaims(ctx.claims, ['Xuid']);
  if (missing) return missing;
  return json(200, summary(sandbox, ctx.claims.Xuid as string));
}

const TrimSchema = z
  .object({
    maxBytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    olderThanDays: z.number().int().min(0).max(36_500).optional(),
  })
  .strict()
  .refine((body) => (body.maxBytes === undefined) !== (body.olderThanDays === undefined), {
    message: 'give exactly one of maxBytes and olderThanDays',
  });

/** POST /users/me/storage/trim. */
export async function trimStorage(sandbox: Sandbox, ctx: RequestContext): Promise<Reply> {
  const missing = requireClaims(ctx.claims, ['Xuid']);
  if (missing) return missing;
  const xuid = ctx.claims.Xuid as string;
  const body = await readJsonBody(
    ctx.req,
    ctx.res,
    sandbox.options.maxJsonBytes,
    sandbox.options.jsonBodyTimeoutMs,
  );
  if (!body.ok) return body.error;
  const parsed = TrimSchema.safeParse(body.value);
  if (!parsed.success)
    return badRequest(
      'The body is { "maxBytes": <bytes> } or { "olderThanDays": <days> }, exactly one of them.',
    );
  const oldestFirst = held(sandbox, xuid).sort(
    (a, b) =>
      a.request.dateRecorded.localeCompare(b.request.dateRecorded) ||
      a.createdAt.localeCompare(b.createdAt),
  );
  const removed: ServiceClip[] = [];
  if (parsed.data.olderThanDays !== undefined) {
    const cutoff = Date.now() - parsed.data.olderThanDays * 86_400_000;
    for (const record of oldestFirst)
      if (Date.parse(record.request.dateRecorded) < cutoff) removed.push(record);
  } else {
    let total = oldestFirst.reduce((sum, record) => {
      const bytes = heldBytes(record);
      return sum + bytes.video + bytes.thumbnails;
    }, 0);
    for (const record of oldestFirst) {
      if (total <= parsed.data.maxBytes!) break;
      if (record.request.savedByUser || record.state !== 'Published') continue;
      const bytes = heldBytes(record);
      total -= bytes.video + bytes.thumbnails;
      removed.push(record);
    }
  }
  const reason =
    parsed.data.olderThanDays !== undefined
      ? `Removed: recorded more than ${parsed.data.olderThanDays} days ago.`
      : 'Removed to keep the service under its storage cap.';
  await Promise.all(
    removed.map((record) => endClip(sandbox, record.gameClipId, 'Deleted', 'deleted', reason)),
  );
  return json(200, {
    removed: removed.map((record) => record.gameClipId),
    ...summary(sandbox, xuid),
  });
}
