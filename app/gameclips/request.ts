/**
 * Builds the InitialUploadRequest for a clip from its probe and the settings, exactly as
 * clip-lifecycle.md section 2 lists, and carries the local correlation id in `systemProperties`
 * so an ambiguous reservation can be found again by listing the user's clips.
 */
import type { ClipDraft, ClipProbe } from '../clip/clip';
import { expectedBlockCount } from './blocks';
import type { ThumbnailSource } from './enums';
import { truncateCaption } from './validate';
import type { InitialUploadRequest } from './wire';

const CORRELATION_PREFIX = 'gameclips-companion.clip=';

export interface ReserveInputs {
  readonly correlationId: string;
  readonly probe: ClipProbe;
  readonly fileSize: number;
  readonly draft: ClipDraft;
  /** `Upload` in the app (a frame picked later can still be sent), `Offset` in headless mode. */
  readonly thumbnailSource: ThumbnailSource;
  readonly thumbnailOffsetMs?: number;
  readonly savedByUser: boolean;
  readonly greatestMomentId?: string;
}

/** The property bag that names the local clip; stored unchanged by the service (3.1). */
export function correlationProperties(correlationId: string): string {
  return `${CORRELATION_PREFIX}${correlationId};`;
}

/** The local clip id carried by a clip's `systemProperties`, if it is one of ours. */
export function correlationIdOf(systemProperties: string | undefined): string | undefined {
  if (systemProperties === undefined) return undefined;
  const start = systemProperties.indexOf(CORRELATION_PREFIX);
  if (start < 0) return undefined;
  const rest = systemProperties.slice(start + CORRELATION_PREFIX.length);
  const end = rest.indexOf(';');
  return end < 0 ? rest : rest.slice(0, end);
}

/** The reserve body for a clip; validate it with validateInitialUploadRequest before sending. */
export function buildInitialUploadRequest(inputs: ReserveInputs): InitialUploadRequest {
  // A clip shorter than a second still has a length: round up so it is never 0 (u32 seconds).
  const durationInSeconds = Math.max(1, Math.ceil(inputs.probe.durationSeconds));
  const offset =
    inputs.thumbnailSource === 'Offset'
      ? Math.min(
          Math.max(
            0,
            Math.round(
              inputs.draft.thumbnailOffsetMs ??
                inputs.thumbnailOffsetMs ??
                Math.min(3000, durationInSeconds * 500),
            ),
          ),
          durationInSeconds * 1000,
        )
      : undefined;
  return {
    greatestMomentId: inputs.greatestMomentId ?? '',
    // Drafts are limited to 250 units at the IPC boundary; a caption from elsewhere (a template
    // filled with a long file name) is cut at a character boundary rather than refused.
    userCaption: truncateCaption(inputs.draft.caption),
    dateRecorded: inputs.probe.recordedAt,
    durationInSeconds,
    expectedBlocks: expectedBlockCount(inputs.fileSize),
    fileSize: inputs.fileSize,
    type: 'UserGenerated',
    source: 'Intermediate',
    visibility: inputs.draft.visibility,
    systemProperties: correlationProperties(inputs.correlationId),
    thumbnailSource: inputs.thumbnailSource,
    ...(offset !== undefined ? { thumbnailOffsetMillseconds: offset } : {}),
    savedByUser: inputs.savedByUser,
  };
}
