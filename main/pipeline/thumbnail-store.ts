/**
 * Thumbnails the window rendered for a clip (`Upload` source), kept under the data folder until
 * they are sent: `<data>/thumbnails/<clipId>-{large,small}.png`, each written atomically.
 *
 * Main checks every image it is handed (PNG signature, then the IHDR's width and height) so a
 * wrong or hostile payload never reaches the service. Whoever waits for a clip's images (the
 * uploader, after asking the window) is woken when they arrive.
 */
import { mkdir, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { THUMBNAIL_SIZES } from '../../app/gameclips/limits';
import { checkPng } from '../../app/upload/png';
import { writeFileAtomic } from '../util/atomic-file';

export interface ThumbnailPair {
  readonly large: Uint8Array;
  readonly small: Uint8Array;
  readonly offsetMs: number;
}

export type SaveOutcome = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const CLIP_ID = /^[0-9a-f-]{36}$/u;

export class ThumbnailStore {
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(private readonly folder: string) {}

  async save(clipId: string, pair: ThumbnailPair): Promise<SaveOutcome> {
    if (!CLIP_ID.test(clipId)) return { ok: false, reason: 'Unknown clip id.' };
    const large = checkPng(pair.large, THUMBNAIL_SIZES.Large);
    if (!large.ok) return { ok: false, reason: `Large thumbnail: ${large.reason}` };
    const small = checkPng(pair.small, THUMBNAIL_SIZES.Small);
    if (!small.ok) return { ok: false, reason: `Small thumbnail: ${small.reason}` };
    await mkdir(this.folder, { recursive: true });
    await writeFileAtomic(this.fileOf(clipId, 'large'), pair.large);
    await writeFileAtomic(this.fileOf(clipId, 'small'), pair.small);
    await writeFileAtomic(
      this.fileOf(clipId, 'offset'),
      JSON.stringify({ offsetMs: pair.offsetMs }),
    );
    for (const wake of this.waiters.get(clipId) ?? []) wake();
    this.waiters.delete(clipId);
    return { ok: true };
  }

  async load(clipId: string): Promise<ThumbnailPair | undefined> {
    if (!CLIP_ID.test(clipId)) return undefined;
    try {
      const [large, small, offset] = await Promise.all([
        readFile(this.fileOf(clipId, 'large')),
        readFile(this.fileOf(clipId, 'small')),
        readFile(this.fileOf(clipId, 'offset'), 'utf8').catch(() => '{"offsetMs":0}'),
      ]);
      const offsetMs = Number((JSON.parse(offset) as { offsetMs?: unknown }).offsetMs) || 0;
      return { large, small, offsetMs };
    } catch {
      return undefined;
    }
  }

  /** Resolves with the images once saved, or undefined after `timeoutMs`. */
  async waitFor(clipId: string, timeoutMs: number): Promise<ThumbnailPair | undefined> {
    const existing = await this.load(clipId);
    if (existing) return existing;
    await new Promise<void>((resolve) => {
      const set = this.waiters.get(clipId) ?? new Set<() => void>();
      this.waiters.set(clipId, set);
      const wake = () => {
        clearTimeout(timer);
        set.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, timeoutMs);
      timer.unref();
      set.add(wake);
    });
    return this.load(clipId);
  }

  async remove(clipId: string): Promise<void> {
    if (!CLIP_ID.test(clipId)) return;
    await Promise.all(
      (['large', 'small', 'offset'] as const).map((kind) =>
        unlink(this.fileOf(clipId, kind)).catch(() => undefined),
      ),
    );
  }

  private fileOf(clipId: string, kind: 'large' | 'small' | 'offset'): string {
    return path.join(this.folder, kind === 'offset' ? `${clipId}.json` : `${clipId}-${kind}.png`);
  }
}
