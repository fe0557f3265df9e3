/**
 * ClipView fixtures and a fake `window.companion` for renderer tests: the store factories take
 * the API, so tests hand them this instead of mocking modules.
 */
import type { ClipRecord } from '../../app/clip/clip';
import { commandsFor, type ClipCommand } from '../../app/clip/commands';
import type { ClipView } from '../../app/clip/views';
import type { ErrorView } from '../../app/errors';
import type { AppStatus, DraftPatch } from '../../app/ipc/contract';
import type { IpcResult } from '../../app/ipc/result';
import type { AppStoreApi } from '../../renderer/stores/app-store';
import { createClipsStore, type ClipsStoreApi } from '../../renderer/stores/clips-store';

let counter = 0;

/**
 * The commands main would send with this view: a record shaped like the view, asked of the real
 * table (app/clip/commands.ts), so fixtures never invent buttons main would refuse.
 */
export function viewCommands(view: Omit<ClipView, 'commands'>): readonly ClipCommand[] {
  const committed = view.state === 'processing' || view.state === 'published';
  const record: ClipRecord = {
    schemaVersion: 1,
    id: view.id,
    origin: 'watch',
    file: { path: `/videos/${view.fileName}`, size: view.sizeBytes, mtimeMs: 0, fingerprint: 'f' },
    state: view.state,
    draft: { caption: view.caption, visibility: view.visibility },
    reserveAttempts: 1,
    createdAt: view.updatedAt,
    updatedAt: view.updatedAt,
    ...(view.durationSeconds !== undefined
      ? {
          probe: {
            container: 'mp4' as const,
            durationSeconds: view.durationSeconds,
            recordedAt: view.recordedAt ?? view.updatedAt,
          },
        }
      : {}),
    ...(view.gameClipId !== undefined
      ? {
          reservation: {
            gameClipId: view.gameClipId,
            uploadUri: 'http://127.0.0.1/upload',
            serviceUrl: 'http://127.0.0.1',
            scid: 'scid',
            reservedAt: view.updatedAt,
          },
        }
      : {}),
    ...(view.progress !== undefined || committed
      ? { upload: { expectedBlocks: 10, ackedBlocks: [], committed } }
      : {}),
    ...(view.error ? { error: view.error } : {}),
  };
  return commandsFor(record);
}

/** A reserved clip, with overrides. Ids are uuid-shaped like main's. */
export function clipView(overrides: Partial<ClipView> = {}): ClipView {
  counter += 1;
  const suffix = String(counter).padStart(12, '0');
  const view: Omit<ClipView, 'commands'> = {
    id: `00000000-0000-4000-8000-${suffix}`,
    fileName: `clip-${counter}.mp4`,
    sizeBytes: 12_345_678,
    durationSeconds: 42,
    recordedAt: '2025-03-01T12:00:00.000Z',
    state: 'reserved',
    gameClipId: `gc-${suffix}`,
    caption: '',
    visibility: 'Owner',
    updatedAt: '2025-03-01T12:00:10.000Z',
    ...overrides,
  };
  return { ...view, commands: overrides.commands ?? viewCommands(view) };
}

/** An ISO time `ms` after `iso`. */
export function later(iso: string, ms = 1000): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}

interface PendingCall<T> {
  readonly args: readonly unknown[];
  resolve(result: IpcResult<T>): void;
  reject(cause: unknown): void;
}

/** A fake API whose calls stay pending until the test answers them, in any order. */
export class FakeCompanion implements ClipsStoreApi, AppStoreApi {
  readonly updateCalls: PendingCall<ClipView>[] = [];
  readonly listCalls: PendingCall<readonly ClipView[]>[] = [];
  readonly statusCalls: PendingCall<AppStatus>[] = [];

  /** Every other command, by name, answered by the test like the ones above. */
  readonly commandCalls: Array<PendingCall<unknown> & { readonly verb: string }> = [];

  private command<T>(verb: string) {
    return (...args: unknown[]): Promise<IpcResult<T>> =>
      new Promise((resolve, reject) =>
        this.commandCalls.push({
          verb,
          args,
          resolve: resolve as (result: IpcResult<unknown>) => void,
          reject,
        }),
      );
  }

  readonly clips = {
    list: (): Promise<IpcResult<readonly ClipView[]>> =>
      new Promise((resolve, reject) => this.listCalls.push({ args: [], resolve, reject })),
    updateDraft: (id: string, patch: DraftPatch): Promise<IpcResult<ClipView>> =>
      new Promise((resolve, reject) =>
        this.updateCalls.push({ args: [id, patch], resolve, reject }),
      ),
    send: this.command<readonly ClipView[]>('send'),
    pause: this.command<readonly ClipView[]>('pause'),
    resume: this.command<readonly ClipView[]>('resume'),
    cancel: this.command<readonly ClipView[]>('cancel'),
    retry: this.command<readonly ClipView[]>('retry'),
    restore: this.command<readonly ClipView[]>('restore'),
    locate: this.command<readonly ClipView[]>('locate'),
    remove: this.command<readonly ClipView[]>('remove'),
    forceDuplicate: this.command<ClipView>('forceDuplicate'),
    applyBatch: this.command<readonly ClipView[]>('applyBatch'),
    saveThumbnail: this.command<ClipView>('saveThumbnail'),
  };

  readonly history = { clear: this.command<number>('clear') };

  readonly app = {
    getStatus: (): Promise<IpcResult<AppStatus>> =>
      new Promise((resolve, reject) => this.statusCalls.push({ args: [], resolve, reject })),
  };
}

/** An error as main would send it. */
export function errorOf(message = 'The clip details are not valid for GameClips.'): ErrorView {
  return { code: 'gameclips/invalid-request', message, action: 'none' };
}

/** Lets pending promise callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

/** A clips store over a FakeCompanion that has already answered `clips:list` with `clips`. */
export async function readyStore(clips = [clipView()]) {
  const api = new FakeCompanion();
  const store = createClipsStore(api);
  const loading = store.getState().load();
  api.listCalls[0]?.resolve({ ok: true, value: clips });
  await loading;
  return { api, store };
}
