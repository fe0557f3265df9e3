/**
 * What the window sees of a clip: derived from the ledger record, with no token and no full path.
 */
import type { ErrorView } from '../errors';
import type { UserVisibility } from '../gameclips/enums';
import type { ClipRecord, ClipState } from './clip';
import { commandsFor, type ClipCommand } from './commands';
import { baseName, escapeDisplayName } from './display-name';

export interface ClipView {
  readonly id: string;
  readonly fileName: string;
  readonly sizeBytes: number;
  readonly durationSeconds?: number;
  readonly recordedAt?: string;
  readonly width?: number;
  readonly height?: number;
  readonly state: ClipState;
  readonly gameClipId?: string;
  readonly caption: string;
  readonly visibility: UserVisibility;
  /** The chosen thumbnail frame in ms; absent means the settings' default. */
  readonly thumbnailOffsetMs?: number;
  readonly error?: ErrorView;
  /** 0..1 while uploading. */
  readonly progress?: number;
  readonly updatedAt: string;
  /** From the service once Published, for the history. */
  readonly serviceThumbnailUri?: string;
  readonly downloadUri?: string;
  /** Thumbnails could not be had from the window in time; the clip went without. */
  readonly thumbnailsMissing?: boolean;
  /** The game it is from, for search, filters and `{game}` in captions. */
  readonly game?: string;
  /** Why the clip took a detour (reserved again on another service, say). */
  readonly notice?: ErrorView;
  /** What the user may do now (app/clip/commands.ts): the window draws its buttons from this. */
  readonly commands: readonly ClipCommand[];
  /** Removed from the service by the user: no longer online (issue 16); the file stays. */
  readonly removedFromServiceAt?: string;
}

export function toClipView(record: ClipRecord): ClipView {
  const upload = record.upload;
  return {
    id: record.id,
    fileName: escapeDisplayName(baseName(record.file.path)),
    sizeBytes: record.file.size,
    ...(record.probe
      ? { durationSeconds: record.probe.durationSeconds, recordedAt: record.probe.recordedAt }
      : {}),
    ...(record.probe?.width !== undefined ? { width: record.probe.width } : {}),
    ...(record.probe?.height !== undefined ? { height: record.probe.height } : {}),
    state: record.state,
    ...(record.reservation ? { gameClipId: record.reservation.gameClipId } : {}),
    caption: record.draft.caption,
    visibility: record.draft.visibility,
    ...(record.draft.thumbnailOffsetMs !== undefined
      ? { thumbnailOffsetMs: record.draft.thumbnailOffsetMs }
      : {}),
    ...(record.error ? { error: record.error } : {}),
    ...(upload && upload.expectedBlocks > 0
      ? { progress: upload.ackedBlocks.length / upload.expectedBlocks }
      : {}),
    updatedAt: record.updatedAt,
    ...(record.links?.smallThumbnailUri
      ? { serviceThumbnailUri: record.links.smallThumbnailUri }
      : {}),
    ...(record.links?.downloadUri ? { downloadUri: record.links.downloadUri } : {}),
    ...(record.thumbnails === 'unavailable' ? { thumbnailsMissing: true } : {}),
    ...(record.draft.game ? { game: record.draft.game } : {}),
    ...(record.notice ? { notice: record.notice } : {}),
    commands: commandsFor(record),
    ...(record.removedFromServiceAt ? { removedFromServiceAt: record.removedFromServiceAt } : {}),
  };
}
