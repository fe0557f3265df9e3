/**
 * What a launch asked for, read from its command line: started hidden (at login), and which video
 * files were passed to it ("open with", drag onto the icon, a second launch). Pure; main resolves
 * the paths against the launch's working directory and the intake re-validates every file.
 */
import { isCandidateName } from '../clip/file-types';
import { baseName } from '../clip/display-name';

/** The flag the login item is registered with, so a start at login stays in the tray. */
export const HIDDEN_FLAG = '--hidden';

export interface LaunchRequest {
  readonly startHidden: boolean;
  /** Arguments that name video files, as given (maybe relative). */
  readonly files: readonly string[];
}

/**
 * Reads argv after the executable. Chromium's own switches and ours start with "-"; anything
 * else that names a clip candidate (mp4, m4v, mov, mkv, webm) is a file to register.
 */
export function readLaunchArgs(argv: readonly string[]): LaunchRequest {
  const rest = argv.slice(1);
  let afterDoubleDash = false;
  const files: string[] = [];
  let startHidden = false;
  for (const arg of rest) {
    if (!afterDoubleDash && arg === '--') {
      afterDoubleDash = true;
      continue;
    }
    if (!afterDoubleDash && arg.startsWith('-')) {
      if (arg === HIDDEN_FLAG) startHidden = true;
      continue;
    }
    if (
      arg.length > 0 &&
      arg.length <= 4096 &&
      !arg.includes('\0') &&
      isCandidateName(baseName(arg))
    )
      files.push(arg);
  }
  return { startHidden, files };
}
