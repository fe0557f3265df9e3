/**
 * Thumbnails the service renders itself for `thumbnailSource` Default (the 3-second mark) and
 * Offset (`thumbnailOffsetMillseconds`), at 754x424 and 370x208 (4.4, A10), with ffmpeg.
 *
 * ffmpeg is optional: without it clips publish with no thumbnails and /sandbox/health says why.
 */
import { execFile } from 'node:child_process';
import { rm, stat } from 'node:fs/promises';
import { THUMBNAIL_SIZES } from '../../app/gameclips/limits';

export interface FfmpegStatus {
  readonly available: boolean;
  readonly path: string | null;
  readonly version?: string;
  readonly note?: string;
}

/** The frame Default thumbnails show (4.4). */
export const DEFAULT_THUMBNAIL_OFFSET_MS = 3000;

/** At most this many ffmpeg processes at once: the machines have two cores. */
const MAX_CONCURRENT = 2;

function run(
  file: string,
  args: readonly string[],
  signal: AbortSignal,
): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { signal, timeout: 60_000, maxBuffer: 4 * 1024 * 1024, windowsHide: true },
      (error, stdout, stderr) => resolve({ ok: error === null, stdout, stderr }),
    );
  });
}

async function nonEmpty(filePath: string): Promise<boolean> {
  try {
    return (await stat(filePath)).size > 0;
  } catch {
    return false;
  }
}

function fit(size: { width: number; height: number }): string {
  const { width, height } = size;
  return `scale=${width}:${height}:force_original_aspect_ratio=decrease,pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2,setsar=1`;
}

export class ThumbnailRenderer {
  private status: Promise<FfmpegStatus> | undefined;
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly ffmpegPath: string | null) {}

  /** Whether ffmpeg can be run, found once and remembered. */
  probe(): Promise<FfmpegStatus> {
    this.status ??= this.detect();
    return this.status;
  }

  /**
   * Renders both sizes from `offsetMs` into the two output paths (PNG). Falls back to the first
   * frame when the offset lies past the real end of the video (its declared duration may be
   * wrong). Returns false when nothing could be rendered, e.g. the bytes are not a video.
   */
  async render(
    videoPath: string,
    offsetMs: number,
    largePath: string,
    smallPath: string,
    signal: AbortSignal,
  ): Promise<boolean> {
    const status = await this.probe();
    if (!status.available || status.path === null) return false;
    await this.acquire();
    try {
      for (const offset of offsetMs > 0 ? [offsetMs, 0] : [0]) {
        if (signal.aborted) return false;
        const { ok } = await run(
          status.path,
          this.args(videoPath, offset, largePath, smallPath),
          signal,
        );
        if (ok && (await nonEmpty(largePath)) && (await nonEmpty(smallPath))) return true;
        await Promise.all([rm(largePath, { force: true }), rm(smallPath, { force: true })]);
      }
      return false;
    } finally {
      this.release();
    }
  }

  private args(
    videoPath: string,
    offsetMs: number,
    largePath: string,
    smallPath: string,
  ): string[] {
    const graph = `[0:v]split=2[a][b];[a]${fit(THUMBNAIL_SIZES.Large)}[l];[b]${fit(THUMBNAIL_SIZES.Small)}[s]`;
    const image = ['-frames:v', '1', '-update', '1', '-f', 'image2', '-c:v', 'png'];
    return [
      '-hide_banner',
      '-loglevel',
      'error',
      '-nostdin',
      '-y',
      '-ss',
      (offsetMs / 1000).toFixed(3),
      '-i',
      videoPath,
      '-filter_complex',
      graph,
      '-map',
      '[l]',
      ...image,
      largePath,
      '-map',
      '[s]',
      ...image,
      smallPath,
    ];
  }

  private async detect(): Promise<FfmpegStatus> {
    if (this.ffmpegPath === null)
      return {
        available: false,
        path: null,
        note: 'Thumbnail rendering is turned off (ffmpegPath: null); Default and Offset clips publish without thumbnails.',
      };
    const { ok, stdout } = await run(
      this.ffmpegPath,
      ['-hide_banner', '-version'],
      AbortSignal.timeout(10_000),
    );
    if (!ok)
      return {
        available: false,
        path: this.ffmpegPath,
        note: `ffmpeg was not found or did not run (${this.ffmpegPath}); Default and Offset clips publish without thumbnails.`,
      };
    const version = /ffmpeg version (\S+)/.exec(stdout)?.[1];
    return { available: true, path: this.ffmpegPath, ...(version ? { version } : {}) };
  }

  private async acquire(): Promise<void> {
    if (this.active < MAX_CONCURRENT) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}
