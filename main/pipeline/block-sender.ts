/**
 * Sending one clip's blocks (clip-lifecycle.md section 4, spec section 5): the pending blocks go
 * out `parallelBlocks` at a time, each checked against the version reserved before it leaves;
 * every acknowledgement is journalled before the next block is taken, and the ledger learns about
 * them in batches. The outcome says what the service should do next; this file assigns no state
 * except through the lifecycle's events (blocks acked, acks forgotten).
 */
import { open, type FileHandle } from 'node:fs/promises';
import { blocksAcked, type ClipRecord } from '../../app/clip/clip';
import { mustTransition } from '../../app/clip/lifecycle';
import { blockSpan } from '../../app/gameclips/blocks';
import {
  classifyFailure,
  describeFailure as describe,
  outcomeOf,
} from '../../app/gameclips/failure';
import { CLIENT_BLOCK_BYTES } from '../../app/gameclips/limits';
import { decideRetry, type RetryPolicy } from '../../app/retry';
import { ackedBytes, blocksOf, pendingBlocks } from '../../app/upload/blocks';
import type { CallFailure } from '../gameclips/gameclips-client';
import { BlockVerifier } from './block-verifier';
import { now, sanitize, sleep } from './upload-helpers';
import { UploadJournal } from './upload-journal';
import {
  ACK_BATCH_MS,
  BLOCK_RETRY_POLICY,
  JOB_RETRY_MS,
  type BlocksOutcome,
  type UploadServiceDeps,
  type UploadSettings,
} from './upload-types';

/** Paces the bytes under the bandwidth cap (one bucket for every upload). */
export type Pace = (bytes: number, cap: number) => Promise<void>;

/** Sends the record's pending blocks; `record.reservation` carries the URIs the guard resolved. */
export async function sendBlocks(
  deps: UploadServiceDeps,
  pace: Pace,
  record: ClipRecord,
  signal: AbortSignal,
): Promise<BlocksOutcome> {
  const reservation = record.reservation!;
  const size = record.file.size;
  const expected = record.upload?.expectedBlocks ?? blocksOf(size, record.request?.expectedBlocks);
  const journal = await UploadJournal.open(deps.journalFolder, sanitize(reservation.gameClipId));
  const acked = new Set<number>([...(record.upload?.ackedBlocks ?? []), ...(await journal.read())]);
  let pending = pendingBlocks(expected, acked);
  // Every block acknowledged but no commit recorded (a crash right after the 201): a replay of
  // the last block answers 201 again and changes nothing (spec section 6).
  if (pending.length === 0) pending = [expected - 1];

  let handle: FileHandle;
  try {
    handle = await open(record.file.path, 'r');
  } catch {
    await journal.close();
    return { kind: 'gone' };
  }
  // The reference of the version being uploaded: every block sent is checked against it.
  const verifier = await BlockVerifier.open(
    deps.journalFolder,
    sanitize(reservation.gameClipId),
    record.file,
    handle,
    expected,
  ).catch(() => 'changed' as const);
  if (verifier === 'changed') {
    await handle.close().catch(() => undefined);
    await journal.close();
    return { kind: 'changed' };
  }
  const run = new BlockRun(deps, pace, record, signal, { journal, verifier, handle, acked });
  return run.send(pending);
}

interface BlockRunFiles {
  readonly journal: UploadJournal;
  readonly verifier: BlockVerifier;
  readonly handle: FileHandle;
  readonly acked: Set<number>;
}

/** One run over a clip's pending blocks: its workers share the acks, the outcome and the batch. */
class BlockRun {
  private readonly inFlight = new Map<number, number>();
  private readonly settings: UploadSettings;
  private readonly size: number;
  private committed = false;
  private outcome: BlocksOutcome | undefined;
  private unsaved = 0;
  private batchTimer: NodeJS.Timeout | undefined;
  private pathCheckedAtMs = 0;
  private pending: readonly number[] = [];
  private next = 0;

  constructor(
    private readonly deps: UploadServiceDeps,
    private readonly pace: Pace,
    private readonly record: ClipRecord,
    private readonly signal: AbortSignal,
    private readonly files: BlockRunFiles,
  ) {
    this.settings = deps.settings();
    this.size = record.file.size;
  }

  async send(pending: readonly number[]): Promise<BlocksOutcome> {
    this.pending = pending;
    this.report(true);
    try {
      const workers = Math.max(1, Math.min(this.settings.parallelBlocks, pending.length));
      await Promise.all(Array.from({ length: workers }, () => this.worker()));
    } finally {
      await this.files.handle.close().catch(() => undefined);
      await this.saveBatch();
      await this.files.verifier.saveIfChanged();
    }
    return this.finish();
  }

  private async finish(): Promise<BlocksOutcome> {
    const { journal, verifier } = this.files;
    const { ledger, logger } = this.deps;
    if (this.outcome?.kind === 'committed' || this.committed) {
      await journal.remove();
      // After the last block: a file changed since is re-decided (the reservation is dropped).
      const after = await verifier.pathCheck();
      await verifier.remove();
      if (after !== 'same') return { kind: after };
      return { kind: 'committed' };
    }
    await journal.close();
    if (this.signal.aborted) return { kind: 'aborted' };
    if (this.outcome) return this.outcome;
    // All pending blocks were acknowledged with 202 but none answered 201: the set is incomplete
    // on the service side (it lost blocks). Forget the acks so the next run sends everything.
    logger.warn('upload: every block acknowledged without a commit; sending again', {
      id: this.record.id,
    });
    const latest = ledger.get(this.record.id);
    if (latest?.upload) await ledger.put(mustTransition(latest, { type: 'acks-forgotten' }, now()));
    await journal.remove();
    return {
      kind: 'retry-later',
      code: 'gameclips/unavailable',
      detail: 'The service did not confirm the upload.',
      delayMs: 1000,
    };
  }

  // ---- progress and the ledger batch ----

  private sentBytes(): number {
    let total = ackedBytes(this.size, this.files.acked);
    for (const bytes of this.inFlight.values()) total += bytes;
    return Math.min(this.size, total);
  }

  private report(restarted = false): void {
    this.deps.events.progress?.(this.record.id, this.sentBytes(), this.size, {
      ackedBytes: ackedBytes(this.size, this.files.acked),
      ...(restarted ? { restarted } : {}),
    });
  }

  private async saveBatch(): Promise<void> {
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    if (this.unsaved === 0 && !this.committed) return;
    this.unsaved = 0;
    const latest = this.deps.ledger.get(this.record.id);
    if (!latest) return;
    await this.deps.ledger.put(blocksAcked(latest, this.files.acked, this.committed, now()));
  }

  private scheduleBatch(): void {
    this.unsaved++;
    this.batchTimer ??= setTimeout(() => void this.saveBatch(), ACK_BATCH_MS);
  }

  private stop(value: BlocksOutcome): void {
    this.outcome ??= value;
  }

  // ---- the file under the blocks ----

  /**
   * Size and mtime before each block, and each block's bytes against the reference after it is
   * read: a file rewritten mid-upload is caught before a block of the new version leaves.
   * The path (replaced by a rename?) at most every 200 ms: an lstat per 2 MB block was a tenth
   * of the client's CPU per GiB (P4). The open file is checked after every read (below).
   */
  private async checkPath(): Promise<BlocksOutcome | undefined> {
    if (Date.now() - this.pathCheckedAtMs < 200) return undefined;
    this.pathCheckedAtMs = Date.now();
    const check = await this.files.verifier.pathCheck();
    return check === 'same' ? undefined : { kind: check };
  }

  private async checkOpenFile(): Promise<BlocksOutcome | undefined> {
    const check = await this.files.verifier.check(this.files.handle);
    return check === 'same' ? undefined : { kind: check };
  }

  /** Reads a block into the buffer; anything but the reserved bytes is a problem. */
  private async readBlock(
    blockNum: number,
    buffer: Buffer,
    start: number,
    length: number,
  ): Promise<BlocksOutcome | undefined> {
    const problem = await this.checkPath();
    if (problem) return problem;
    const { bytesRead } = await this.files.handle.read(buffer, 0, length, start);
    if (bytesRead !== length) return { kind: 'changed' };
    // Read before any change to the file, and its bytes the ones first read for this block.
    const changedDuringRead = await this.checkOpenFile();
    if (changedDuringRead) return changedDuringRead;
    if (!this.files.verifier.matches(blockNum, buffer.subarray(0, length)))
      return { kind: 'changed' };
    return undefined;
  }

  // ---- the workers ----

  private async worker(): Promise<void> {
    // One zeroed buffer per worker, reused for every block it reads.
    const buffer = Buffer.alloc(CLIENT_BLOCK_BYTES);
    for (;;) {
      if (this.outcome || this.signal.aborted) return;
      const blockNum = this.pending[this.next++];
      if (blockNum === undefined) return;
      if (!(await this.sendBlock(blockNum, buffer))) return;
    }
  }

  /** Sends one block until it is acknowledged (true) or the run stops (false). */
  private async sendBlock(blockNum: number, buffer: Buffer): Promise<boolean> {
    const span = blockSpan(this.size, blockNum);
    const length = span.end - span.start;
    for (let attempt = 1; ; attempt++) {
      if (this.outcome || this.signal.aborted) return false;
      const problem = await this.readBlock(blockNum, buffer, span.start, length);
      if (problem) {
        this.stop(problem);
        return false;
      }
      const result = await this.putBlock(blockNum, buffer.subarray(0, length));
      if (result.ok) {
        await this.acknowledged(blockNum, result.status);
        return true;
      }
      if (this.signal.aborted) return false;
      const next = this.afterFailure(result.failure, attempt, blockNum);
      if ('stop' in next) {
        this.stop(next.stop);
        return false;
      }
      await sleep(next.delayMs, this.signal);
    }
  }

  private async putBlock(blockNum: number, bytes: Buffer) {
    const reservation = this.record.reservation!;
    const cap = this.settings.bandwidthCapBytesPerSecond;
    this.inFlight.set(blockNum, 0);
    const result = await this.deps.transport.putBlock(
      reservation.uploadUri,
      blockNum,
      bytes,
      reservation.uploadId,
      {
        noProgressTimeoutMs: this.deps.noProgressTimeoutMs ?? 30_000,
        signal: this.signal,
        onSent: (sent) => {
          this.inFlight.set(blockNum, (this.inFlight.get(blockNum) ?? 0) + sent);
          this.report();
        },
        ...(cap > 0 ? { pace: (paced: number) => this.pace(paced, cap) } : {}),
      },
    );
    this.inFlight.delete(blockNum);
    return result;
  }

  private async acknowledged(blockNum: number, status: number): Promise<void> {
    this.files.acked.add(blockNum);
    if (status === 201) this.committed = true;
    // The ack is on disk before this worker takes its next block (the journal's promise).
    await this.files.journal.append(blockNum);
    if (this.committed) this.stop({ kind: 'committed' });
    else this.scheduleBatch();
    this.report();
  }

  /** A failed block: stop the run with an outcome, or wait and send it again. */
  private afterFailure(
    failure: CallFailure,
    attempt: number,
    blockNum: number,
  ): BlockFailureVerdict {
    const verdict = blockFailureVerdict(failure, attempt, {
      policy: this.deps.blockPolicy ?? BLOCK_RETRY_POLICY,
      random: () => (this.deps.random ?? Math.random)(),
      logged: () =>
        this.deps.logger.debug('upload: block failed', {
          id: this.record.id,
          blockNum,
          attempt,
          failure: describe(failure),
        }),
    });
    return verdict;
  }
}

/** What a failed block leads to: the run stops with an outcome, or the block goes again later. */
export type BlockFailureVerdict = { stop: BlocksOutcome } | { delayMs: number };

/**
 * The decision after a block PUT failed (attempt counts from 1): refused addresses and redirects
 * stop at once, the one classification (app/gameclips/failure.ts) says expired or stop, and
 * anything else is retried under the policy until it gives up (then the clip waits a minute).
 */
export function blockFailureVerdict(
  failure: CallFailure,
  attempt: number,
  options: { policy: RetryPolicy; random: () => number; logged?: () => void },
): BlockFailureVerdict {
  // Never sent: the token may not go there (issue 14); trying again changes nothing.
  if (failure.kind === 'network' && failure.refused)
    return {
      stop: { kind: 'failed', code: 'gameclips/untrusted-address', ...detailOf(failure) },
    };
  if (failure.kind === 'http' && failure.status >= 300 && failure.status < 400)
    return { stop: { kind: 'failed', code: 'gameclips/redirect-refused', ...detailOf(failure) } };
  // One classification for every call; a 401 here already had the client's refresh.
  const verdict = classifyFailure('block', failure);
  if (verdict.kind === 'expired') return { stop: { kind: 'expired', ...detailOf(failure) } };
  if (verdict.kind === 'stop')
    return {
      stop: {
        kind: verdict.state === 'blocked' ? 'blocked' : 'failed',
        code: verdict.code,
        ...detailOf(failure),
      },
    };
  const decision = decideRetry(outcomeOf(failure), attempt, {
    idempotent: true,
    policy: options.policy,
    random: options.random(),
  });
  options.logged?.();
  if (!decision.retry)
    return {
      stop: {
        kind: 'retry-later',
        code: verdict.kind === 'retry' ? verdict.code : 'gameclips/unavailable',
        detail: describe(failure),
        delayMs: JOB_RETRY_MS,
      },
    };
  return { delayMs: decision.delayMs };
}

function detailOf(failure: CallFailure): { detail?: string } {
  return { detail: describe(failure) };
}
