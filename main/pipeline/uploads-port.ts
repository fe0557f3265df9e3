/**
 * The UploadsPort the IPC handlers call: each verb acts through the UploadService and answers the
 * clips as the ledger now holds them.
 */
import type { ClipRecord } from '../../app/clip/clip';
import { toClipView, type ClipView } from '../../app/clip/views';
import type { AppStatus, ThumbnailImages } from '../../app/ipc/contract';
import { fail, ok, type IpcResult } from '../../app/ipc/result';
import type { ClipLedger } from '../ledger/clip-ledger';
import type { UploadsPort } from '../ipc/ports';
import type { ThumbnailStore } from './thumbnail-store';
import type { UploadService } from './upload-service';

export function createUploadsPort(deps: {
  readonly uploads: () => Promise<{
    readonly service: UploadService;
    readonly ledger: ClipLedger;
    readonly thumbnails: ThumbnailStore;
  }>;
  readonly status: () => Promise<AppStatus>;
}): UploadsPort {
  const views = (records: readonly ClipRecord[]) => ok(records.map(toClipView));
  const verb =
    (act: (service: UploadService, ids: readonly string[]) => Promise<ClipRecord[]>) =>
    async (ids: readonly string[]): Promise<IpcResult<readonly ClipView[]>> => {
      const { service, ledger } = await deps.uploads();
      const changed = await act(service, ids);
      // Ids the verb could not apply are answered as they are, so the window can redraw them.
      const untouched = ids
        .filter((id) => !changed.some((record) => record.id === id))
        .map((id) => ledger.get(id))
        .filter((record): record is ClipRecord => record !== undefined);
      return views([...changed.map((record) => ledger.get(record.id) ?? record), ...untouched]);
    };
  return {
    send: verb((service, ids) => service.send(ids)),
    pause: verb((service, ids) => service.pause(ids)),
    resume: verb((service, ids) => service.resume(ids)),
    cancel: verb((service, ids) => service.cancel(ids)),
    retry: verb((service, ids) => service.retry(ids)),
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
