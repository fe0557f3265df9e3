/**
 * What the window and the CLI are told about one dropped or named file (issue 4, item 6), and
 * which dropped names are not even looked at. Pure, shared by the IPC port and the CLI.
 */
import type { ClipRecord } from '../clip/clip';
import { baseName, escapeDisplayName } from '../clip/display-name';
import { errorView, type ErrorView } from '../errors';
import type { RegisterOutcome } from '../ipc/contract';

/** How a gate run ended for one path; `known` is a file already in the ledger under that path. */
export type IntakeDecision =
  | { readonly kind: 'accepted'; readonly record: ClipRecord }
  | { readonly kind: 'moved'; readonly record: ClipRecord }
  | { readonly kind: 'known'; readonly record: ClipRecord }
  | { readonly kind: 'duplicate'; readonly record: ClipRecord; readonly of: ClipRecord }
  | { readonly kind: 'rejected'; readonly record: ClipRecord }
  | { readonly kind: 'incomplete'; readonly record: ClipRecord }
  | { readonly kind: 'ignored'; readonly path: string; readonly why: string }
  | { readonly kind: 'gone'; readonly path: string }
  /**
   * Refused without a record: a file handed in from the window (drop, dialog, "open with") that
   * did not pass the gate leaves nothing stored about it (issue 14, item 4); also a dropped
   * folder past the cap on candidate files.
   */
  | { readonly kind: 'refused'; readonly path: string; readonly error: ErrorView };

const display = (filePath: string): string => escapeDisplayName(baseName(filePath));

/** The outcome the window shows for one decided path. */
export function registerOutcome(decision: IntakeDecision): RegisterOutcome {
  switch (decision.kind) {
    case 'accepted':
    case 'moved':
      return {
        fileName: display(decision.record.file.path),
        outcome: 'accepted',
        clipId: decision.record.id,
      };
    case 'known':
      // Already in the list under this very path: the user sees which clip it is.
      return {
        fileName: display(decision.record.file.path),
        outcome: 'duplicate',
        clipId: decision.record.id,
        duplicateOf: { clipId: decision.record.id, fileName: display(decision.record.file.path) },
        error: errorView('intake/duplicate', 'This file is already in your list.'),
      };
    case 'duplicate':
      return {
        fileName: display(decision.record.file.path),
        outcome: 'duplicate',
        clipId: decision.record.id,
        duplicateOf: { clipId: decision.of.id, fileName: display(decision.of.file.path) },
        ...(decision.record.error ? { error: decision.record.error } : {}),
      };
    case 'rejected':
    case 'incomplete':
      return {
        fileName: display(decision.record.file.path),
        outcome: 'rejected',
        clipId: decision.record.id,
        error: decision.record.error ?? errorView('app/internal'),
      };
    case 'ignored':
      return {
        fileName: display(decision.path),
        outcome: 'ignored',
        error: ignoredError(decision.why),
      };
    case 'refused':
      return { fileName: display(decision.path), outcome: 'rejected', error: decision.error };
    case 'gone':
      return {
        fileName: display(decision.path),
        outcome: 'rejected',
        error: errorView('intake/missing', 'The file was not there when the app looked.'),
      };
  }
}

function ignoredError(why: string): ErrorView {
  return errorView('intake/not-a-video', why);
}

/** The short reason word the CLI prints for an intake error code ("intake/too-large" -> "too-large"). */
export function reasonWord(code: string | undefined): string {
  if (code === undefined) return 'unknown';
  const slash = code.indexOf('/');
  return slash >= 0 ? code.slice(slash + 1) : code;
}
