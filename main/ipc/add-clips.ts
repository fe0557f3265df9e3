/**
 * "Add clips...": the window's button and the File menu open main's own file dialog, and what the
 * user picks goes through the same gate and answers as a drop. The page never names a path; it
 * only asks for the dialog (issue 15, item 4; issue 14, item 4).
 */
import type { OpenDialogOptions } from 'electron';
import type { AddClipsKind } from '../../app/ipc/contract';
import { ok } from '../../app/ipc/result';
import type { Logger } from '../util/logger';
import type { AddClipsPort, IntakePort } from './ports';

/** The containers the intake reads (main/intake/probe.ts), as the dialog's filter. */
export const VIDEO_EXTENSIONS = ['mp4', 'm4v', 'mov', 'mkv', 'webm'] as const;

/**
 * The dialog for one kind. Windows and Linux cannot show one dialog for files and folders (they
 * would show a folder picker), so there "files" picks files and "folder" picks a folder; macOS
 * takes both in one dialog.
 */
export function addClipsDialogOptions(
  kind: AddClipsKind,
  platform: NodeJS.Platform,
): OpenDialogOptions {
  if (kind === 'folder')
    return { title: 'Add a folder of clips', buttonLabel: 'Add', properties: ['openDirectory'] };
  return {
    title: 'Add clips',
    buttonLabel: 'Add',
    properties:
      platform === 'darwin'
        ? ['openFile', 'openDirectory', 'multiSelections']
        : ['openFile', 'multiSelections'],
    filters: [
      { name: 'Video clips', extensions: [...VIDEO_EXTENSIONS] },
      { name: 'All files', extensions: ['*'] },
    ],
  };
}

export interface AddClipsDeps {
  /** Electron's `dialog.showOpenDialog`, parented to the window when there is one. */
  readonly showOpenDialog: (
    options: OpenDialogOptions,
  ) => Promise<{ readonly canceled: boolean; readonly filePaths: readonly string[] }>;
  readonly intake: Pick<IntakePort, 'registerFiles'>;
  readonly platform: NodeJS.Platform;
  readonly logger: Logger;
}

/** Builds the port; one dialog at a time (a second ask while one is open answers nothing). */
export function createAddClips(deps: AddClipsDeps): AddClipsPort {
  let open = false;
  return {
    async choose(kind) {
      if (open) return ok([]);
      open = true;
      let chosen: readonly string[];
      try {
        const answer = await deps.showOpenDialog(addClipsDialogOptions(kind, deps.platform));
        chosen = answer.canceled ? [] : answer.filePaths;
      } finally {
        open = false;
      }
      if (chosen.length === 0) return ok([]);
      deps.logger.info('add clips: the user chose files', { count: chosen.length });
      return deps.intake.registerFiles(chosen);
    },
  };
}
