/**
 * Numbers the GameClips protocol fixes (../shared/spec/gameclips-protocol.md).
 * Kept in one place so the client, the sandbox and the window agree on every limit.
 */

/** `fileSize` and `durationInSeconds` are uint32 on the wire. */
export const MAX_UINT32 = 4_294_967_295;
/** `thumbnailOffsetMillseconds` is int32. */
export const MAX_INT32 = 2_147_483_647;
/** Caption limit, counted in UTF-16 code units as a .NET service counts. */
export const MAX_CAPTION_UTF16 = 250;
/** The client never sends a block over 2,000,000 bytes, so it fits either reading of "2 MB" (A6). */
export const CLIENT_BLOCK_BYTES = 2_000_000;
/** The sandbox accepts blocks up to 2 MiB (A6). */
export const SERVICE_MAX_BLOCK_BYTES = 2_097_152;
/** Upper bound of `expectedBlocks` (section 6, reserve step 3). */
export const MAX_EXPECTED_BLOCKS = 65_535;
/** `titleData` limit: 10 KB read as 10,240 UTF-8 bytes (A23). */
export const MAX_TITLE_DATA_BYTES = 10_240;
/** Continuation tokens: the sandbox issues at most 32 characters and accepts up to 36 (A26). */
export const MAX_CONTINUATION_TOKEN_CHARS = 36;
/** Thumbnail sizes, width x height, 16:9 (A10). */
export const THUMBNAIL_SIZES = {
  Large: { width: 754, height: 424 },
  Small: { width: 370, height: 208 },
} as const;
