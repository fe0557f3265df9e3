/**
 * What happens to a clip after its commit (4.6): Uploaded -> Processing -> Processed ->
 * Publishing -> Published, each state held for its configured delay (default 0).
 *
 * Processing does real work: it joins the blocks into one file and, for Default and Offset
 * thumbnails, renders them with ffmpeg. A restart resumes every clip it caught half way.
 */
import { open, rm, stat } from 'node:fs/promises';
import type { GameClipState } from '../../app/gameclips/enums';
import type { ResolvedOptions } from './options';
import type { ServiceClip, ClipStore, StoredThumbnail } from './store';
import { DEFAULT_THUMBNAIL_OFFSET_MS, type ThumbnailRenderer } from './thumbnails';

const FOLLOWED_STATES: ReadonlySet<GameClipState> = new Set([
  'Uploaded',
  'Processing',
  'Processed',
  'Publishing',
]);

/** A content type from the first bytes of a video, for download responses. */
async function sniffVideoType(filePath: string): Promise<string> {
  const handle = await open(filePath, 'r');
  try {
    const head = Buffer.alloc(64);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const bytes = head.subarray(0, bytesRead);
    if (bytes.subarray(4, 8).toString('latin1') === 'ftyp')
      return bytes.subarray(8, 12).toString('latin1') === 'qt  ' ? 'video/quicktime' : 'video/mp4';
    if (bytes.readUInt32BE(0) === 0x1a45dfa3)
      return bytes.includes('webm') ? 'video/webm' : 'video/x-matroska';
    return 'application/octet-stream';
  } finally {
    await handle.close();
  }
}

export class Lifecycle {
  private readonly controller = new AbortController();
  private readonly jobs = new Set<Promise<void>>();
  private readonly followed = new Set<string>();

  constructor(
    private readonly store: ClipStore,
    private readonly options: ResolvedOptions,
    private readonly thumbnails: ThumbnailRenderer,
  ) {}

  /** Picks up every clip a previous run left between commit and Published. */
  resume(): void {
    for (const record of this.store.all())
      if (FOLLOWED_STATES.has(record.state)) this.follow(record.gameClipId);
  }

  /** Moves a committed clip along until Published (or until something else changes it). */
  follow(id: string): void {
    if (this.followed.has(id) || this.controller.signal.aborted) return;
    this.followed.add(id);
    const job = this.advance(id)
      .catch((error: unknown) => {
        if (!this.controller.signal.aborted)
          this.options.log(`sandbox: processing ${id} failed: ${String(error)}`);
      })
      .finally(() => {
        this.followed.delete(id);
        this.jobs.delete(job);
      });
    this.jobs.add(job);
  }

  /** Stops every timer and waits for running work to notice. */
  async close(): Promise<void> {
    this.controller.abort();
    await Promise.all([...this.jobs]);
  }

  private async advance(id: string): Promise<void> {
    const delays = this.options.stateDelaysMs;
    for (;;) {
      const state = this.store.get(id)?.state;
      if (state === undefined || !FOLLOWED_STATES.has(state)) return;
      switch (state) {
        case 'Uploaded':
          await this.wait(delays.Uploaded);
          if (!(await this.transition(id, 'Uploaded', 'Processing'))) return;
          break;
        case 'Processing':
          await this.process(id);
          await this.wait(delays.Processing);
          if (!(await this.transition(id, 'Processing', 'Processed'))) return;
          break;
        case 'Processed':
          await this.wait(delays.Processed);
          if (!(await this.transition(id, 'Processed', 'Publishing'))) return;
          break;
        case 'Publishing':
          await this.wait(delays.Publishing);
          await this.transition(id, 'Publishing', 'Published');
          return;
        default:
          return;
      }
    }
  }

  private wait(ms: number): Promise<void> {
    const signal = this.controller.signal;
    if (signal.aborted) return Promise.reject(signal.reason);
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Changes the state if it is still `from`; false when someone else moved the clip first. */
  private transition(id: string, from: GameClipState, to: GameClipState): Promise<boolean> {
    return this.store.withLock(id, async () => {
      const record = this.store.get(id);
      if (record?.state !== from || this.controller.signal.aborted) return false;
      const now = new Date().toISOString();
      await this.store.put({
        ...record,
        state: to,
        lastModified: now,
        ...(to === 'Published' ? { datePublished: now } : {}),
      });
      return true;
    });
  }

  private async process(id: string): Promise<void> {
    const assembled = await this.store.withLock(id, async () => {
      const record = this.store.get(id);
      if (record?.state !== 'Processing') return undefined;
      if (record.assembled) return record;
      const blockCount = record.blockSizes?.length ?? 0;
      if (!(await this.store.hasVideo(id, record.request.fileSize)))
        await this.store.assemble(id, blockCount);
      const videoContentType = await sniffVideoType(this.store.videoPath(id));
      // Re-read after the awaits: a delete may have ended the clip meanwhile.
      const current = this.store.get(id);
      if (current?.state !== 'Processing') return undefined;
      const next: ServiceClip = { ...current, assembled: true, videoContentType };
      await this.store.put(next);
      return next;
    });
    if (!assembled || assembled.request.thumbnailSource === 'Upload') return;
    if (assembled.thumbnails.Large && assembled.thumbnails.Small) return;
    await this.renderThumbnails(assembled);
  }

  private async renderThumbnails(record: ServiceClip): Promise<void> {
    const id = record.gameClipId;
    const offset =
      record.request.thumbnailSource === 'Offset'
        ? (record.request.thumbnailOffsetMillseconds ?? 0)
        : DEFAULT_THUMBNAIL_OFFSET_MS;
    const large = this.store.tempPath();
    const small = this.store.tempPath();
    const ok = await this.thumbnails.render(
      this.store.videoPath(id),
      offset,
      large,
      small,
      this.controller.signal,
    );
    const stored =
      ok &&
      (await this.store.withLock(id, async () => {
        if (this.store.get(id)?.state !== 'Processing') return false;
        const thumbnails: Record<string, StoredThumbnail> = {};
        for (const [size, file] of [
          ['Large', large],
          ['Small', small],
        ] as const) {
          const target = this.store.thumbnailPath(id, size);
          const { size: fileSize } = await stat(file);
          await this.store.storeFile(file, target);
          thumbnails[size] = { fileSize, contentType: 'image/png' };
        }
        // Re-read after the awaits: a delete may have ended the clip meanwhile.
        const current = this.store.get(id);
        if (current?.state !== 'Processing') return true;
        await this.store.put({ ...current, thumbnails });
        return true;
      }));
    if (!stored) await Promise.all([rm(large, { force: true }), rm(small, { force: true })]);
  }
}
