/**
 * "Remove from the service" (issue 16, item 6): DELETE each published clip on the service, then
 * mark its record as no longer online. The file on disk is never touched; the record stays in
 * History. A 404 means the service no longer has the clip, which is the same outcome.
 */
import type { ClipRecord } from '../../app/clip/clip';
import { toClipView, type ClipView } from '../../app/clip/views';
import { ok, type IpcResult } from '../../app/ipc/result';
import type { Logger } from '../util/logger';
import type { GameClipsClient } from '../gameclips/gameclips-client';
import type { ClipLedger } from '../ledger/clip-ledger';

export interface RemovalPort {
  remove(ids: readonly string[]): Promise<IpcResult<readonly ClipView[]>>;
}

/** Whether a clip is online on the service and may be removed from it. */
export function removableFromService(record: ClipRecord): boolean {
  return (
    record.state === 'published' &&
    record.reservation !== undefined &&
    record.removedFromServiceAt === undefined
  );
}

export function createRemovalPort(deps: {
  readonly ledger: () => Promise<ClipLedger>;
  readonly client: () => Promise<Pick<GameClipsClient, 'deleteClip'>>;
  readonly logger: Logger;
  readonly now?: () => Date;
}): RemovalPort {
  const now = deps.now ?? (() => new Date());
  return {
    async remove(ids) {
      const ledger = await deps.ledger();
      const client = await deps.client();
      const answered: ClipView[] = [];
      for (const id of new Set(ids)) {
        const record = ledger.get(id);
        if (!record) continue;
        if (!removableFromService(record) || !record.reservation) {
          answered.push(toClipView(record));
          continue;
        }
        const result = await client.deleteClip(
          record.reservation.scid,
          record.reservation.gameClipId,
        );
        const gone = result.ok || (result.failure.kind === 'http' && result.failure.status === 404);
        if (!gone) {
          deps.logger.warn('remove from service failed', { id, failure: result.failure.kind });
          answered.push(toClipView(record));
          continue;
        }
        const latest = ledger.get(id) ?? record;
        const { links: _links, ...rest } = latest;
        const next: ClipRecord = {
          ...rest,
          removedFromServiceAt: now().toISOString(),
          updatedAt: now().toISOString(),
        };
        await ledger.put(next);
        answered.push(toClipView(next));
      }
      return ok(answered);
    },
  };
}
