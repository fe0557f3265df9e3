/**
 * A new clip's draft, made once the probe is known: the caption template rendered for this clip
 * (`{file} {date} {time} {duration} {game}`), and the visibility and thumbnail frame from Settings.
 *
 * Made here, once, so nothing downstream has to guess: the thumbnail offset is always set (within
 * the clip), and the composition root never re-reads the ledger to undo a default.
 */
import type { UserVisibility } from '../gameclips/enums';
import { renderCaptionTemplate } from './caption-template';
import type { ClipDraft, ClipProbe } from './clip';

export interface DraftDefaults {
  readonly captionTemplate: string;
  readonly visibility: UserVisibility;
  readonly thumbnailOffsetMs: number;
}

/** The frame to show: the settings' offset, kept inside a clip of known length. */
export function thumbnailOffsetWithin(offsetMs: number, probe: ClipProbe | undefined): number {
  const wanted = Math.max(0, Math.round(offsetMs));
  if (!probe || !(probe.durationSeconds > 0)) return wanted;
  const lastMs = Math.max(0, Math.floor(probe.durationSeconds * 1000) - 1);
  return Math.min(wanted, lastMs);
}

/** The draft a clip starts with; `now` stands in for the recording time when there is no probe. */
export function initialDraft(
  defaults: DraftDefaults,
  clip: { readonly path: string; readonly probe?: ClipProbe; readonly game?: string },
  now: Date,
): ClipDraft {
  const game = clip.game ? { game: clip.game } : {};
  const target = {
    file: { path: clip.path },
    ...(clip.probe ? { probe: clip.probe } : {}),
    draft: game,
  };
  return {
    caption: renderCaptionTemplate(defaults.captionTemplate, target, now),
    visibility: defaults.visibility,
    thumbnailOffsetMs: thumbnailOffsetWithin(defaults.thumbnailOffsetMs, clip.probe),
    ...game,
  };
}
