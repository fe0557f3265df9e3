/**
 * MediaHub's read route (issue 16, item 7): `POST /gameclips/search`, the newer Xbox Live read API
 * (`mediahub.xboxlive.com`, contract version 3) that current third-party tools use to list clips.
 * The request is what those tools send (`{ max, query: "OwnerXuid eq <xuid>", skip }`); the answer
 * has the shape of the real capture (`../shared/spec/fixtures/thirdparty-openxbox-mediahub-
 * gameclips-own.json`): `{ values: [content record] }`, every member with the capture's type.
 */
import { z } from 'zod';
import { requireClaims } from './auth';
import { VIDEO_ASSET, canSee, contentPath, thumbnailAsset, toUtc, wireTime } from './clip-view';
import { currentClip, type RequestContext, type Sandbox } from './context';
import { badRequest } from './errors';
import { json, readJsonBody, type Reply } from './http-util';
import type { ServiceClip } from './store';

/** Page size when `max` is absent; tools ask for up to 500 at a time. */
export const MEDIAHUB_DEFAULT_MAX = 100;
export const MEDIAHUB_MAX = 1000;

const SearchSchema = z.object({
  query: z.string().max(512),
  max: z.number().int().min(0).max(MEDIAHUB_MAX).optional(),
  skip: z.number().int().min(0).max(1_000_000).optional(),
});

/** The one query form in use: `OwnerXuid eq <xuid>` (field name in any case). */
const OWNER_QUERY = /^\s*ownerxuid\s+eq\s+(\d{1,20})\s*$/i;

/** The region part of a locale (`de-DE` -> `DE`), `""` when it has none. */
function regionOf(locale: string): string {
  const region = locale.split('-')[1] ?? '';
  return /^[A-Za-z]{2}$/.test(region) ? region.toUpperCase() : '';
}

/** A clip as MediaHub describes it (the capture's members, in its order). */
function toContent(sandbox: Sandbox, ctx: RequestContext, record: ServiceClip): unknown {
  const published = record.state === 'Published';
  const expiresAt = Date.now() + sandbox.options.downloadUriTtlMs;
  const link = (asset: string): string => {
    const pathname = contentPath(record.gameClipId, asset);
    return `${ctx.origin}${pathname}?${sandbox.signer.contentQuery(pathname, expiresAt)}`;
  };
  const locators: unknown[] = [];
  if (published && record.assembled)
    locators.push({
      expiration: wireTime(new Date(expiresAt).toISOString()),
      fileSize: record.request.fileSize,
      locatorType: 'Download',
      uri: link(VIDEO_ASSET),
    });
  if (published)
    for (const size of ['Small', 'Large'] as const) {
      const stored = record.thumbnails[size];
      if (stored)
        locators.push({
          locatorType: `Thumbnail_${size}`,
          uri: link(thumbnailAsset(size, stored.contentType)),
        });
    }
  const creationType = record.request.type.split(',')[0]?.trim() ?? '';
  const titleId = Number(record.titleId);
  return {
    commentCount: 0,
    contentId: record.gameClipId,
    contentLocators: locators,
    contentSegments: [
      {
        creationType,
        creatorChannelId: null,
        creatorXuid: Number(record.xuid),
        durationInSeconds: record.request.durationInSeconds,
        offset: 0,
        recordDate: record.request.dateRecorded,
        secondaryTitleId: null,
        segmentId: 1,
        titleId,
      },
    ],
    contentState: record.state,
    creationType,
    durationInSeconds: record.request.durationInSeconds,
    enforcementState: record.state === 'Flagged' ? 'Flagged' : 'None',
    // The sandbox does not decode videos: 0 means "not known".
    frameRate: 0,
    greatestMomentId: record.request.greatestMomentId,
    likeCount: 0,
    localId: record.gameClipId,
    ownerXuid: Number(record.xuid),
    resolutionHeight: 0,
    resolutionWidth: 0,
    safetyThreshold: 'None',
    sandboxId: 'RETAIL',
    sessions: [],
    shareCount: 0,
    sharedTo: [],
    titleData: record.titleData,
    titleId,
    titleName: sandbox.registry.titleName(record.titleId),
    tournaments: [],
    uploadDate: wireTime(record.createdAt),
    uploadDeviceType: record.deviceType,
    uploadLanguage: record.locale,
    uploadRegion: regionOf(record.locale),
    uploadTitleId: titleId,
    userCaption: record.userCaption,
    viewCount: record.views,
  };
}

/** POST /gameclips/search: one owner's clips the caller may see, newest recording first. */
export async function searchClips(sandbox: Sandbox, ctx: RequestContext): Promise<Reply> {
  const missing = requireClaims(ctx.claims, ['Xuid']);
  if (missing) return missing;
  const body = await readJsonBody(
    ctx.req,
    ctx.res,
    sandbox.options.maxJsonBytes,
    sandbox.options.jsonBodyTimeoutMs,
  );
  if (!body.ok) return body.error;
  const parsed = SearchSchema.safeParse(body.value);
  if (!parsed.success)
    return badRequest(
      `The search needs { query: "OwnerXuid eq <xuid>", max?, skip? } with max at most ${MEDIAHUB_MAX}.`,
    );
  const owner = OWNER_QUERY.exec(parsed.data.query)?.[1];
  if (owner === undefined)
    return badRequest(
      `The sandbox answers the query "OwnerXuid eq <xuid>" only; got "${parsed.data.query}".`,
    );
  const found: ServiceClip[] = [];
  for (const stored of sandbox.store.ownedBy(owner)) {
    const record = currentClip(sandbox, stored.gameClipId) ?? stored;
    if (canSee(record, ctx.claims)) found.push(record);
  }
  found.sort(
    (a, b) =>
      Date.parse(toUtc(b.request.dateRecorded)) - Date.parse(toUtc(a.request.dateRecorded)) ||
      b.createdAt.localeCompare(a.createdAt) ||
      a.gameClipId.localeCompare(b.gameClipId),
  );
  const skip = parsed.data.skip ?? 0;
  const max = parsed.data.max || MEDIAHUB_DEFAULT_MAX;
  return json(200, {
    values: found.slice(skip, skip + max).map((record) => toContent(sandbox, ctx, record)),
  });
}
