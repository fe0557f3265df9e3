/**
 * The block plan of an upload: consecutive pieces of at most 2,000,000 bytes numbered from 0 (A6).
 */
import { CLIENT_BLOCK_BYTES } from './limits';

export interface BlockSpan {
  readonly blockNum: number;
  readonly start: number;
  /** Exclusive end offset. */
  readonly end: number;
}

/** `expectedBlocks` for a file: at least 1, even for a tiny file, so the client always uses block mode. */
export function expectedBlockCount(fileSize: number, blockBytes = CLIENT_BLOCK_BYTES): number {
  return Math.max(1, Math.ceil(fileSize / blockBytes));
}

/** The byte range of block `blockNum`. */
export function blockSpan(
  fileSize: number,
  blockNum: number,
  blockBytes = CLIENT_BLOCK_BYTES,
): BlockSpan {
  const start = blockNum * blockBytes;
  return { blockNum, start, end: Math.min(fileSize, start + blockBytes) };
}
