/**
 * What a user hands in (a drop, main's dialog, "open with", the CLI) turned into the files to
 * decide, before anything about them is stored: each given path must be absolute (for the
 * window's sources) and lead to a regular file or a folder, and a folder is expanded to its
 * candidate clips with a bound on the work, so a dropped `/` stops after 10,000 entries with a
 * message instead of walking the disk (issue 14, item 4).
 */
import { opendir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { isCandidateName, isIgnoredName } from '../../app/clip/file-types';
import { errorView } from '../../app/errors';
import type { IntakeDecision } from '../../app/intake/register-outcome';

/** The most files and folders one hand-over looks at (issue 14, item 4). */
export const MAX_HANDED_ENTRIES = 10_000;

/** One item of the answer, in the order given: a path for the gate, or a decision made already. */
export type HandedItem = { readonly decide: string } | { readonly decision: IntakeDecision };

export interface HandOverOptions {
  /** Relative paths are refused (the window's sources always give absolute ones). */
  readonly requireAbsolute: boolean;
  readonly depth: number;
  /** Entries (files and folders) looked at in all; the cap's message goes where it was hit. */
  readonly maxEntries?: number;
  readonly onListError: (folder: string, error: Error) => void;
}

/** Expands the given paths; each file named twice (itself and inside a folder) appears once. */
export async function expandHandedPaths(
  given: readonly string[],
  options: HandOverOptions,
): Promise<HandedItem[]> {
  const maxEntries = options.maxEntries ?? MAX_HANDED_ENTRIES;
  const items: HandedItem[] = [];
  const seen = new Set<string>();
  let looked = 0;
  const decideOnce = (filePath: string) => {
    if (seen.has(filePath)) return;
    seen.add(filePath);
    items.push({ decide: filePath });
  };
  const capped = (where: string): HandedItem => ({
    decision: { kind: 'refused', path: where, error: errorView('intake/too-many-files') },
  });
  for (const entry of given) {
    if (looked >= maxEntries) {
      items.push(capped(entry));
      break;
    }
    looked += 1;
    if (options.requireAbsolute && !path.isAbsolute(entry)) {
      items.push({
        decision: {
          kind: 'ignored',
          path: entry,
          why: 'A file must be named by its full path.',
        },
      });
      continue;
    }
    const absolute = path.resolve(entry);
    if (isIgnoredName(path.basename(absolute))) {
      items.push({
        decision: {
          kind: 'ignored',
          path: absolute,
          why: 'Temporary files and hidden files are not clips.',
        },
      });
      continue;
    }
    // What the user dropped is what they meant: a dropped link stands for the file it points at.
    const real = await realpath(absolute).catch(() => undefined);
    const info = real ? await stat(real).catch(() => undefined) : undefined;
    if (!real || !info) {
      items.push({ decision: { kind: 'gone', path: absolute } });
    } else if (info.isDirectory()) {
      const walked = await walk(real, options.depth, maxEntries - looked, decideOnce, options);
      looked += walked.looked;
      if (walked.capped) {
        items.push(capped(real));
        break;
      }
    } else if (info.isFile()) {
      decideOnce(real);
    } else {
      items.push({
        decision: { kind: 'ignored', path: absolute, why: 'This is not a regular file.' },
      });
    }
  }
  return items;
}

/**
 * Lists candidate clips under `folder`, looking at no more than `budget` entries. Symbolic links
 * inside are not followed, as in the watched folders (main/intake/reconcile-scan.ts).
 */
async function walk(
  folder: string,
  depth: number,
  budget: number,
  found: (filePath: string) => void,
  options: HandOverOptions,
): Promise<{ looked: number; capped: boolean }> {
  let looked = 0;
  const queue: Array<{ folder: string; depth: number }> = [{ folder, depth }];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    let dir;
    try {
      dir = await opendir(next.folder);
    } catch (error) {
      options.onListError(next.folder, error as Error);
      continue;
    }
    try {
      for await (const entry of dir) {
        if (looked >= budget) {
          // Leaving the loop early closes the directory handle.
          return { looked, capped: true };
        }
        looked += 1;
        if (entry.isSymbolicLink()) continue;
        const full = path.join(next.folder, entry.name);
        if (entry.isDirectory()) {
          if (next.depth > 0 && !isIgnoredName(entry.name))
            queue.push({ folder: full, depth: next.depth - 1 });
        } else if (entry.isFile() && isCandidateName(entry.name)) {
          found(full);
        }
      }
    } catch (error) {
      // Some folders open but refuse to be read (a FUSE mount, a process gone from /proc): the
      // rest of the drop goes on, as a watched folder's scan does.
      options.onListError(next.folder, error as Error);
    }
  }
  return { looked, capped: false };
}
