/**
 * The UploadsPort the IPC handlers call: each verb is checked against the same table the window
 * draws its buttons from (app/clip/commands.ts), acts through the UploadService, and answers the
 * clips as the ledger now holds them, or a refusal with a code and a sentence.
 */
import type { ClipRecord } from '../../app/clip/clip';
import type { ClipCommand } from '../../app/clip/commands';
import { toClipView, type ClipView } from '../../app/clip/views';
import type { AppStatus, ThumbnailImages } from '../../app/ipc/contract';
import { fail, ok, type IpcResult } from '../../app/ipc/result';
import type { ClipLedger } from '../ledger/clip-ledger';
import type { UploadsPort } from '../ipc/ports';
import {
  allowed,
  locateClip,
  removeClips,
  restoreClips,
  type CommandAnswer,
} from './clip-commands';
import type { ThumbnailStore } from './thumbnail-store';
import type { UploadService } from './upload-service';

export function createUploadsPort(deps: {
  readonly uploads: () => Promise<{
    readonly service: UploadService;
    readonly ledger: ClipLedger;
    readonly thumbnails: ThumbnailStore;
    /** Puts a `reserving` record in the reservation queue (restore, locate). */
    readonly reserveAgain?: (clipId: string) => void;
  }>;
  readonly status: () => Promise<AppStatus>;
  /** Main's file dialog for Locate; undefined when the user cancels. */
  readonly chooseFile?: () => Promise<string | undefined>;
}): UploadsPort {
  const views = (records: readonly ClipRecord[]) => ok(records.map(toClipView));
  const verb =
    (
      command: ClipCommand,
      act: (service: UploadService, ids: readonly string[]) => Promise<ClipRecord[]>,
    ) =>
    async (ids: readonly string[]): Promise<IpcResult<readonly ClipView[]>> => {
      const { service, ledger } = await deps.uploads();
      // The same table as the window's buttons: a refusal is answered, never silently ignored.
      const { records, refusal } = allowed(ledger, ids, command);
      if (refusal) return fail(refusal.code, refusal.detail);
      const changed = await act(
        service,
        records.map((record) => record.id),
      );
      // Ids the verb could not apply are answered as they are, so the window can redraw them.
      const untouched = ids
        .filter((id) => !changed.some((record) => record.id === id))
        .map((id) => ledger.get(id))
        .filter((record): record is ClipRecord => record !== undefined);
      return views([...changed.map((record) => ledger.get(record.id) ?? record), ...untouched]);
    };
  const commandDeps = async () => {
    const { service, ledger, reserveAgain } = await deps.uploads();
    return {
      ledger,
      reserveAgain: reserveAgain ?? (() => undefined),
      cancel: (ids: readonly string[]) => service.cancel(ids),
    };
  };
  const answer = (result: CommandAnswer) =>
    result.ok ? views(result.records) : fail(result.error.code, result.error.detail);
  return {
    send: verb('send', (service, ids) => service.send(ids)),
    pause: verb('pause', (service, ids) => service.pause(ids)),
    resume: verb('resume', (service, ids) => service.resume(ids)),
    cancel: verb('cancel', (service, ids) => service.cancel(ids)),
    retry: verb('retry', (service, ids) => service.retry(ids)),
    async restore(ids: readonly string[]) {
      return answer(await restoreClips(await commandDeps(), ids));
    },
    async locate(id: string) {
      const context = await commandDeps();
      const { refusal } = allowed(context.ledger, [id], 'locate');
      if (refusal) return fail(refusal.code, refusal.detail);
      const chosen = deps.chooseFile ? await deps.chooseFile() : undefined;
      return answer(await locateClip(context, id, chosen));
    },
    async remove(ids: readonly string[]) {
      return answer(await removeClips(await commandDeps(), ids));
    },
    async pauseAll() {
      await (await deps.uploads()).service.pauseAll();
      return ok(await deps.status());
    },
    async resumeAll() {
      (await deps.uploads()).service.resumeAll();
      return ok(await deps.status());
    },
    async saveThumbnail(clipId: string, images: ThumbnailImages) {
      const { ledger, thumbnails } = await deps.uploads();
      const record = ledger.get(clipId);
      if (!record) return fail('ipc/unknown-clip');
      const saved = await thumbnails.save(clipId, images);
      if (!saved.ok) return fail('upload/invalid-thumbnail', saved.reason);
      return ok(toClipView(record));
    },
  };
}
