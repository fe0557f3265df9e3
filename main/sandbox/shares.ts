/**
 * Share pages of the built-in service (issue 16, item 2): each published clip may have one stable,
 * unguessable `/share/<id>` page that anyone holding the link can open, and its owner can revoke.
 *
 * `shares.json` in the data folder maps a clip to its share id, or records that the owner revoked
 * it (so an automatic share is not made again). Public and Default clips get a share the first time
 * one is asked for; Owner (and Title) clips only when the owner creates one explicitly.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { CoalescingWriter } from './coalescing-writer';
import type { ServiceClip } from './store';

/** 18 random bytes, base64url: 24 characters nobody can guess. */
const SHARE_ID = /^[A-Za-z0-9_-]{24}$/;

export function isShareId(value: string): boolean {
  return SHARE_ID.test(value);
}

const EntrySchema = z.union([
  z.object({ shareId: z.string().regex(SHARE_ID), createdAt: z.string() }),
  z.object({ revokedAt: z.string() }),
]);
const FileSchema = z.object({ version: z.literal(1), clips: z.record(z.string(), EntrySchema) });
type Entry = z.infer<typeof EntrySchema>;

export interface Share {
  readonly shareId: string;
  readonly gameClipId: string;
  readonly createdAt: string;
}

/** Whether a clip's visibility lets it have a share page without being asked. */
export function sharesAutomatically(record: ServiceClip): boolean {
  return record.visibility === 'Public' || record.visibility === 'Default';
}

export class ShareBook {
  private readonly entries = new Map<string, Entry>();
  private readonly byShareId = new Map<string, string>();
  private readonly writer: CoalescingWriter;

  private constructor(filePath: string) {
    this.writer = new CoalescingWriter(filePath, () =>
      JSON.stringify({ version: 1, clips: Object.fromEntries(this.entries) }),
    );
  }

  static async open(dataDir: string): Promise<ShareBook> {
    const filePath = path.join(dataDir, 'shares.json');
    const book = new ShareBook(filePath);
    let text: string | undefined;
    try {
      text = await readFile(filePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (text !== undefined) {
      const parsed = FileSchema.parse(JSON.parse(text));
      for (const [id, entry] of Object.entries(parsed.clips)) book.set(id, entry);
    }
    return book;
  }

  /** The clip a share id names, if the share is live. */
  clipOf(shareId: string): string | undefined {
    return isShareId(shareId) ? this.byShareId.get(shareId) : undefined;
  }

  /**
   * The clip's share: the existing one, or (Public/Default, never revoked) a new automatic one.
   * Undefined when the clip has none and gets none without being asked.
   */
  async current(record: ServiceClip): Promise<Share | undefined> {
    const entry = this.entries.get(record.gameClipId);
    if (entry && 'shareId' in entry) return { ...entry, gameClipId: record.gameClipId };
    if (entry || !sharesAutomatically(record)) return undefined;
    return this.create(record.gameClipId);
  }

  /** The owner asks for a share: the existing one, or a new id (a revoked id never comes back). */
  async create(gameClipId: string): Promise<Share> {
    const entry = this.entries.get(gameClipId);
    if (entry && 'shareId' in entry) return { ...entry, gameClipId };
    const created = {
      shareId: randomBytes(18).toString('base64url'),
      createdAt: new Date().toISOString(),
    };
    this.set(gameClipId, created);
    await this.writer.save();
    return { ...created, gameClipId };
  }

  /** Revokes the clip's share; the page answers 404 from now on. */
  async revoke(gameClipId: string): Promise<boolean> {
    const entry = this.entries.get(gameClipId);
    const had = entry !== undefined && 'shareId' in entry;
    this.set(gameClipId, { revokedAt: new Date().toISOString() });
    await this.writer.save();
    return had;
  }

  flush(): Promise<void> {
    return this.writer.idle();
  }

  private set(gameClipId: string, entry: Entry): void {
    const previous = this.entries.get(gameClipId);
    if (previous && 'shareId' in previous) this.byShareId.delete(previous.shareId);
    this.entries.set(gameClipId, entry);
    if ('shareId' in entry) this.byShareId.set(entry.shareId, gameClipId);
  }
}
