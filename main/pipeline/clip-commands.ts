/**
 * The user's commands that are not upload verbs: restore a cancelled clip, locate a missing
 * file, remove a clip from the list. Each asks the same table as the window (commandsFor) first
 * and answers a refusal with its code and sentence; the state changes go through transition().
 */
import { lstat, open } from 'node:fs/promises';
import type { ClipRecord, FileIdentity } from '../../app/clip/clip';
import { checkCommand, type ClipCommand } from '../../app/clip/commands';
import { transition } from '../../app/clip/lifecycle';
import { errorView, type AppErrorCode, type ErrorView } from '../../app/errors';
import { quickFingerprint } from '../intake/fingerprint';
import type { ClipLedger } from '../ledger/clip-ledger';

export interface ClipCommandDeps {
  readonly ledger: ClipLedger;
  /** Reserves a record in `reserving` (the reservation service's queue). */
  readonly reserveAgain: (clipId: string) => void;
  /** Cancels through the uploader (aborts, deletes the reservation, never the file). */
  readonly cancel: (ids: readonly string[]) => Promise<readonly ClipRecord[]>;
}

export type CommandAnswer =
  | { readonly ok: true; readonly records: readonly ClipRecord[] }
  | { readonly ok: false; readonly error: ErrorView };

function refusal(code: AppErrorCode, sentence: string): CommandAnswer {
  return { ok: false, error: errorView(code, sentence) };
}

/**
 * Checks every id against the table. Answers the records the command applies to, or a refusal
 * when it applies to none of them (a batch skips the clips it does not apply to).
 */
export function allowed(
  ledger: ClipLedger,
  ids: readonly string[],
  command: ClipCommand,
): { readonly records: readonly ClipRecord[]; readonly refusal?: ErrorView } {
  const records: ClipRecord[] = [];
  let first: ErrorView | undefined;
  for (const id of ids) {
    const record = ledger.get(id);
    if (!record) {
      first ??= errorView('ipc/unknown-clip');
      continue;
    }
    const check = checkCommand(record, command);
    if (check.ok) records.push(record);
    else first ??= errorView(check.code, check.sentence);
  }
  return records.length === 0 && first ? { records, refusal: first } : { records };
}

/** The file as it is on disk now, or undefined when it is not a readable regular file. */
export async function identityOf(filePath: string): Promise<FileIdentity | undefined> {
  const info = await lstat(filePath).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  try {
    const handle = await open(filePath, 'r');
    try {
      const fingerprint = await quickFingerprint(handle, info.size);
      return { path: filePath, size: info.size, mtimeMs: info.mtimeMs, fingerprint };
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}

function sameContent(record: ClipRecord, identity: FileIdentity): boolean {
  return identity.size === record.file.size && identity.fingerprint === record.file.fingerprint;
}

/** Undoes a cancel: the file must still be the clip's; then it is reserved again. */
export async function restoreClips(
  deps: ClipCommandDeps,
  ids: readonly string[],
): Promise<CommandAnswer> {
  const { records, refusal: refused } = allowed(deps.ledger, ids, 'restore');
  if (refused) return { ok: false, error: refused };
  const restored: ClipRecord[] = [];
  let problem: ErrorView | undefined;
  for (const record of records) {
    const identity = await identityOf(record.file.path);
    if (!identity || !sameContent(record, identity)) {
      problem ??= errorView(
        identity ? 'upload/file-changed' : 'intake/missing',
        identity
          ? 'The file changed since the clip was cancelled; drop it on the window to add it again.'
          : 'The file is no longer where it was, so the clip cannot be restored.',
      );
      continue;
    }
    const next = transition(record, { type: 'restored' }, new Date().toISOString());
    if (!next.ok) {
      problem ??= errorView(next.code, next.sentence);
      continue;
    }
    const withFile = { ...next.record, file: identity };
    await deps.ledger.put(withFile);
    deps.reserveAgain(record.id);
    restored.push(withFile);
  }
  if (restored.length === 0 && problem) return { ok: false, error: problem };
  return { ok: true, records: restored };
}

/**
 * The user chose where a missing clip's file is now. Only the same content is accepted (identity
 * is content, not path); the clip then carries on from where it stopped.
 */
export async function locateClip(
  deps: ClipCommandDeps,
  clipId: string,
  filePath: string | undefined,
): Promise<CommandAnswer> {
  const { records, refusal: refused } = allowed(deps.ledger, [clipId], 'locate');
  if (refused) return { ok: false, error: refused };
  const record = records[0];
  if (!record) return refusal('ipc/unknown-clip', 'That clip is no longer in the list.');
  if (filePath === undefined) return { ok: true, records: [record] };
  const identity = await identityOf(filePath);
  if (!identity) return refusal('intake/unreadable', 'The chosen file could not be read.');
  if (!sameContent(record, identity))
    return refusal(
      'intake/not-this-clip',
      'The chosen file has other content than this clip; choose the file it was made from.',
    );
  const next = transition(record, { type: 'file-back', identity }, new Date().toISOString());
  if (!next.ok) return refusal(next.code, next.sentence);
  await deps.ledger.put(next.record);
  if (next.record.state === 'reserving') deps.reserveAgain(record.id);
  return { ok: true, records: [next.record] };
}

/** Removes clips from the list, never their files; a live reservation is deleted first. */
export async function removeClips(
  deps: ClipCommandDeps,
  ids: readonly string[],
): Promise<CommandAnswer> {
  const { records, refusal: refused } = allowed(deps.ledger, ids, 'remove-from-list');
  if (refused) return { ok: false, error: refused };
  const live = records
    .filter((record) => record.reservation && record.upload?.committed !== true)
    .filter((record) => checkCommand(record, 'cancel').ok)
    .map((record) => record.id);
  if (live.length > 0) await deps.cancel(live);
  for (const record of records) await deps.ledger.remove(record.id);
  return { ok: true, records };
}
