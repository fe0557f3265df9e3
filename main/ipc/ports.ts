/**
 * What the IPC handlers need from the rest of main, one port per domain. The composition root
 * (main/index.ts) builds them from the real services; the contract and fuzz tests pass fakes.
 */
import type { WindowUiMemory } from './window-state.ipc';
import type { ClipView } from '../../app/clip/views';
import type {
  AddClipsKind,
  AppStatus,
  RegisterOutcome,
  SettingsPatch,
  SettingsView,
  SharedLink,
  ThumbnailImages,
} from '../../app/ipc/contract';
import type { IpcResult } from '../../app/ipc/result';
import type { ClipLedger } from '../ledger/clip-ledger';
import type { RemovalPort } from './remove-from-service';
import type { StoragePort } from './service-storage';
import type { NetworkShareView } from '../../app/ipc/contract';

type Answer<T> = Promise<IpcResult<T>>;

/**
 * Registration through the intake gate (issue 4): paths come only from the preload's resolved
 * drops, main's own dialog and the OS hand-over, never from page text (issue 14, item 4).
 */
export interface IntakePort {
  registerFiles(paths: readonly string[]): Answer<readonly RegisterOutcome[]>;
  forceDuplicate(clipId: string): Answer<ClipView>;
}

/** "Add clips...": main's own file dialog, then the same gate and answers as a drop. */
export interface AddClipsPort {
  choose(kind: AddClipsKind): Answer<readonly RegisterOutcome[]>;
}

/** Opens the link the service gave for a known clip, named by id (issue 14, item 6). */
export interface LinksPort {
  open(clipId: string): Answer<true>;
  /** Shows the clip's file in the file manager (issue 15, item 1); absent where there is none. */
  showInFolder?(clipId: string): Answer<true>;
}

/** Working links to published clips (issue 16): copied to the clipboard by main. */
export interface SharePort {
  copy(clipId: string): Answer<SharedLink>;
  sharePage(clipId: string, action: 'create' | 'revoke'): Answer<SharedLink | null>;
  /** Opens the built-in service's gallery in the browser (issue 16, item 4). */
  openGallery(): Answer<true>;
  /** Why the window cannot play a clip now; null when it can (issue 16, item 1). */
  playbackProblem?(clipId: string): Answer<string | null>;
}

/** Upload control (issue 6). Every verb takes ids and answers the clips as they now are. */
export interface UploadsPort {
  send(ids: readonly string[]): Answer<readonly ClipView[]>;
  pause(ids: readonly string[]): Answer<readonly ClipView[]>;
  resume(ids: readonly string[]): Answer<readonly ClipView[]>;
  cancel(ids: readonly string[]): Answer<readonly ClipView[]>;
  retry(ids: readonly string[]): Answer<readonly ClipView[]>;
  restore(ids: readonly string[]): Answer<readonly ClipView[]>;
  /** Asks main's file dialog where a missing clip's file is now. */
  locate(id: string): Answer<readonly ClipView[]>;
  remove(ids: readonly string[]): Answer<readonly ClipView[]>;
  /** For the tray: the window has no pause-all button. */
  pauseAll(): Answer<AppStatus>;
  resumeAll(): Answer<AppStatus>;
  saveThumbnail(clipId: string, images: ThumbnailImages): Answer<ClipView>;
}

/** Settings, folders (through main's dialog) and the account token (never sent to the window). */
export interface SettingsPort {
  get(): Answer<SettingsView>;
  update(patch: SettingsPatch): Answer<SettingsView>;
  addFolder(): Answer<SettingsView>;
  removeFolder(key: string): Answer<SettingsView>;
  setToken(token: string): Answer<SettingsView>;
  clearToken(): Answer<SettingsView>;
}

export interface IpcServices {
  readonly status: () => Promise<AppStatus>;
  readonly ledger: () => Promise<ClipLedger>;
  readonly intake: IntakePort;
  readonly addClips: AddClipsPort;
  readonly links: LinksPort;
  readonly uploads: UploadsPort;
  readonly settings: SettingsPort;
  /** Issue 16; absent in harnesses that do not need it. */
  readonly shares?: SharePort;
  /** Issue 16, item 6; absent in harnesses that do not need it. */
  readonly removal?: RemovalPort;
  /** Issue 16, item 5; absent in harnesses that do not need it. */
  readonly storage?: StoragePort;
  /** Issue 16, item 3 ("Share on my network"); absent in harnesses that do not need it. */
  readonly network?: { view(): Answer<NetworkShareView> };
  /** The window's state across a close to the tray; one in memory when absent. */
  readonly windowUi?: WindowUiMemory;
}
