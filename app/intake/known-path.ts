/**
 * What the intake does with a file at a path the ledger already knows (issue 13, item 3: paths
 * are not identities). A path can hold several records over time: a published clip, then a new
 * recording saved under the same name. Content identity (size + mtime, then the fingerprint)
 * decides which record, if any, the file is; the path alone decides nothing. Pure.
 */
import type { ClipRecord, ClipState } from '../clip/clip';

/** States in which the pipeline owns the clip: it checks the file itself before any upload. */
const PIPELINE_STATES: ReadonlySet<ClipState> = new Set([
  'reserving',
  'waiting-retry',
  'reserved',
  'uploading',
  'paused',
  'blocked',
]);

/** States after which a deleted or renamed file is marked missing by the watcher, not at upload time. */
const WATCHED_FOR_MISSING: ReadonlySet<ClipState> = new Set(['reserved', 'paused']);

export function isPipelineOwned(record: ClipRecord): boolean {
  return PIPELINE_STATES.has(record.state);
}

/**
 * An outcome for the file rather than a clip (refused, unfinished, or missing with nothing
 * reserved): a new decision about the same path may reuse its record.
 */
export function isReusableOutcome(record: ClipRecord): boolean {
  return (
    record.state === 'rejected' ||
    record.state === 'incomplete' ||
    (record.state === 'missing' && record.reservation === undefined)
  );
}

/** A missing clip that still holds its reservation: its file coming back restores it. */
export function isRestorable(record: ClipRecord): boolean {
  return (
    record.state === 'missing' &&
    record.reservation !== undefined &&
    record.upload?.committed !== true
  );
}

/** A reserved clip whose file's deletion the watcher reports at once (not uploading: nothing else looks). */
export function isWatchedForMissing(record: ClipRecord): boolean {
  return WATCHED_FOR_MISSING.has(record.state) && record.reservation !== undefined;
}

export interface ListedFile {
  readonly size: number;
  readonly mtimeMs: number;
}

/**
 * Whether the reconcile scan takes a listed file through the gate: not when a record at its path
 * already has its size and mtime (unless that record is a missing clip the file restores), nor
 * when a clip the pipeline owns is there (it checks its own file before uploading); otherwise
 * yes: a different file at the path of a published, cancelled, rejected or missing clip.
 */
export function needsDecision(recordsAtPath: readonly ClipRecord[], file: ListedFile): boolean {
  const same = recordsAtPath.filter(
    (record) => record.file.size === file.size && record.file.mtimeMs === file.mtimeMs,
  );
  if (same.length > 0) return same.every(isRestorable);
  return !recordsAtPath.some(isPipelineOwned);
}

/** The record at this path that holds exactly this content, outcomes aside. */
export function sameContent(
  recordsAtPath: readonly ClipRecord[],
  identity: { readonly size: number; readonly fingerprint: string },
): ClipRecord | undefined {
  return recordsAtPath.find(
    (record) =>
      !isReusableOutcome(record) &&
      record.file.size === identity.size &&
      record.file.fingerprint === identity.fingerprint,
  );
}

/** A duplicate refused because of `original`'s content: to be decided again when the original goes. */
export function isDuplicateOf(candidate: ClipRecord, original: ClipRecord): boolean {
  return (
    candidate.id !== original.id &&
    candidate.state === 'rejected' &&
    candidate.error?.code === 'intake/duplicate' &&
    candidate.file.path !== original.file.path &&
    candidate.file.size === original.file.size &&
    candidate.file.fingerprint === original.file.fingerprint
  );
}
