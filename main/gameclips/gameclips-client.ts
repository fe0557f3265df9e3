/**
 * The GameClips client port: one method per protocol call, failures as values.
 *
 * A failure says whether the request certainly never left this machine (`sent: false`) or may
 * have been applied, because the reserve call is not idempotent and the two need different
 * handling (spec 5.4).
 */
import type { CallFailure } from '../../app/gameclips/failure';
import type {
  GameClip,
  InitialUploadRequest,
  InitialUploadResponse,
  QueryClipsResponse,
  UpdateMetadataRequest,
} from '../../app/gameclips/wire';

/** One shape for every call's failure; classified once, in app/gameclips/failure.ts. */
export type { CallFailure } from '../../app/gameclips/failure';

export type CallResult<T> =
  | { readonly ok: true; readonly status: number; readonly value: T }
  | { readonly ok: false; readonly failure: CallFailure };

/** Supplies the `Authorization` header value; the token itself never leaves main. */
export interface AccountProvider {
  authorization(): Promise<string | undefined>;
  /** Tries once to get a fresh token after a 401; false when the user must sign in. */
  refresh(): Promise<boolean>;
}

/**
 * The account with one refresh at a time: every call that meets a 401 at once waits for the same
 * refresh. The clients (axios and the block transport) refresh once per call and repeat it; the
 * services never refresh themselves.
 */
export function sharedRefresh(account: AccountProvider): AccountProvider {
  let refreshing: Promise<boolean> | undefined;
  return {
    authorization: () => account.authorization(),
    refresh: () => {
      refreshing ??= account.refresh().finally(() => {
        refreshing = undefined;
      });
      return refreshing;
    },
  };
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
  /** Step 3: PUT a PNG to a thumbnail URI from the reservation. */
  putThumbnail(thumbnailUri: string, png: Uint8Array): Promise<CallResult<void>>;
  /** Step 5: replace caption and/or visibility (all or nothing). */
  updateMetadata(
    scid: string,
    gameClipId: string,
    body: UpdateMetadataRequest,
  ): Promise<CallResult<void>>;
}
