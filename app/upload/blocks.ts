/**
 * The block schedule of one upload: which blocks are still owed, and how many bytes are acked.
 */
import { blockSpan, expectedBlockCount } from '../gameclips/blocks';

/** Block numbers not yet acknowledged, lowest first, so a resumed upload fills holes in order. */
export function pendingBlocks(expectedBlocks: number, acked: Iterable<number>): number[] {
  const done = new Set(acked);
  const pending: number[] = [];
  for (let blockNum = 0; blockNum < expectedBlocks; blockNum++)
    if (!done.has(blockNum)) pending.push(blockNum);
  return pending;
}

/** Bytes covered by the acknowledged blocks of a file of `fileSize` bytes. */
export function ackedBytes(fileSize: number, acked: Iterable<number>): number {
  let total = 0;
  for (const blockNum of new Set(acked)) {
    const span = blockSpan(fileSize, blockNum);
    if (span.end > span.start) total += span.end - span.start;
  }
  return total;
}

/** The block count of a reservation: what was sent in the request, else what the size implies. */
export function blocksOf(fileSize: number, requested: number | undefined): number {
  return requested ?? expectedBlockCount(fileSize);
}
