/**
 * The GameClips client port: one method per protocol call, failures as values.
 *
 * A failure says whether the request certainly never left this machine (`sent: false`) or may
 * have been applied, because the reserve call is not idempotent and the two need different
 * handling (spec 5.4).
 */
import type {
  GameClip,
  InitialUploadRequest,
  InitialUploadResponse,
  QueryClipsResponse,
  UpdateMetadataRequest,
} from '../../app/gameclips/wire';

export type CallFailure =
  | {
      readonly kind: 'http';
      readonly status: number;
      readonly retryAfterSeconds?: number;
      readonly message?: string;
      readonly errorCode?: number;
    }
  | {
      readonly kind: 'network';
      readonly sent: boolean;
      readonly message: string;
      /** Nothing moved for the no-progress timeout (a stalled socket), so it was cut. */
      readonly stalled?: boolean;
      /** Refused before it left: the token may not go to that URL (issue 14). */
      readonly refused?: 'token-scope';
    }
  | { readonly kind: 'malformed'; readonly status: number; readonly message: string };

export type CallResult<T> =
  | { readonly ok: true; readonly status: number; readonly value: T }
  | { readonly ok: false; readonly failure: CallFailure };

/** Supplies the `Authorization` header value; the token itself never leaves main. */
export interface AccountProvider {
  authorization(): Promise<string | undefined>;
  /** Tries once to get a fresh token after a 401; false when the user must sign in. */
  refresh(): Promise<boolean>;
}

export interface GameClipsClient {
  readonly baseUrl: string;
  reserve(scid: string, body: InitialUploadRequest): Promise<CallResult<InitialUploadResponse>>;
  getClip(scid: string, gameClipId: string): Promise<CallResult<GameClip>>;
  listClips(
    scid: string,
    page: { continuationToken?: string; maxItems?: number },
  ): Promise<CallResult<QueryClipsResponse>>;
  deleteClip(scid: string, gameClipId: string): Promise<CallResult<void>>;
  putBlock(
    uploadUri: string,
    blockNum: number,
    data: Uint8Array,
    uploadId?: string,
  ): Promise<CallResult<void>>;
  /** Step 3: PUT a PNG to a thumbnail URI from the reservation. */
  putThumbnail(thumbnailUri: string, png: Uint8Array): Promise<CallResult<void>>;
  /** Step 5: replace caption and/or visibility (all or nothing). */
  updateMetadata(
    scid: string,
    gameClipId: string,
    body: UpdateMetadataRequest,
  ): Promise<CallResult<void>>;
}
