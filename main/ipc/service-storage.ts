/**
 * The built-in service's storage in Settings (issue 16, item 5): how much it holds and where, and
 * trimming it to a cap or by age. Clips the service removed are marked no longer online in the
 * ledger; the user's files are never touched.
 */
import type { ServiceStorage } from '../../app/ipc/contract';
import { fail, ok, type IpcResult } from '../../app/ipc/result';
import type { ClipLedger } from '../ledger/clip-ledger';
import type { PublishedService } from './share-link';

export interface StoragePort {
  summary(): Promise<IpcResult<ServiceStorage>>;
  trim(
    rule: { maxBytes: number } | { olderThanDays: number },
  ): Promise<IpcResult<ServiceStorage & { readonly removed: number }>>;
}

export interface BuiltInStoragePort extends StoragePort {
  /** The same trim, also naming the ledger ids of the clips now no longer online. */
  trimmed(
    rule: { maxBytes: number } | { olderThanDays: number },
  ): Promise<IpcResult<ServiceStorage & { readonly removed: number; readonly clipIds: string[] }>>;
}

export function createStoragePort(deps: {
  readonly ledger: () => Promise<ClipLedger>;
  readonly service: () => Promise<PublishedService>;
}): BuiltInStoragePort {
  async function ask(path: string, body?: unknown): Promise<IpcResult<Record<string, unknown>>> {
    const service = await deps.service();
    if (service.kind !== 'sandbox')
      return fail(
        'ipc/invalid-arguments',
        'Only the built-in service keeps clips on this computer.',
      );
    const authorization = await service.account.authorization();
    if (authorization === undefined)
      return fail('ipc/invalid-arguments', 'The built-in service has no account yet.');
    try {
      const response = await fetch(`${service.baseUrl}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          Authorization: authorization,
          'X-RequestedServiceVersion': '1',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(30_000),
      });
      if (response.status === 200) return ok((await response.json()) as Record<string, unknown>);
      await response.body?.cancel();
    } catch {
      // Falls through to the sentence below.
    }
    return fail(
      'ipc/invalid-arguments',
      'The built-in service did not answer; try again in a moment.',
    );
  }
  const storageOf = (body: Record<string, unknown>): ServiceStorage => ({
    clips: Number(body.clips ?? 0),
    savedClips: Number(body.savedClips ?? 0),
    videoBytes: Number(body.videoBytes ?? 0),
    thumbnailBytes: Number(body.thumbnailBytes ?? 0),
    totalBytes: Number(body.totalBytes ?? 0),
    dataDir: String(body.dataDir ?? ''),
  });
  return {
    async summary() {
      const answer = await ask('/users/me/storage');
      return answer.ok ? ok(storageOf(answer.value)) : answer;
    },
    async trim(rule) {
      const answer = await trimmed(rule);
      if (!answer.ok) return answer;
      const { clipIds: _clipIds, ...rest } = answer.value;
      return ok(rest);
    },
    trimmed,
  };
  async function trimmed(
    rule: { maxBytes: number } | { olderThanDays: number },
  ): Promise<IpcResult<ServiceStorage & { readonly removed: number; readonly clipIds: string[] }>> {
    const answer = await ask('/users/me/storage/trim', rule);
    if (!answer.ok) return answer;
    const removed = new Set(
      Array.isArray(answer.value.removed) ? answer.value.removed.map(String) : [],
    );
    const ledger = await deps.ledger();
    const now = new Date().toISOString();
    const clipIds: string[] = [];
    for (const record of ledger.all()) {
      if (!record.reservation || !removed.has(record.reservation.gameClipId)) continue;
      if (record.removedFromServiceAt !== undefined) continue;
      const { links: _links, ...rest } = record;
      await ledger.put({ ...rest, removedFromServiceAt: now, updatedAt: now });
      clipIds.push(record.id);
    }
    return ok({ ...storageOf(answer.value), removed: removed.size, clipIds });
  }
}
