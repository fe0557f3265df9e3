/**
 * Caption templates: `{file}`, `{date}`, `{time}`, `{duration}` and `{game}` filled from a clip, cut to the
 * caption limit without splitting a surrogate pair. Used for the default caption and batch edits.
 */
import { truncateCaption } from '../gameclips/validate';
import type { ClipRecord } from './clip';
import { baseName } from './display-name';

export const CAPTION_TOKENS = ['file', 'date', 'time', 'duration', 'game'] as const;

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** Fills the tokens; unknown `{words}` stay as typed, so a caption can still contain braces. */
export function renderCaptionTemplate(
  template: string,
  clip: {
    readonly file: Pick<ClipRecord['file'], 'path'>;
    readonly probe?: ClipRecord['probe'];
    readonly draft?: Pick<ClipRecord['draft'], 'game'>;
  },
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
    // No game known: the token goes, so a caption never reads "{game}".
    game: clip.draft?.game ?? '',
  };
  const filled = template.replace(
    /\{(file|date|time|duration|game)\}/gu,
    (_match, token: string) => values[token as keyof typeof values],
  );
  // A token with nothing to say (no game) leaves no double space or dangling edge behind.
  return truncateCaption(filled.replace(/ {2,}/gu, ' ').trim());
}
