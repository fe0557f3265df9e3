/**
 * Frames from a clip's local file, drawn on a canvas: the filmstrip, and the two thumbnail PNGs
 * GameClips takes (large 754x424, small 370x208). The video comes from main's media protocol by
 * clip id; the window never holds a path.
 */

/** The media URL of a clip, served by main for known clip ids only. */
export function clipMediaUrl(clipId: string): string {
  return `gameclips-media://clip/${clipId}`;
}

export const LARGE_THUMBNAIL = { width: 754, height: 424 } as const;
export const SMALL_THUMBNAIL = { width: 370, height: 208 } as const;

/** A muted, CORS-clean video element for drawing frames; not attached to the page. */
export function offscreenVideo(clipId: string): HTMLVideoElement {
  const video = document.createElement('video');
  video.crossOrigin = 'anonymous';
  video.muted = true;
  video.preload = 'auto';
  video.playsInline = true;
  video.src = clipMediaUrl(clipId);
  return video;
}

/** How long a load or a seek may take before the picker says the clip cannot be played. */
const MEDIA_TIMEOUT_MS = 15_000;

function waitForEvent(video: HTMLVideoElement, event: 'loadedmetadata' | 'seeked'): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      video.removeEventListener(event, onEvent);
      video.removeEventListener('error', onError);
    };
    const onEvent = () => {
      done();
      resolve();
    };
    const onError = () => {
      done();
      reject(new Error(video.error?.message || 'The clip could not be played.'));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error('The clip took too long to load.'));
    }, MEDIA_TIMEOUT_MS);
    video.addEventListener(event, onEvent);
    video.addEventListener('error', onError);
  });
}

/**
 * Resolves once the video knows its duration and size. Frame data is waited for by `seekTo`:
 * during a seek `readyState` drops below HAVE_CURRENT_DATA, and `loadeddata` never fires again.
 */
export function whenLoaded(video: HTMLVideoElement): Promise<void> {
  if (video.error)
    return Promise.reject(new Error(video.error.message || 'The clip could not be played.'));
  if (video.readyState >= HTMLMediaElement.HAVE_METADATA) return Promise.resolve();
  return waitForEvent(video, 'loadedmetadata');
}

/** Seeks to `ms` (clamped into the clip) and resolves once that frame can be drawn. */
export function seekTo(video: HTMLVideoElement, ms: number): Promise<void> {
  const duration = Number.isFinite(video.duration) ? video.duration : 0;
  const target = Math.min(Math.max(0, ms / 1000), Math.max(0, duration - 0.05));
  if (
    !video.seeking &&
    Math.abs(video.currentTime - target) < 0.001 &&
    video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA
  )
    return Promise.resolve();
  const seeked = waitForEvent(video, 'seeked');
  video.currentTime = target;
  return seeked;
}

/** Draws the current frame letterboxed into a canvas of the given size. */
export function drawFrame(
  video: HTMLVideoElement,
  size: { readonly width: number; readonly height: number },
): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  const context = canvas.getContext('2d');
  if (context === null) throw new Error('No 2D canvas is available.');
  context.fillStyle = '#000';
  context.fillRect(0, 0, size.width, size.height);
  const sourceWidth = video.videoWidth || size.width;
  const sourceHeight = video.videoHeight || size.height;
  const scale = Math.min(size.width / sourceWidth, size.height / sourceHeight);
  const width = sourceWidth * scale;
  const height = sourceHeight * scale;
  context.drawImage(video, (size.width - width) / 2, (size.height - height) / 2, width, height);
  return canvas;
}

/** The canvas as PNG bytes. */
export async function canvasPng(canvas: HTMLCanvasElement): Promise<Uint8Array<ArrayBuffer>> {
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (blob === null) throw new Error('The frame could not be encoded as PNG.');
  return new Uint8Array(await blob.arrayBuffer());
}

/** Both thumbnail PNGs for the frame at `offsetMs`, from a video element already loaded. */
export async function thumbnailsAt(
  video: HTMLVideoElement,
  offsetMs: number,
): Promise<{ readonly large: Uint8Array<ArrayBuffer>; readonly small: Uint8Array<ArrayBuffer> }> {
  await seekTo(video, offsetMs);
  const [large, small] = await Promise.all([
    canvasPng(drawFrame(video, LARGE_THUMBNAIL)),
    canvasPng(drawFrame(video, SMALL_THUMBNAIL)),
  ]);
  return { large, small };
}

/** Renders a clip's thumbnails off-screen (main asked for them with clips:thumbnails-requested). */
export async function renderThumbnailsOffscreen(
  clipId: string,
  offsetMs: number,
): Promise<{ readonly large: Uint8Array<ArrayBuffer>; readonly small: Uint8Array<ArrayBuffer> }> {
  const video = offscreenVideo(clipId);
  try {
    await whenLoaded(video);
    return await thumbnailsAt(video, offsetMs);
  } finally {
    video.removeAttribute('src');
    video.load();
  }
}

/** `count` evenly spaced offsets inside a clip of `durationMs` (never the black first frame). */
export function filmstripOffsets(durationMs: number, count: number): number[] {
  if (durationMs <= 0 || count <= 0) return [];
  const step = durationMs / (count + 1);
  return Array.from({ length: count }, (_, index) => Math.round(step * (index + 1)));
}
