/**
 * A damaged record the intent journal could not rebuild still names its clip: the file name is
 * the clip's id, which every reservation carries as its correlation id. The service is asked for
 * the clips carrying it, the way an ambiguous reserve is reconciled (reservation-service.ts):
 * a reservation still waiting for its bytes is deleted (its upload URIs died with the record and
 * the read model never returns them, so it can never be uploaded to; intake reserves the file
 * afresh, leaving one live reservation), and anything further along is reported.
 */
import { correlationIdOf } from '../../app/gameclips/request';
import type { Logger } from '../util/logger';
import type { GameClipsClient } from '../gameclips/gameclips-client';

export interface LostRecordOutcome {
  readonly deleted: readonly string[];
  /** Clips of lost records the service has past PendingUpload (id -> service state). */
  readonly kept: ReadonlyArray<{
    readonly clipId: string;
    readonly gameClipId: string;
    readonly state: string;
  }>;
}

export async function reconcileLostRecords(
  clipIds: readonly string[],
  deps: { readonly client: GameClipsClient; readonly scid: string; readonly logger: Logger },
): Promise<LostRecordOutcome | undefined> {
  if (clipIds.length === 0) return { deleted: [], kept: [] };
  const wanted = new Set(clipIds);
  const found: Array<{ clipId: string; gameClipId: string; state: string }> = [];
  let continuationToken: string | undefined;
  do {
    const page = await deps.client.listClips(deps.scid, {
      ...(continuationToken ? { continuationToken } : {}),
      maxItems: 100,
    });
    if (!page.ok) {
      deps.logger.warn('ledger: could not list clips to reconcile lost records', {
        count: clipIds.length,
      });
      return undefined;
    }
    for (const clip of page.value.gameClips) {
      const clipId = correlationIdOf(clip.systemProperties);
      if (clipId !== undefined && wanted.has(clipId))
        found.push({ clipId, gameClipId: clip.gameClipId, state: String(clip.state) });
    }
    continuationToken = page.value.pagingInfo?.continuationToken ?? undefined;
  } while (continuationToken);
  const deleted: string[] = [];
  const kept: Array<{ clipId: string; gameClipId: string; state: string }> = [];
  for (const clip of found) {
    if (clip.state !== 'PendingUpload') {
      kept.push(clip);
      deps.logger.warn('ledger: a clip whose record was lost is on the service', clip);
      continue;
    }
    const result = await deps.client.deleteClip(deps.scid, clip.gameClipId);
    if (result.ok || (result.failure.kind === 'http' && result.failure.status === 404)) {
      deleted.push(clip.gameClipId);
      deps.logger.info('ledger: removed the reservation of a lost record', clip);
    }
  }
  return { deleted, kept };
}
