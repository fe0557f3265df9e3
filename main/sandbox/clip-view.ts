/**
 * How a stored clip looks on the wire, and who may see it.
 *
 * The GameClip object is the union of the documented members and every member real responses
 * carry (3.4, A25), so clients written against either model work. Assets (download and thumbnail
 * URIs) appear once the clip is Published, as signed links that expire (3.7).
 */
import type { Claims } from './auth';
import type { ServiceClip, ThumbnailSize } from './store';
import type { Signer } from './signing';

export const VIDEO_ASSET = 'GameClip-Original.MP4';

/** The asset file name of a thumbnail, by size and stored type. */
export function thumbnailAsset(size: ThumbnailSize, contentType: string): string {
  return `Thumbnail_${size}.${contentType === 'image/jpeg' ? 'JPG' : 'PNG'}`;
}

/** The path of a clip's asset under /content/, which the content route serves. */
export function contentPath(gameClipId: string, asset: string): string {
  return `/content/${gameClipId}/${asset}`;
}

/** Whether `caller` may see `record` (section 6, GET single clip). */
export function canSee(record: ServiceClip, caller: Claims): boolean {
  if (record.state === 'Deleted' || record.state === 'PendingDelete') return false;
  if (record.xuid === caller.Xuid) return true;
  if (record.state !== 'Published') return false;
  switch (record.visibility) {
    case 'Public':
    case 'Default':
      return true;
    case 'Title':
      return caller.TitleId === record.titleId;
    case 'Owner':
    case 'None':
      return false;
  }
}

export interface ViewContext {
  readonly origin: string;
  readonly signer: Signer;
  readonly now: number;
  readonly downloadUriTtlMs: number;
  readonly titleName: string;
}

/** The average of the integer ratings (A27), 0 when there are none. */
export function averageRating(record: ServiceClip): { rating: number; ratingCount: number } {
  const values = Object.values(record.ratings);
  if (values.length === 0) return { rating: 0, ratingCount: 0 };
  return {
    rating: values.reduce((sum, value) => sum + value, 0) / values.length,
    ratingCount: values.length,
  };
}

/** Renders a record as a GameClip (3.4). */
export function toGameClip(record: ServiceClip, view: ViewContext): Record<string, unknown> {
  const published = record.state === 'Published';
  const expiresAt = view.now + view.downloadUriTtlMs;
  const expiration = wireTime(new Date(expiresAt).toISOString());
  const link = (asset: string): string => {
    const pathname = contentPath(record.gameClipId, asset);
    return `${view.origin}${pathname}?${view.signer.contentQuery(pathname, expiresAt)}`;
  };
  const thumbnails = published
    ? (['Small', 'Large'] as const).flatMap((size) => {
        const stored = record.thumbnails[size];
        return stored
          ? [
              {
                uri: link(thumbnailAsset(size, stored.contentType)),
                fileSize: stored.fileSize,
                thumbnailType: size,
              },
            ]
          : [];
      })
    : [];
  const gameClipUris =
    published && record.assembled
      ? [
          {
            uri: link(VIDEO_ASSET),
            fileSize: record.request.fileSize,
            uriType: 'Download',
            expiration,
          },
        ]
      : [];
  const { rating, ratingCount } = averageRating(record);
  return {
    gameClipId: record.gameClipId,
    state: record.state,
    ...(record.datePublished ? { datePublished: wireTime(record.datePublished) } : {}),
    // The client's own value, exactly as it sent it (no reformatting).
    dateRecorded: record.request.dateRecorded,
    lastModified: wireTime(record.lastModified),
    userCaption: record.userCaption,
    type: record.request.type,
    source: record.request.source,
    visibility: record.visibility,
    durationInSeconds: record.request.durationInSeconds,
    scid: record.scid,
    titleId: Number(record.titleId),
    rating,
    ratingCount,
    views: record.views,
    titleData: record.titleData,
    systemProperties: record.request.systemProperties ?? '',
    savedByUser: record.request.savedByUser ?? false,
    achievementId: '',
    greatestMomentId: record.request.greatestMomentId,
    thumbnails,
    gameClipUris,
    xuid: record.xuid,
    // The sandbox has no Partner Center string table, so the "localized" name is the id itself.
    clipName: record.request.greatestMomentId,
    titleName: view.titleName,
    gameClipLocale: record.locale,
    clipContentAttributes: 'None',
    deviceType: record.deviceType,
    commentCount: 0,
    likeCount: 0,
    shareCount: 0,
    partialViews: 0,
  };
}

/** Reads a timestamp that may lack a zone (3) as UTC. */
export function toUtc(value: string): string {
  return /Z$|[+-]\d{2}:\d{2}$/.test(value) ? value : `${value}Z`;
}

/**
 * A timestamp the service itself writes, in the real service's format: seven fraction digits and
 * `Z` (`2017-11-10T07:12:27.4353527Z`, as in the real captures). Stored values are ISO strings
 * with three digits; they are padded on the way out.
 */
export function wireTime(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,7}))?Z$/.exec(iso);
  if (!match) return iso;
  return `${match[1]}.${(match[2] ?? '').padEnd(7, '0')}Z`;
}
