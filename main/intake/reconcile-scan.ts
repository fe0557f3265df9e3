/**
 * The reconcile scan: lists every candidate clip under the roots, so that nothing a folder holds
 * stays unknown to the ledger (clips recorded while the app was closed, events the watcher
 * missed). Symbolic links are not followed, so no path escapes a root and loops cannot recurse.
 */
import { opendir } from 'node:fs/promises';
import path from 'node:path';
import { isCandidateName, isIgnoredName } from '../../app/clip/file-types';

export async function* scanRoots(
  roots: readonly string[],
  depth: number,
  onError: (folder: string, error: Error) => void,
): AsyncGenerator<string> {
  for (const root of roots) yield* scanFolder(root, depth, onError);
}

/** Lists the candidate clips in one folder and its subfolders down to `depthLeft` levels. */
export async function* scanFolder(
  folder: string,
  depthLeft: number,
  onError: (folder: string, error: Error) => void,
): AsyncGenerator<string> {
  let dir;
  try {
    dir = await opendir(folder);
  } catch (error) {
    onError(folder, error as Error);
    return;
  }
  const subfolders: string[] = [];
  try {
    for await (const entry of dir) {
      if (entry.isSymbolicLink()) continue;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (depthLeft > 0 && !isIgnoredName(entry.name)) subfolders.push(full);
      } else if (entry.isFile() && isCandidateName(entry.name)) {
        yield full;
      }
    }
  } catch (error) {
    // A folder that opens but refuses to be read: reported, and the scan goes on.
    onError(folder, error as Error);
  }
  for (const subfolder of subfolders) yield* scanFolder(subfolder, depthLeft - 1, onError);
}
