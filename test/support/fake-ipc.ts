/**
 * Fake ports for the tests that drive registerIpc (contract, fuzz): every port answers ok with a
 * fixed value, so what is under test is the handlers' checking, not the services behind them.
 */
import type { ClipRecord } from '../../app/clip/clip';
import { toClipView } from '../../app/clip/views';
import type { AppStatus, HandledCommandName, SettingsView } from '../../app/ipc/contract';
import { ok } from '../../app/ipc/result';
import { defaultSettings } from '../../app/settings';
import type { IpcServices } from '../../main/ipc/ports';
import type { ClipLedger } from '../../main/ledger/clip-ledger';

export const fakeStatus: AppStatus = {
  version: 't',
  service: {
    kind: 'sandbox',
    baseUrl: 'http://127.0.0.1:1',
    hasAccount: true,
    tokenEncrypted: true,
  },
  watchedFolders: [],
  intake: { state: 'watching' },
  uploadsPaused: false,
};

export const fakeSettingsView: SettingsView = {
  settings: defaultSettings(undefined),
  watchedFolders: [],
  hasAccountToken: false,
  tokenEncrypted: true,
};

const fakeStorage = {
  clips: 0,
  savedClips: 0,
  videoBytes: 0,
  thumbnailBytes: 0,
  totalBytes: 0,
  dataDir: '/tmp/service',
};

export interface FakeIpcOptions {
  /** The real ledger: the draft and history commands go to it, not to a port. */
  readonly ledger: ClipLedger;
  /** The record the single-clip commands answer with, read at each call. */
  readonly clip: () => ClipRecord;
  /** Hears every call that gets through to a port, before it is answered (the fuzz test's eye). */
  readonly reached?: (channel: HandledCommandName, args: unknown[]) => void;
}

export function fakeIpcServices({ ledger, clip, reached }: FakeIpcOptions): IpcServices {
  const port =
    <T>(channel: HandledCommandName, answer: () => Promise<T>) =>
    (...args: unknown[]): Promise<T> => {
      reached?.(channel, args);
      return answer();
    };
  const clips = () => Promise.resolve(ok([]));
  const view = () => Promise.resolve(ok(toClipView(clip())));
  const status = () => Promise.resolve(ok(fakeStatus));
  const settings = () => Promise.resolve(ok(fakeSettingsView));
  return {
    ledger: () => Promise.resolve(ledger),
    status: () => Promise.resolve(fakeStatus),
    intake: {
      registerFiles: port('drop:register-files', clips),
      forceDuplicate: port('clips:force-duplicate', view),
    },
    addClips: { choose: port('clips:add-files', clips) },
    links: {
      open: port('clips:open-link', () => Promise.resolve(ok(true as const))),
      showInFolder: port('clips:show-in-folder', () => Promise.resolve(ok(true as const))),
    },
    storage: {
      summary: port('service:storage', () => Promise.resolve(ok(fakeStorage))),
      trim: port('service:trim-storage', () => Promise.resolve(ok({ ...fakeStorage, removed: 0 }))),
    },
    network: {
      view: port('service:network-share', () =>
        Promise.resolve(ok({ state: 'off' as const, found: ['192.0.2.2'], origins: [] })),
      ),
    },
    removal: { remove: port('clips:remove-from-service', clips) },
    shares: {
      sharePage: port('clips:share-page', () => Promise.resolve(ok(null))),
      openGallery: port('service:open-gallery', () => Promise.resolve(ok(true as const))),
      playbackProblem: port('clips:playback-problem', () => Promise.resolve(ok(null))),
      copy: port('clips:copy-link', () =>
        Promise.resolve(ok({ url: 'http://127.0.0.1:1/share/x', kind: 'share' as const })),
      ),
    },
    uploads: {
      send: port('clips:send', clips),
      pause: port('clips:pause', clips),
      resume: port('clips:resume', clips),
      cancel: port('clips:cancel', clips),
      retry: port('clips:retry', clips),
      restore: port('clips:restore', clips),
      locate: port('clips:locate', clips),
      remove: port('clips:remove', clips),
      // The tray's verbs: no window channel reaches them.
      pauseAll: status,
      resumeAll: status,
      saveThumbnail: port('clips:save-thumbnail', view),
    },
    settings: {
      get: port('settings:get', settings),
      update: port('settings:update', settings),
      addFolder: port('settings:add-folder', settings),
      removeFolder: port('settings:remove-folder', settings),
      setToken: port('account:set-token', settings),
      clearToken: port('account:clear-token', settings),
    },
  };
}
