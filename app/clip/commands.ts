/**
 * What the user may do with a clip now: one table that the row, the editor, the batch bar, every
 * IPC handler and the CLI read (architecture.md section 8).
 *
 * Commands that change the state are asked of the lifecycle itself (`transition`), so the window
 * never offers what main would refuse, and main refuses with the same sentence it would show.
 */
import type { AppErrorCode } from '../errors';
import type { ClipRecord } from './clip';
import { transition, type LifecycleEvent } from './lifecycle';

export const CLIP_COMMANDS = [
  'send',
  'pause',
  'resume',
  'cancel',
  'retry',
  'edit',
  'keep-anyway',
  'restore',
  'locate',
  'remove-from-list',
] as const;
export type ClipCommand = (typeof CLIP_COMMANDS)[number];

export type CommandCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: AppErrorCode; readonly sentence: string };

/** The lifecycle event a command asks for; undefined for commands that are not a transition. */
export function commandEvent(
  command: ClipCommand,
  record: Pick<ClipRecord, 'upload'>,
): LifecycleEvent | undefined {
  // The block count only matters for a first upload; any positive count asks the same question.
  const expectedBlocks = record.upload?.expectedBlocks ?? 1;
  switch (command) {
    case 'send':
      return { type: 'send-requested', by: 'user', expectedBlocks };
    case 'pause':
      return { type: 'paused' };
    case 'resume':
      return { type: 'resumed', expectedBlocks };
    case 'cancel':
      return { type: 'cancelled' };
    case 'retry':
      return { type: 'retry-requested', expectedBlocks };
    case 'edit':
      return { type: 'draft-edited', patch: {} };
    case 'restore':
      return { type: 'restored' };
    case 'keep-anyway':
    case 'locate':
    case 'remove-from-list':
      return undefined;
  }
}

const NOT_NOW: AppErrorCode = 'upload/not-allowed-now';

/** Whether the user may run `command` on this clip now, and if not, why in one sentence. */
export function checkCommand(record: ClipRecord, command: ClipCommand): CommandCheck {
  const event = commandEvent(command, record);
  if (event) {
    const result = transition(record, event, record.updatedAt);
    return result.ok ? { ok: true } : { ok: false, code: result.code, sentence: result.sentence };
  }
  switch (command) {
    case 'keep-anyway':
      return record.state === 'rejected' &&
        record.error?.code === 'intake/duplicate' &&
        record.probe !== undefined
        ? { ok: true }
        : { ok: false, code: NOT_NOW, sentence: 'Only a clip refused as a duplicate can be kept.' };
    case 'locate':
      return record.state === 'missing'
        ? { ok: true }
        : {
            ok: false,
            code: NOT_NOW,
            sentence: 'Only a clip whose file is missing can be located.',
          };
    case 'remove-from-list':
      return REMOVABLE.has(record.state)
        ? { ok: true }
        : {
            ok: false,
            code: NOT_NOW,
            sentence:
              'Only finished, cancelled, refused or missing clips can be removed from the list.',
          };
    default:
      return { ok: false, code: NOT_NOW, sentence: 'That is not something a clip can do.' };
  }
}

/** States a clip may be removed from the list in (never its file); a live reservation is deleted. */
const REMOVABLE = new Set<ClipRecord['state']>([
  'published',
  'failed',
  'cancelled',
  'rejected',
  'missing',
  'incomplete',
]);

/** Everything the user may do with this clip now, in the table's order. */
export function commandsFor(record: ClipRecord): readonly ClipCommand[] {
  return CLIP_COMMANDS.filter((command) => checkCommand(record, command).ok);
}
