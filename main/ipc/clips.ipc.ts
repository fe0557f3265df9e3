/**
 * IPC for the clips domain, and the batched `clips:changed` push.
 */
import type { IpcMain } from 'electron';
import { draftEdited, isInHistory } from '../../app/clip/clip';
import { checkCommand } from '../../app/clip/commands';
import { renderCaptionTemplate } from '../../app/clip/caption-template';
import { toClipView, type ClipView } from '../../app/clip/views';
import { fail, ok } from '../../app/ipc/result';
import type { Logger } from '../util/logger';
import type { ClipLedger } from '../ledger/clip-ledger';
import type { IpcServices } from './ports';
import { handle, type Broadcaster, type SenderCheck } from './typed-ipc';

/** Progress and bursts of changes reach the window at most ~10 times a second, as deltas. */
const PUSH_INTERVAL_MS = 100;

export function registerClipsIpc(
  ipcMain: IpcMain,
  isTrustedSender: SenderCheck,
  logger: Logger,
  services: Pick<
    IpcServices,
    'ledger' | 'intake' | 'uploads' | 'addClips' | 'links' | 'shares' | 'removal' | 'storage'
  > &
    Pick<IpcServices, 'network'>,
): void {
  const { ledger, intake, uploads, addClips, links, shares, removal, storage } = services;
  const noStorage = () =>
    Promise.resolve(fail('ipc/invalid-arguments', 'Service storage is not available here.'));
  handle(ipcMain, isTrustedSender, logger, 'service:storage', () =>
    storage ? storage.summary() : noStorage(),
  );
  handle(ipcMain, isTrustedSender, logger, 'service:trim-storage', (rule) =>
    storage ? storage.trim(rule) : noStorage(),
  );
  handle(ipcMain, isTrustedSender, logger, 'service:network-share', () =>
    services.network
      ? services.network.view()
      : Promise.resolve(fail('ipc/invalid-arguments', 'Network sharing is not available here.')),
  );
  handle(ipcMain, isTrustedSender, logger, 'clips:list', async () =>
    ok((await ledger()).all().map(toClipView).sort(byNewest)),
  );
  handle(ipcMain, isTrustedSender, logger, 'clips:update-draft', async (id, patch) => {
    const store = await ledger();
    const record = store.get(id);
    if (!record) return fail('ipc/unknown-clip');
    const check = checkCommand(record, 'edit');
    if (!check.ok) return fail(check.code, check.sentence);
    const next = draftEdited(record, patch, new Date().toISOString());
    await store.put(next);
    return ok(toClipView(next));
  });
  // Sent by the preload with the paths of dropped File objects; no page verb reaches it.
  handle(ipcMain, isTrustedSender, logger, 'drop:register-files', (paths) =>
    intake.registerFiles(paths),
  );
  handle(ipcMain, isTrustedSender, logger, 'clips:add-files', (kind) => addClips.choose(kind));
  handle(ipcMain, isTrustedSender, logger, 'clips:open-link', (id) => links.open(id));
  handle(ipcMain, isTrustedSender, logger, 'clips:show-in-folder', (id) =>
    links.showInFolder ? links.showInFolder(id) : fail('app/internal', 'No file manager here.'),
  );
  handle(ipcMain, isTrustedSender, logger, 'clips:copy-link', (id) =>
    shares
      ? shares.copy(id)
      : Promise.resolve(fail('ipc/invalid-arguments', 'Links are not available here.')),
  );
  handle(ipcMain, isTrustedSender, logger, 'clips:share-page', (id, action) =>
    shares
      ? shares.sharePage(id, action)
      : Promise.resolve(fail('ipc/invalid-arguments', 'Share pages are not available here.')),
  );
  handle(ipcMain, isTrustedSender, logger, 'service:open-gallery', () =>
    shares
      ? shares.openGallery()
      : Promise.resolve(fail('ipc/invalid-arguments', 'The gallery is not available here.')),
  );
  handle(ipcMain, isTrustedSender, logger, 'clips:playback-problem', (id) =>
    shares?.playbackProblem
      ? shares.playbackProblem(id)
      : Promise.resolve(fail('ipc/invalid-arguments', 'Playing is not available here.')),
  );
  handle(ipcMain, isTrustedSender, logger, 'clips:remove-from-service', (ids) =>
    removal
      ? removal.remove(ids)
      : Promise.resolve(fail('ipc/invalid-arguments', 'Removing is not available here.')),
  );
  handle(ipcMain, isTrustedSender, logger, 'clips:force-duplicate', (id) =>
    intake.forceDuplicate(id),
  );
  handle(ipcMain, isTrustedSender, logger, 'clips:send', (ids) => uploads.send(ids));
  handle(ipcMain, isTrustedSender, logger, 'clips:pause', (ids) => uploads.pause(ids));
  handle(ipcMain, isTrustedSender, logger, 'clips:resume', (ids) => uploads.resume(ids));
  handle(ipcMain, isTrustedSender, logger, 'clips:cancel', (ids) => uploads.cancel(ids));
  handle(ipcMain, isTrustedSender, logger, 'clips:retry', (ids) => uploads.retry(ids));
  handle(ipcMain, isTrustedSender, logger, 'clips:restore', (ids) => uploads.restore(ids));
  handle(ipcMain, isTrustedSender, logger, 'clips:locate', (id) => uploads.locate(id));
  handle(ipcMain, isTrustedSender, logger, 'clips:remove', (ids) => uploads.remove(ids));
  handle(ipcMain, isTrustedSender, logger, 'clips:save-thumbnail', (id, images) =>
    uploads.saveThumbnail(id, images),
  );
  handle(ipcMain, isTrustedSender, logger, 'clips:apply-batch', async (ids, edit) => {
    const store = await ledger();
    const now = new Date();
    const changed: ClipView[] = [];
    for (const id of ids) {
      const record = store.get(id);
      if (!record || !checkCommand(record, 'edit').ok) continue;
      const patch = {
        ...(edit.visibility ? { visibility: edit.visibility } : {}),
        ...(edit.captionTemplate !== undefined
          ? { caption: renderCaptionTemplate(edit.captionTemplate, record, now) }
          : {}),
      };
      const next = draftEdited(record, patch, now.toISOString());
      await store.put(next);
      changed.push(toClipView(next));
    }
    return ok(changed);
  });
  handle(ipcMain, isTrustedSender, logger, 'history:clear', async () => {
    const store = await ledger();
    let removed = 0;
    for (const record of store.all()) {
      if (!isInHistory(record.state)) continue;
      await store.remove(record.id);
      removed += 1;
    }
    return ok(removed);
  });
}

/**
 * Newest first. ISO 8601 times in UTC order as plain strings; `localeCompare` would run ICU's
 * collation on each of the ~130,000 comparisons a 10,000-clip list takes, which a reopened
 * window waits for.
 */
function byNewest(a: ClipView, b: ClipView): number {
  const left = a.recordedAt ?? a.updatedAt;
  const right = b.recordedAt ?? b.updatedAt;
  return left < right ? 1 : left > right ? -1 : 0;
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
