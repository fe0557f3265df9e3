/**
 * The GameClips wire contract: zod schemas for every JSON body the client reads or writes.
 *
 * Response schemas are lenient on purpose: real responses lack documented members and carry
 * undocumented ones (A25), and enums may arrive as integers (A16). Request validation lives in
 * ./validate.ts because its rules (aliases, strict mode, cross-field limits) are not a shape.
 */
import { z } from 'zod';
import {
  GAME_CLIP_STATES,
  GAME_CLIP_URI_TYPES,
  THUMBNAIL_TYPES,
  matchEnum,
  type GameClipState,
  type GameClipSource,
  type GameClipVisibility,
  type ThumbnailSource,
} from './enums';
import { describeRefusal, tokenScopeFor, type TokenScope } from './token-scope';

/** The body of `POST /users/me/scids/{scid}/clips` as this client sends it (3.1). */
export interface InitialUploadRequest {
  readonly greatestMomentId: string;
  readonly userCaption?: string;
  readonly sessionRef?: string;
  readonly dateRecorded: string;
  readonly durationInSeconds: number;
  readonly expectedBlocks?: number;
  readonly fileSize: number;
  readonly type: string;
  readonly source: GameClipSource;
  readonly visibility: GameClipVisibility;
  readonly titleData?: string;
  readonly systemProperties?: string;
  readonly usersInSession?: readonly string[];
  readonly thumbnailSource?: ThumbnailSource;
  readonly thumbnailOffsetMillseconds?: number;
  readonly savedByUser?: boolean;
}

/** The body of `POST .../clips/{gameClipId}` (3.3). */
export interface UpdateMetadataRequest {
  readonly userCaption?: string;
  readonly visibility?: GameClipVisibility;
  readonly titleData?: string;
}

/** Accepts an enum as a string (any case) or as its index in the enum table (A16). */
function lenientEnum<T extends string>(values: readonly T[]) {
  return z.union([z.string(), z.number().int()]).transform((raw): T | 'Unknown' => {
    if (typeof raw === 'number') return values[raw] ?? 'Unknown';
    return matchEnum(values, raw) ?? 'Unknown';
  });
}

/** 3.2: only `gameClipId` and `uploadUri` are always present; thumbnail URIs only for Upload (A9). */
export const InitialUploadResponseSchema = z.looseObject({
  gameClipId: z.string().min(1),
  // Bits go to these with the account token: http(s) only (file:, data:, ftp: are not uploads).
  uploadUri: z.url({ protocol: /^https?$/u }),
  largeThumbnailUri: z.url({ protocol: /^https?$/u }).optional(),
  smallThumbnailUri: z.url({ protocol: /^https?$/u }).optional(),
  uploadId: z.string().optional(),
  uploadID: z.string().optional(),
  clipName: z.string().optional(),
  titleName: z.string().optional(),
});
export type InitialUploadResponse = z.infer<typeof InitialUploadResponseSchema>;

export const GameClipThumbnailSchema = z.looseObject({
  uri: z.string(),
  fileSize: z.number().optional(),
  thumbnailType: lenientEnum(THUMBNAIL_TYPES).optional(),
});

export const GameClipUriSchema = z.looseObject({
  uri: z.string(),
  fileSize: z.number().optional(),
  uriType: lenientEnum(GAME_CLIP_URI_TYPES).optional(),
  expiration: z.string().optional(),
});

/** 3.4, tolerant of the documented, sample-only and real key sets alike (A25, A31). */
export const GameClipSchema = z
  .looseObject({
    gameClipId: z.string().optional(),
    id: z.string().optional(),
    state: lenientEnum(GAME_CLIP_STATES),
    dateRecorded: z.string().optional(),
    lastModified: z.string().optional(),
    datePublished: z.string().optional(),
    userCaption: z.string().optional(),
    type: z.string().optional(),
    source: z.string().optional(),
    visibility: z.string().optional(),
    durationInSeconds: z.number().optional(),
    scid: z.string().optional(),
    titleId: z.union([z.number(), z.string()]).optional(),
    rating: z.number().optional(),
    ratingCount: z.number().optional(),
    views: z.number().optional(),
    titleData: z.string().optional(),
    systemProperties: z.string().optional(),
    savedByUser: z.boolean().optional(),
    thumbnails: z.array(GameClipThumbnailSchema).optional(),
    gameClipUris: z.array(GameClipUriSchema).optional(),
    xuid: z.string().optional(),
    clipName: z.string().optional(),
    titleName: z.string().optional(),
  })
  .transform((clip) => ({ ...clip, gameClipId: clip.gameClipId ?? clip.id ?? '' }));
export type GameClip = z.infer<typeof GameClipSchema>;

export const GetClipResponseSchema = z.looseObject({ gameClip: GameClipSchema });

export const QueryClipsResponseSchema = z.looseObject({
  gameClips: z.array(GameClipSchema),
  pagingInfo: z
    .looseObject({
      continuationToken: z.string().nullish(),
      totalItems: z.number().nullish(),
    })
    .optional(),
});
export type QueryClipsResponse = z.infer<typeof QueryClipsResponseSchema>;

/** 3.8, the GameClips error body; 3.9 and 3.10 are the other shapes a client may meet. */
export const ServiceErrorResponseSchema = z.looseObject({
  errorCode: z.number().int().nullish(),
  errorMessage: z.string(),
});
const GameClipsServiceErrorResponseSchema = z.looseObject({
  errorSource: z.string(),
  errorResponseCode: z.number().int().nullish(),
  errorMessage: z.string(),
});
const GenericServiceErrorSchema = z.looseObject({
  code: z.number().int(),
  source: z.string().optional(),
  description: z.string(),
});

/**
 * Pulls a human sentence out of any error body a GameClips service may send (5.1): the body is
 * optional, may not be JSON, and comes in three documented shapes.
 */
export function describeErrorBody(body: unknown): { message?: string; code?: number } {
  let value: unknown = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      const text = body.trim();
      return text.length > 0 && text.length <= 300 ? { message: text } : {};
    }
  }
  // The download shape also carries errorMessage, so it is recognised first, by its errorSource.
  const download = GameClipsServiceErrorResponseSchema.safeParse(value);
  if (download.success)
    return {
      message: download.data.errorMessage,
      code: download.data.errorResponseCode ?? undefined,
    };
  const primary = ServiceErrorResponseSchema.safeParse(value);
  if (primary.success)
    return { message: primary.data.errorMessage, code: primary.data.errorCode ?? undefined };
  const generic = GenericServiceErrorSchema.safeParse(value);
  if (generic.success) return { message: generic.data.description, code: generic.data.code };
  return {};
}

/**
 * The first upload or thumbnail URI of a reserve answer that the account token may not reach
 * (issue 14): such a reservation is refused, and none of its addresses is contacted.
 */
export function untrustedUploadAddress(
  response: Pick<InitialUploadResponse, 'uploadUri' | 'largeThumbnailUri' | 'smallThumbnailUri'>,
  scope: TokenScope,
): string | undefined {
  for (const uri of [response.uploadUri, response.largeThumbnailUri, response.smallThumbnailUri]) {
    if (uri === undefined) continue;
    const decision = tokenScopeFor(uri, scope);
    if (!decision.allowed) return describeRefusal(uri, decision);
  }
  return undefined;
}

/** Whether a GET state means the service is done with the clip, successfully or not. */
export function isSettledState(state: GameClipState | 'Unknown'): boolean {
  return (
    state === 'Published' ||
    state === 'Error' ||
    state === 'Banned' ||
    state === 'Flagged' ||
    state === 'Deleted' ||
    state === 'PendingDelete'
  );
}
