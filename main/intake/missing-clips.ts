/**
 * The intake's part of a missing clip's "Locate..." and "Remove" commands (issue 12, item 7): the
 * commands themselves belong to the lifecycle; these re-check a file's identity and restore the
 * clip, or take it off the list and hand its reservation back for deletion on the service.
 */
import path from 'node:path';
import { clipFileReturned, type ClipRecord, type Reservation } from '../../app/clip/clip';
import type { AppErrorCode } from '../../app/errors';
import { isRestorable } from '../../app/intake/known-path';
import type { ClipLedger } from '../ledger/clip-ledger';
import { checkCompletion } from './completion-gate';

export type LocateResult =
  | { readonly ok: true; readonly record: ClipRecord }
  | { readonly ok: false; readonly code: AppErrorCode; readonly detail: string };

export type RemoveResult =
  | { readonly ok: true; readonly reservation?: Reservation }
  | { readonly ok: false; readonly code: AppErrorCode };

export interface LocateOptions {
  readonly stabilityMs: number;
  readonly withOpenFile?: <T>(task: () => Promise<T>) => Promise<T>;
}

/**
 * If the file at `newPath` is the missing clip's content (size and fingerprint, through the same
 * gate as any clip), the clip takes that path and resumes with its reservation; otherwise a code
 * says why not (not a missing clip, no file there, another file).
 */
export async function locateMissingClip(
  ledger: ClipLedger,
  clipId: string,
  newPath: string,
  options: LocateOptions,
): Promise<LocateResult> {
  const record = ledger.get(clipId);
  if (!record) return { ok: false, code: 'ipc/unknown-clip', detail: 'There is no such clip.' };
  if (!isRestorable(record))
    return {
      ok: false,
      code: 'upload/not-allowed-now',
      detail: 'Only a missing clip that still holds its reservation can be located.',
    };
  const result = await checkCompletion(path.resolve(newPath), {
    stabilityMs: options.stabilityMs,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    nowMs: () => Date.now(),
    ...(options.withOpenFile ? { withOpenFile: options.withOpenFile } : {}),
  });
  if (result.kind === 'gone')
    return { ok: false, code: 'intake/missing', detail: 'There is no file there.' };
  if (
    result.kind !== 'ready' ||
    result.identity.size !== record.file.size ||
    result.identity.fingerprint !== record.file.fingerprint
  )
    return {
      ok: false,
      code: 'upload/file-changed',
      detail: 'That file is not this clip: its size or content differs from what was reserved.',
    };
  const latest = ledger.get(clipId);
  if (!latest || !isRestorable(latest))
    return { ok: false, code: 'upload/not-allowed-now', detail: 'The clip changed meanwhile.' };
  const restored = clipFileReturned(
    { ...latest, probe: result.probe },
    result.identity,
    new Date().toISOString(),
  );
  await ledger.put(restored);
  return { ok: true, record: restored };
}

/**
 * Takes a missing clip off the list. Answers the reservation it held: intake has no client, so
 * the caller hands it to the pipeline to delete on the service.
 */
export async function removeMissingClip(ledger: ClipLedger, clipId: string): Promise<RemoveResult> {
  const record = ledger.get(clipId);
  if (!record) return { ok: false, code: 'ipc/unknown-clip' };
  if (record.state !== 'missing') return { ok: false, code: 'upload/not-allowed-now' };
  await ledger.remove(clipId);
  return { ok: true, ...(record.reservation ? { reservation: record.reservation } : {}) };
}
