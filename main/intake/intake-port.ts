/**
 * The intake's IPC port (main/ipc/ports.ts): drag-and-drop registration and "keep this
 * duplicate", both through the same ClipIntake as the watched folders.
 */
import { toClipView } from '../../app/clip/views';
import { registerOutcome } from '../../app/intake/register-outcome';
import { fail, ok } from '../../app/ipc/result';
import type { IntakePort } from '../ipc/ports';
import type { ClipIntake } from './clip-intake';

/** Builds the port over an intake that may still be starting. */
export function createIntakePort(intake: () => Promise<ClipIntake>): IntakePort {
  return {
    async registerFiles(paths) {
      const decisions = await (await intake()).registerFiles(paths, 'drop');
      return ok(decisions.map(registerOutcome));
    },
    async forceDuplicate(clipId) {
      const result = await (await intake()).forceDuplicate(clipId);
      if (!result.ok)
        return fail(
          result.code,
          result.code === 'ipc/invalid-arguments'
            ? 'Only a clip refused as a duplicate can be kept anyway.'
            : undefined,
        );
      return ok(toClipView(result.record));
    },
  };
}
