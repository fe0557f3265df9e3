/**
 * Moves the built-in service's data folder to its new place without loss (issue 16, item 5): on
 * Windows from the roaming app data folder to the machine-local one (main/util/paths.ts).
 *
 * Runs before the service starts, while the app holds its data folder, and only once the old
 * folder is known not to be served (its sandbox lock is free):
 * - same volume: one rename, atomic;
 * - another volume (EXDEV): a copy into `<new>.moving`, every file verified (size and SHA-256) and
 *   flushed, then a marker `<new>.move.json` says "copied", the copy is renamed into place and
 *   only then the old folder is removed.
 *
 * Crash-safe: the marker says how far a move got. "copying" (interrupted mid-copy, or the copy
 * failed): the old folder is intact and is the one served this run; the next start resumes the
 * copy (files already copied and equal are kept, changed ones copied again, ones gone removed).
 * "copied": the copy is complete and verified; the next start finishes (rename into place, remove
 * what is left of the old). Exactly one folder is ever served: the old one until the copy is
 * verified, the new one after. The half-made copy is never served.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { renameWithRetry, writeFileAtomic } from '../util/atomic-file';
import { FolderHeldError, lockFolder } from '../util/folder-lock';
import type { Logger } from '../util/logger';

/** The sandbox's own lock in its folder (main/sandbox/index.ts): never copied. */
const SANDBOX_LOCK = 'sandbox.lock';
const SANDBOX_LOCK_STALE_MS = 10_000;

export interface ServiceMoveSeams {
  /** Renames the whole folder; tests make it answer EXDEV to take the copy path. */
  renameFolder?(from: string, to: string): Promise<void>;
  /** After each file is copied and verified; tests throw here to interrupt a copy. */
  afterFileCopied?(relativePath: string): void | Promise<void>;
}

export interface ServiceMove {
  /** Where the service keeps its data from now on. */
  readonly to: string;
  /** Where it kept it before. */
  readonly from: string;
  readonly logger: Logger;
  readonly seams?: ServiceMoveSeams;
}

const MarkerSchema = z.object({
  phase: z.enum(['copying', 'copied']),
  from: z.string(),
  to: z.string(),
});
type Marker = z.infer<typeof MarkerSchema>;

export const moveMarkerOf = (to: string): string => `${to}.move.json`;
export const moveStagingOf = (to: string): string => `${to}.moving`;

async function exists(target: string): Promise<boolean> {
  return stat(target).then(
    () => true,
    () => false,
  );
}

async function readMarker(file: string): Promise<Marker | undefined> {
  try {
    const parsed = MarkerSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Throws when a sandbox serves `folder` now: it must not be moved under it. */
async function assertNotServed(folder: string): Promise<void> {
  try {
    const lock = await lockFolder(folder, { name: SANDBOX_LOCK, staleMs: SANDBOX_LOCK_STALE_MS });
    await lock.release();
  } catch (error) {
    if (error instanceof FolderHeldError)
      throw new Error(
        `The built-in service's folder ${folder} is in use by process ${error.owner?.pid ?? 'unknown'}; it is moved at the next start.`,
      );
    throw error;
  }
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Every file under `root`, as paths relative to it; the sandbox's lock files are left out. */
async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .filter((relative) => {
      const top = relative.split(path.sep)[0] ?? '';
      return top !== SANDBOX_LOCK && !top.startsWith(`${SANDBOX_LOCK}.`);
    });
}

async function flush(file: string): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Makes `copy` hold exactly the files of `source`, each verified by size and SHA-256 and flushed.
 * A file already in `copy` with the same size and hash is kept (a resumed copy).
 */
async function mirror(
  source: string,
  copy: string,
  seams: ServiceMoveSeams,
): Promise<{ files: number; bytes: number; copied: number }> {
  await mkdir(copy, { recursive: true });
  const files = await filesUnder(source);
  let bytes = 0;
  let copied = 0;
  for (const relative of files) {
    const from = path.join(source, relative);
    const to = path.join(copy, relative);
    const [size, hash] = [(await stat(from)).size, await sha256Of(from)];
    bytes += size;
    const there = await stat(to).catch(() => undefined);
    if (there?.size === size && (await sha256Of(to)) === hash) continue;
    await mkdir(path.dirname(to), { recursive: true });
    await copyFile(from, to);
    await flush(to);
    const copiedSize = (await stat(to)).size;
    if (copiedSize !== size || (await sha256Of(to)) !== hash)
      throw new Error(`The copy of ${relative} does not match the original.`);
    copied += 1;
    await seams.afterFileCopied?.(relative);
  }
  // Files the old folder no longer has (a resumed copy after the service ran on it) go.
  const wanted = new Set(files);
  for (const relative of await filesUnder(copy))
    if (!wanted.has(relative)) await rm(path.join(copy, relative), { force: true });
  return { files: files.length, bytes, copied };
}

/**
 * Puts the verified copy in place, then removes the old folder and the marker; answers the folder
 * to serve. A copy that cannot be put in place is copied again next time (the old folder, served
 * meanwhile, may change); an old folder that cannot be removed is removed next time.
 */
async function finish(move: ServiceMove, marker: Marker): Promise<string> {
  const staging = moveStagingOf(move.to);
  if (await exists(staging))
    try {
      await renameWithRetry(staging, move.to);
    } catch (error) {
      await writeFileAtomic(moveMarkerOf(move.to), JSON.stringify({ ...marker, phase: 'copying' }));
      move.logger.error(
        'service data: the copy could not be put in place; the old folder is used',
        {
          error: String(error),
        },
      );
      return move.from;
    }
  try {
    await rm(move.from, { recursive: true, force: true });
    await rm(moveMarkerOf(move.to), { force: true });
  } catch (error) {
    move.logger.warn('service data: the old folder is removed at the next start', {
      error: String(error),
    });
  }
  return move.to;
}

/**
 * Moves the service's data from `from` to `to` if it is still in the old place, resuming or
 * finishing a move an earlier run began. Answers the folder to serve this run: `to`, or `from`
 * while a move cannot complete yet (it is tried again at the next start).
 */
export async function moveServiceData(move: ServiceMove): Promise<string> {
  const { from, to, logger } = move;
  const seams = move.seams ?? {};
  if (path.resolve(from) === path.resolve(to)) return to;
  const markerFile = moveMarkerOf(to);
  let marker = await readMarker(markerFile);
  if (marker?.phase === 'copied') {
    logger.info('service data: finishing an earlier move', { from, to });
    return finish(move, marker);
  }
  if (!marker) {
    if (!(await exists(from))) return to;
    if (await exists(to)) {
      // Both places hold a folder and no move is under way: the new one is served, the old left.
      logger.warn('service data: an old folder is left beside the new one; it is not used', {
        from,
        to,
      });
      return to;
    }
    await mkdir(path.dirname(to), { recursive: true });
    try {
      await assertNotServed(from);
      await (seams.renameFolder ?? renameWithRetry)(from, to);
      logger.info('service data: moved', { from, to });
      return to;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') {
        logger.error('service data: not moved; the old folder is used this time', {
          from,
          to,
          error: String(error),
        });
        return from;
      }
    }
    marker = { phase: 'copying', from, to };
    await writeFileAtomic(markerFile, JSON.stringify(marker));
  }
  if (!(await exists(from))) {
    // A "copying" marker with no old folder: nothing more to copy from; keep what was copied.
    logger.error('service data: the old folder vanished during a move; keeping the copy', {
      from,
      to,
    });
    return finish(move, marker);
  }
  try {
    await assertNotServed(from);
    const copied = await mirror(from, moveStagingOf(to), seams);
    const done: Marker = { ...marker, phase: 'copied' };
    await writeFileAtomic(markerFile, JSON.stringify(done));
    logger.info('service data: copied to another volume and verified', { from, to, ...copied });
    return await finish(move, done);
  } catch (error) {
    logger.error('service data: the copy did not finish; the old folder is used this time', {
      from,
      to,
      error: String(error),
    });
    return from;
  }
}
