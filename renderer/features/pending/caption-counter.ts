/**
 * The caption's budget as GameClips counts it: UTF-16 code units (`String#length`), as a .NET
 * service does. An emoji outside the BMP costs two.
 */
import { MAX_CAPTION_UTF16 } from '../../../app/gameclips/limits';
import { truncateCaption } from '../../../app/gameclips/validate';

/** Code units left before the limit; never negative. */
export function captionRemaining(caption: string, limit = MAX_CAPTION_UTF16): number {
  return Math.max(0, limit - caption.length);
}

/** What a field accepts of typed or pasted text: at most the limit, never half a surrogate pair. */
export function acceptCaptionInput(text: string, limit = MAX_CAPTION_UTF16): string {
  return truncateCaption(text, limit);
}

/** Few enough left that the counter should draw the eye. */
export function isCaptionNearLimit(caption: string, limit = MAX_CAPTION_UTF16): boolean {
  return captionRemaining(caption, limit) <= 20;
}
