/**
 * Caption templates: `{file}`, `{date}`, `{time}` and `{duration}` filled from a clip, cut to the
 * caption limit without splitting a surrogate pair. Used for the default caption and batch edits.
 */
import { truncateCaption } from '../gameclips/validate';
import type { ClipRecord } from './clip';
import { baseName } from './display-name';

export const CAPTION_TOKENS = ['file', 'date', 'time', 'duration'] as const;

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** Fills the tokens; unknown `{words}` stay as typed, so a caption can still contain braces. */
export function renderCaptionTemplate(
  template: string,
  clip: { readonly file: Pick<ClipRecord['file'], 'path'>; readonly probe?: ClipRecord['probe'] },
  now: Date,
): string {
  const recorded = clip.probe ? new Date(clip.probe.recordedAt) : now;
  const fileName = baseName(clip.file.path).replace(/\.[^.]+$/u, '');
  const seconds = Math.round(clip.probe?.durationSeconds ?? 0);
  const values: Record<(typeof CAPTION_TOKENS)[number], string> = {
    file: fileName,
    date: `${recorded.getFullYear()}-${pad(recorded.getMonth() + 1)}-${pad(recorded.getDate())}`,
    time: `${pad(recorded.getHours())}:${pad(recorded.getMinutes())}`,
    duration: `${Math.floor(seconds / 60)}:${pad(seconds % 60)}`,
  };
  const filled = template.replace(
    /\{(file|date|time|duration)\}/gu,
    (_match, token: string) => values[token as keyof typeof values],
  );
  return truncateCaption(filled);
}
