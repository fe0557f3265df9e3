/**
 * `register`'s answer, built by whichever process owns the data folder: the CLI itself when it
 * holds the folder, or the running app/watcher it handed the files to. One line per file, each
 * with its outcome and reason, so the CLI prints the same answer either way (issue 15 item 10).
 */
import type { ClipRecord } from '../../app/clip/clip';
import { reasonWord, type IntakeDecision } from '../../app/intake/register-outcome';
import type { ClipLedger } from '../ledger/clip-ledger';

/** What became of one named file. `reserved` includes a file reserved earlier (`reason`). */
export interface RegisterLine {
  readonly path: string;
  readonly outcome: string;
  readonly reason?: string;
  readonly clipId?: string;
  readonly gameClipId?: string;
}

export interface RegisterReport {
  readonly lines: readonly RegisterLine[];
  /** True when every file ended reserved (now or earlier): the CLI exits 0. */
  readonly allReserved: boolean;
}

export interface RegisterDeps {
  readonly intake: {
    registerFiles(paths: readonly string[], origin: 'cli'): Promise<IntakeDecision[]>;
  };
  readonly ledger: Pick<ClipLedger, 'get' | 'subscribe'>;
}

/** States after which a registered clip needs nothing more from this run. */
const SETTLED = new Set([
  'reserved',
  'blocked',
  'rejected',
  'failed',
  'missing',
  'cancelled',
  'uploading',
  'paused',
  'processing',
  'published',
  'incomplete',
]);

/**
 * Registers the files through the intake, waits until each accepted clip is reserved or stopped
 * (or `signal` ends the wait), and describes each file once.
 */
export async function registerAndReport(
  deps: RegisterDeps,
  paths: readonly string[],
  signal?: AbortSignal,
): Promise<RegisterReport> {
  const decisions = await deps.intake.registerFiles(paths, 'cli');
  const waitFor = decisions.flatMap((decision) =>
    decision.kind === 'accepted' || decision.kind === 'moved' || decision.kind === 'known'
      ? [decision.record.id]
      : [],
  );
  await new Promise<void>((resolve) => {
    const done = () => {
      unsubscribe();
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const check = () => {
      if (waitFor.every((id) => SETTLED.has(deps.ledger.get(id)?.state ?? 'missing'))) done();
    };
    const unsubscribe = deps.ledger.subscribe(check);
    signal?.addEventListener('abort', done, { once: true });
    check();
  });
  const lines = decisions.map((decision) => registrationLine(decision, deps.ledger));
  return { lines, allReserved: lines.every((line) => line.outcome === 'reserved') };
}

function registrationLine(decision: IntakeDecision, ledger: Pick<ClipLedger, 'get'>): RegisterLine {
  if (decision.kind === 'ignored')
    return { path: decision.path, outcome: 'ignored', reason: 'ignored' };
  if (decision.kind === 'gone')
    return { path: decision.path, outcome: 'rejected', reason: 'missing' };
  if (decision.kind === 'refused')
    return { path: decision.path, outcome: 'rejected', reason: reasonWord(decision.error.code) };
  const record: ClipRecord = ledger.get(decision.record.id) ?? decision.record;
  const reservation = record.reservation
    ? { gameClipId: record.reservation.gameClipId }
    : undefined;
  // Reserved before this run (or by the watcher a moment ago): it is reserved, with its ids.
  if (decision.kind === 'known' && reservation && isReservedOrBeyond(record))
    return {
      path: record.file.path,
      outcome: 'reserved',
      reason: record.state === 'reserved' ? 'already reserved' : `already ${record.state}`,
      clipId: record.id,
      ...reservation,
    };
  if (
    isReservedOrBeyond(record) &&
    reservation &&
    (decision.kind === 'accepted' || decision.kind === 'moved')
  )
    return { path: record.file.path, outcome: 'reserved', clipId: record.id, ...reservation };
  return {
    path: record.file.path,
    outcome:
      record.state === 'rejected' || record.state === 'incomplete' ? 'rejected' : record.state,
    reason:
      decision.kind === 'known' || decision.kind === 'duplicate'
        ? 'duplicate'
        : reasonWord(record.error?.code),
    clipId: record.id,
  };
}

function isReservedOrBeyond(record: ClipRecord): boolean {
  return ['reserved', 'uploading', 'paused', 'processing', 'published'].includes(record.state);
}
