/**
 * IPC for the clips domain, and the batched `clips:changed` push.
 */
import type { IpcMain } from 'electron';
import { draftEdited, isPending } from '../../app/clip/clip';
import { toClipView, type ClipView } from '../../app/clip/views';
import { fail, ok } from '../../app/ipc/result';
import type { Logger } from '../core/logger';
import type { ClipLedger } from '../ledger/clip-ledger';
import { handle, type Broadcaster, type SenderCheck } from './typed-ipc';

/** Progress and bursts of changes reach the window at most ~10 times a second, as deltas. */
const PUSH_INTERVAL_MS = 100;

export function registerClipsIpc(
  ipcMain: IpcMain,
  isTrustedSender: SenderCheck,
  logger: Logger,
  ledger: () => Promise<ClipLedger>,
): void {
  handle(ipcMain, isTrustedSender, logger, 'clips:list', async () =>
    ok((await ledger()).all().map(toClipView).sort(byNewest)),
  );
  handle(ipcMain, isTrustedSender, logger, 'clips:update-draft', async (id, patch) => {
    const store = await ledger();
    const record = store.get(id);
    if (!record) return fail('ipc/unknown-clip');
    if (!isPending(record.state) && record.state !== 'published')
      return fail('ipc/invalid-arguments', 'This clip can no longer be edited.');
    const next = draftEdited(record, patch, new Date().toISOString());
    await store.put(next);
    return ok(toClipView(next));
  });
}

function byNewest(a: ClipView, b: ClipView): number {
  return (b.recordedAt ?? b.updatedAt).localeCompare(a.recordedAt ?? a.updatedAt);
}

/** Forwards ledger changes to the window as coalesced deltas. */
export function pushClipChanges(ledger: ClipLedger, broadcaster: Broadcaster): () => void {
  const upserts = new Map<string, ClipView>();
  const removed = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    if (upserts.size === 0 && removed.size === 0) return;
    broadcaster.send('clips:changed', { upserts: [...upserts.values()], removedIds: [...removed] });
    upserts.clear();
    removed.clear();
  };
  const unsubscribe = ledger.subscribe(({ upserted, removedId }) => {
    if (upserted) {
      upserts.set(upserted.id, toClipView(upserted));
      removed.delete(upserted.id);
    }
    if (removedId) {
      upserts.delete(removedId);
      removed.add(removedId);
    }
    timer ??= setTimeout(flush, PUSH_INTERVAL_MS);
  });
  return () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
    flush();
  };
}
