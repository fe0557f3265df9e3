/**
 * What the user is told about each watched folder (issue 4, item 7): watching, scanning, polling,
 * missing (deleted, waiting for it to come back) or error, with one sentence saying what happened
 * and what to do. Pure, so the window, the CLI and the tests share the exact words.
 */
import type { IntakeRootStatus, IntakeStatus } from '../ipc/contract';
import { escapeDisplayName } from '../clip/display-name';

/**
 * statfs(2) magic numbers of file systems whose changes do not reach inotify/FSEvents: network
 * shares and user-space file systems change on another machine or process, so events never come.
 */
const EVENTLESS_FILE_SYSTEMS: ReadonlyMap<number, string> = new Map([
  [0x6969, 'NFS'],
  [0x517b, 'SMB'],
  [0xff534d42, 'CIFS'],
  [0xfe534d42, 'SMB2'],
  [0x65735546, 'FUSE'],
  [0x01021997, '9P'],
  [0x786f4256, 'VirtualBox shared folder'],
  [0x5346414f, 'AFS'],
  [0x73757245, 'Coda'],
  [0x47504653, 'GPFS'],
  [0x0bd00bd0, 'Lustre'],
  [0x013111a8, 'IBRIX'],
]);

/** The name of a file system that delivers no change events, or undefined for a local one. */
export function eventlessFileSystemName(statfsType: number | bigint): string | undefined {
  return EVENTLESS_FILE_SYSTEMS.get(Number(statfsType));
}

/** How long a polled root waits between looks: long, because polling 10,000 files costs CPU (P2). */
export const POLLING_INTERVAL_MS = 30_000;

/** One sentence for a watcher error on `folder`: what happened and the next step. */
export function watcherErrorMessage(code: string | undefined, detail: string): string {
  switch (code) {
    case 'ENOSPC':
      return 'The system ran out of file watches, so new clips here are found only by the periodic scan. Raise fs.inotify.max_user_watches (e.g. sudo sysctl fs.inotify.max_user_watches=524288) or watch fewer folders.';
    case 'EMFILE':
    case 'ENFILE':
      return 'Too many files are open, so new clips here are found only by the periodic scan. Raise the open-file limit (ulimit -n) or watch fewer folders.';
    case 'EACCES':
    case 'EPERM':
      return 'The app is not allowed to read this folder. Give your user read access to it, or remove it in Settings.';
    case 'ENOENT':
    case 'ENOTDIR':
      return ROOT_MISSING_MESSAGE;
    default:
      return `Watching this folder failed (${detail}); new clips here are found only by the periodic scan. Remove and add the folder again in Settings if this persists.`;
  }
}

/** How often each root's own identity is looked at: a deleted or replaced folder is re-watched within seconds. */
export const ROOT_CHECK_INTERVAL_MS = 1_000;

/** A root that was deleted (or whose drive is gone): shown as `missing`, watched again once it is back. */
export const ROOT_MISSING_MESSAGE =
  'Missing: waiting for it to come back. This folder no longer exists. Reconnect the drive or create the folder again and watching resumes within seconds, or remove it in Settings.';

/** Whether a watcher or stat error means the folder itself is not there (deleted, unplugged). */
export function isFolderGone(code: string | undefined): boolean {
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** The sentence for a root that is polled because its file system sends no events. */
export function pollingMessage(fileSystem: string, intervalMs: number): string {
  return `This folder is on a ${fileSystem} drive, which does not report changes, so the app looks for new clips every ${Math.round(intervalMs / 1000)} s; clips here appear up to that much later.`;
}

export interface RootStatusInput {
  readonly path: string;
  readonly state: IntakeRootStatus['state'];
  readonly message?: string;
}

/** A root as the window shows it: an escaped display name and a stable key (its resolved path). */
export function rootStatus(input: RootStatusInput): IntakeRootStatus {
  const parts = input.path.split(/[\\/]/u).filter((part) => part.length > 0);
  const name = parts[parts.length - 1] ?? input.path;
  return {
    folder: escapeDisplayName(name),
    key: input.path,
    state: input.state,
    ...(input.message !== undefined ? { message: input.message } : {}),
  };
}

/** The intake as a whole: in error only when every root is; otherwise watching, with the details per root. */
export function intakeStatus(roots: readonly IntakeRootStatus[], starting: boolean): IntakeStatus {
  if (starting) return { state: 'starting', roots };
  // A missing root is not watched either: it needs attention until it comes back.
  const failed = roots.filter((root) => root.state === 'error' || root.state === 'missing');
  if (roots.length > 0 && failed.length === roots.length)
    return {
      state: 'error',
      message: failed.length === 1 ? failed[0]?.message : 'No watched folder can be watched.',
      roots,
    };
  if (failed.length > 0)
    return {
      state: 'watching',
      message: `${failed.length} of ${roots.length} folders need attention.`,
      roots,
    };
  return { state: 'watching', roots };
}

/** One readable line per root for the CLI's text mode. */
export function describeRootStatus(root: IntakeRootStatus): string {
  const what =
    root.state === 'watching'
      ? 'watching'
      : root.state === 'scanning'
        ? 'scanning'
        : root.state === 'polling'
          ? 'polling'
          : root.state === 'missing'
            ? 'missing'
            : 'problem';
  return `${what.padEnd(9)} ${root.key}${root.message ? `: ${root.message}` : ''}`;
}
