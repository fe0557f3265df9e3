/**
 * Durable clip storage under the data folder.
 *
 * Layout (all names are generated here, never taken from a URL):
 *   clips/<gameClipId>.json          one record per clip (atomic writes)
 *   blobs/<gameClipId>/blocks/<n>    received blocks of a clip still being uploaded
 *   blobs/<gameClipId>/video         the assembled file once processed
 *   blobs/<gameClipId>/thumb-large   thumbnails (uploaded or rendered)
 *   tmp/                             bodies being received; emptied at start
 *
 * Records live in memory and are written through. A block counts as received once its file has
 * been renamed into `blocks/`, so the set of received blocks is rebuilt from disk after a restart
 * and no record write is needed per block.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { GameClipState, GameClipVisibility } from '../../app/gameclips/enums';
import type { InitialUploadRequest } from '../../app/gameclips/wire';
import { CoalescingWriter, removeStrayTemporaries } from './coalescing-writer';

export type ThumbnailSize = 'Large' | 'Small';

export interface StoredThumbnail {
  readonly fileSize: number;
  readonly contentType: 'image/png' | 'image/jpeg';
}

/** Why a clip ended up Deleted or Error, for messages (410 says which). */
export type EndReason = 'deleted' | 'expired' | 'evicted' | 'size-mismatch' | 'admin';

/** Everything the sandbox keeps about a clip (section 6, "State kept per clip"). */
export interface ServiceClip {
  readonly version: 1;
  readonly gameClipId: string;
  readonly xuid: string;
  readonly scid: string;
  readonly titleId: string;
  readonly deviceType: string;
  readonly locale: string;
  /** The reservation body, normalized; never changes. */
  readonly request: InitialUploadRequest;
  readonly createdAt: string;
  readonly reservationExpiresAt: string;
  readonly state: GameClipState;
  readonly lastModified: string;
  readonly datePublished?: string;
  readonly userCaption: string;
  readonly visibility: GameClipVisibility;
  readonly titleData: string;
  /** Sizes of the committed blocks, in order; set by the commit. */
  readonly blockSizes?: readonly number[];
  /** Whether `video` holds the assembled file. */
  readonly assembled?: boolean;
  readonly videoContentType?: string;
  readonly thumbnails: Readonly<Partial<Record<ThumbnailSize, StoredThumbnail>>>;
  /** One rating per rater xuid (A27). */
  readonly ratings: Readonly<Record<string, number>>;
  readonly views: number;
  readonly endReason?: EndReason;
  readonly endMessage?: string;
}

const CLIP_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether a string from a URL is a clip id this sandbox could have issued (lower-case GUID). */
export function isClipId(value: string): boolean {
  return CLIP_ID.test(value);
}

function assertClipId(id: string): void {
  // A second line of defence: no path below is ever built from anything but an issued id.
  if (!isClipId(id)) throw new Error(`Refusing a path for a malformed clip id: ${id}`);
}

/** State that exists only while the process runs. */
interface Runtime {
  /** blockNum -> size, for a clip still being uploaded. */
  readonly blocks: Map<number, number>;
  writer?: CoalescingWriter;
  lock: Promise<unknown>;
  hasBlockDir: boolean;
}

export class ClipStore {
  private readonly records = new Map<string, ServiceClip>();
  private readonly byOwner = new Map<string, Set<string>>();
  private readonly runtime = new Map<string, Runtime>();
  private readonly clipsDir: string;
  private readonly blobsDir: string;
  private readonly tmpDir: string;

  private constructor(readonly dataDir: string) {
    this.clipsDir = path.join(dataDir, 'clips');
    this.blobsDir = path.join(dataDir, 'blobs');
    this.tmpDir = path.join(dataDir, 'tmp');
  }

  /** Opens (or creates) the store in `dataDir` and loads every record. */
  static async open(dataDir: string, log: (line: string) => void): Promise<ClipStore> {
    const store = new ClipStore(dataDir);
    await Promise.all([
      mkdir(store.clipsDir, { recursive: true }),
      mkdir(store.blobsDir, { recursive: true }),
    ]);
    await rm(store.tmpDir, { recursive: true, force: true });
    await mkdir(store.tmpDir, { recursive: true });
    await removeStrayTemporaries(store.clipsDir);
    const names = await readdir(store.clipsDir);
    await Promise.all(
      names.map(async (name) => {
        const id = name.slice(0, -'.json'.length);
        if (!name.endsWith('.json') || !isClipId(id)) return;
        try {
          const record = JSON.parse(
            await readFile(path.join(store.clipsDir, name), 'utf8'),
          ) as ServiceClip;
          if (record.gameClipId !== id) throw new Error('id does not match the file name');
          store.index(record);
          if (record.state === 'PendingUpload') await store.loadBlocks(id);
        } catch (error) {
          log(`sandbox: skipping unreadable clip record ${name}: ${String(error)}`);
        }
      }),
    );
    return store;
  }

  get(id: string): ServiceClip | undefined {
    return isClipId(id) ? this.records.get(id) : undefined;
  }

  all(): IterableIterator<ServiceClip> {
    return this.records.values();
  }

  /** The records of one owner, in no particular order. */
  *ownedBy(xuid: string): Generator<ServiceClip> {
    for (const id of this.byOwner.get(xuid) ?? []) {
      const record = this.records.get(id);
      if (record) yield record;
    }
  }

  /**
   * Replaces a record in memory at once (so decisions made before the next await see it) and
   * resolves when it is on disk.
   */
  put(record: ServiceClip): Promise<void> {
    this.index(record);
    const runtime = this.runtimeOf(record.gameClipId);
    runtime.writer ??= new CoalescingWriter(this.recordPath(record.gameClipId), () =>
      JSON.stringify(this.records.get(record.gameClipId)),
    );
    return runtime.writer.save();
  }

  /** Received blocks of a clip still being uploaded: blockNum -> size. */
  blocks(id: string): ReadonlyMap<number, number> {
    return this.runtimeOf(id).blocks;
  }

  /** Runs `fn` with no other locked work on the same clip in between. */
  withLock<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const runtime = this.runtimeOf(id);
    const result = runtime.lock.then(fn, fn);
    runtime.lock = result.catch(() => undefined);
    return result;
  }

  /** A fresh path in tmp/ for a body being received. */
  tempPath(): string {
    return path.join(this.tmpDir, randomBytes(12).toString('hex'));
  }

  videoPath(id: string): string {
    assertClipId(id);
    return path.join(this.blobsDir, id, 'video');
  }

  thumbnailPath(id: string, size: ThumbnailSize): string {
    assertClipId(id);
    return path.join(this.blobsDir, id, size === 'Large' ? 'thumb-large' : 'thumb-small');
  }

  /** Moves a received block into place. Call under the clip's lock. */
  async storeBlock(id: string, blockNum: number, tempFile: string, size: number): Promise<void> {
    const runtime = this.runtimeOf(id);
    const dir = this.blockDir(id);
    if (!runtime.hasBlockDir) {
      await mkdir(dir, { recursive: true });
      runtime.hasBlockDir = true;
    }
    await rename(tempFile, path.join(dir, String(blockNum)));
    runtime.blocks.set(blockNum, size);
  }

  /** Moves a received file into the clip's folder as `video` or a thumbnail. */
  async storeFile(tempFile: string, target: string): Promise<void> {
    await mkdir(path.dirname(target), { recursive: true });
    await rename(tempFile, target);
  }

  /**
   * Joins the blocks into `video` and removes them. Idempotent: a run cut short by a restart is
   * simply done again, since the blocks go only after `video` is in place.
   */
  async assemble(id: string, blockCount: number): Promise<void> {
    const dir = this.blockDir(id);
    const target = this.videoPath(id);
    const temp = this.tempPath();
    try {
      const out = createWriteStream(temp);
      await pipeline(async function* () {
        for (let n = 0; n < blockCount; n++)
          for await (const chunk of createReadStream(path.join(dir, String(n))))
            yield chunk as Buffer;
      }, out);
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    await rm(dir, { recursive: true, force: true });
    const runtime = this.runtimeOf(id);
    runtime.blocks.clear();
    runtime.hasBlockDir = false;
  }

  /** Whether the assembled file exists with the expected size. */
  async hasVideo(id: string, size: number): Promise<boolean> {
    try {
      return (await stat(this.videoPath(id))).size === size;
    } catch {
      return false;
    }
  }

  /** Removes every byte stored for a clip (its record stays, as a tombstone). */
  async removeBlobs(id: string): Promise<void> {
    assertClipId(id);
    await rm(path.join(this.blobsDir, id), { recursive: true, force: true, maxRetries: 3 });
    const runtime = this.runtimeOf(id);
    runtime.blocks.clear();
    runtime.hasBlockDir = false;
  }

  /** Waits until every record write has landed. */
  async flush(): Promise<void> {
    await Promise.all([...this.runtime.values()].map((runtime) => runtime.writer?.idle()));
  }

  private recordPath(id: string): string {
    assertClipId(id);
    return path.join(this.clipsDir, `${id}.json`);
  }

  private blockDir(id: string): string {
    assertClipId(id);
    return path.join(this.blobsDir, id, 'blocks');
  }

  private index(record: ServiceClip): void {
    this.records.set(record.gameClipId, record);
    let owned = this.byOwner.get(record.xuid);
    if (!owned) this.byOwner.set(record.xuid, (owned = new Set()));
    owned.add(record.gameClipId);
  }

  private runtimeOf(id: string): Runtime {
    let runtime = this.runtime.get(id);
    if (!runtime) {
      runtime = { blocks: new Map(), lock: Promise.resolve(), hasBlockDir: false };
      this.runtime.set(id, runtime);
    }
    return runtime;
  }

  private async loadBlocks(id: string): Promise<void> {
    const dir = this.blockDir(id);
    const names = await readdir(dir).catch(() => [] as string[]);
    const runtime = this.runtimeOf(id);
    runtime.hasBlockDir = names.length > 0;
    await Promise.all(
      names
        .filter((name) => /^(0|[1-9]\d{0,9})$/.test(name))
        .map(async (name) => {
          runtime.blocks.set(Number(name), (await stat(path.join(dir, name))).size);
        }),
    );
  }
}
