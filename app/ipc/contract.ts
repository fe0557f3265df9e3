/**
 * The IPC contract: every channel between the window and main, with its argument schema and its
 * result or payload type. Every channel name appears here and nowhere else (architecture.md 2).
 *
 * Commands are `domain:verb` (renderer -> main, answered with an IpcResult); events are
 * `domain:past-tense` (main -> renderer).
 */
import { z } from 'zod';
import type { FirstRows } from '../clip/first-rows';
import type { ClipView } from '../clip/views';
import type { ErrorView } from '../errors';
import { USER_VISIBILITIES } from '../gameclips/enums';
import { MAX_CAPTION_UTF16, MAX_INT32 } from '../gameclips/limits';
import { captionLength } from '../gameclips/validate';
import type { Settings } from '../settings';
import { GAME_LABEL_MAX, SendPolicySchema, SERVICE_STORAGE_CAP_MAX } from '../settings';
import type { LinkReach } from '../service/network-share';
import type { CommandChannel, EventChannel } from './channels';
import { WindowUiStateSchema, type WindowUiState } from './window-ui-state';

/** A phantom marker carrying a result or payload type; it has no runtime content. */
export interface Carries<T> {
  readonly __carries?: T;
}
function carries<T>(): Carries<T> {
  return {};
}

export const ClipIdSchema = z.uuid();
/** Many clips at once (batch actions, Send all); bounded so one message cannot be unbounded work. */
export const ClipIdsSchema = z.array(ClipIdSchema).min(1).max(10_000);
/** Thumbnail frame offset in ms within the clip (int32 on the wire). */
export const ThumbnailOffsetSchema = z.int().min(0).max(MAX_INT32);

/**
 * A patch names what it changes: a key sent with `undefined` would pass `.partial()` and then
 * overwrite the stored value with nothing when spread (found by test/security/ipc-fuzz.test.ts).
 */
export function hasNoUndefinedValues(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return value !== undefined;
  if (value instanceof Uint8Array) return true;
  return Object.values(value).every(hasNoUndefinedValues);
}
const NO_UNDEFINED = 'A patch cannot set a field to undefined: leave the field out instead.';

/** What the window may change of a clip's draft; main re-validates everything the renderer sends. */
export const DraftPatchSchema = z
  .strictObject({
    // zod's max() counts code points; the service counts UTF-16 units (an emoji is two), so
    // the refine holds the real limit (found by test/security/ipc-fuzz.test.ts).
    caption: z
      .string()
      .max(MAX_CAPTION_UTF16, `A caption has at most ${MAX_CAPTION_UTF16} characters.`)
      .refine(
        (caption) => captionLength(caption) <= MAX_CAPTION_UTF16,
        `A caption has at most ${MAX_CAPTION_UTF16} characters.`,
      ),
    visibility: z.enum(USER_VISIBILITIES),
    thumbnailOffsetMs: ThumbnailOffsetSchema,
    /** The game label; '' clears it. */
    game: z
      .string()
      .trim()
      .max(GAME_LABEL_MAX, `A game name has at most ${GAME_LABEL_MAX} characters.`),
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'The patch changes nothing.')
  .refine(hasNoUndefinedValues, NO_UNDEFINED);
export type DraftPatch = z.infer<typeof DraftPatchSchema>;

/** What the window shows about the app as a whole. */
export interface AppStatus {
  readonly version: string;
  readonly service: {
    readonly kind: 'sandbox' | 'custom';
    readonly baseUrl: string;
    /** Whether a token is stored; the token itself never reaches the window (S3). */
    readonly hasAccount: boolean;
    /** False where the OS offers only plain-text storage for the token: the user is told. */
    readonly tokenEncrypted: boolean;
  };
  /** Folder names for display; the window never gets to choose a path by text. */
  readonly watchedFolders: readonly string[];
  readonly intake: IntakeStatus;
  /** Uploads paused for all clips (tray, window). */
  readonly uploadsPaused: boolean;
}

/** One watched root as the window and the CLI show it. */
export interface IntakeRootStatus {
  /** Display name of the folder (escaped), and a stable key for it. */
  readonly folder: string;
  readonly key: string;
  readonly state: 'watching' | 'scanning' | 'polling' | 'error' | 'missing';
  /** For `polling`, `error` and `missing`: what happened and what to do, in one sentence. */
  readonly message?: string;
}

export interface IntakeStatus {
  readonly state: 'starting' | 'watching' | 'error';
  readonly message?: string;
  readonly roots?: readonly IntakeRootStatus[];
}

/** What became of one dropped or command-line file (issue 4, item 6). */
export interface RegisterOutcome {
  /** Display name (escaped) of the file as dropped. */
  readonly fileName: string;
  readonly outcome: 'accepted' | 'duplicate' | 'rejected' | 'ignored';
  readonly clipId?: string;
  /** For `duplicate`: the clip it repeats, and its display name. */
  readonly duplicateOf?: { readonly clipId: string; readonly fileName: string };
  readonly error?: ErrorView;
}

/** Live upload figures, batched at about 10 Hz; bytes and rates are not worth a ledger write. */
export interface UploadProgressItem {
  readonly clipId: string;
  readonly sentBytes: number;
  readonly totalBytes: number;
  readonly bytesPerSecond: number;
  /** Undefined until a rate is known. */
  readonly etaSeconds?: number;
}
export interface UploadProgressBatch {
  readonly items: readonly UploadProgressItem[];
}

/** Thumbnails rendered by the window from the local file at the chosen frame (PNG bytes). */
export const ThumbnailImagesSchema = z.strictObject({
  offsetMs: ThumbnailOffsetSchema,
  large: z
    .instanceof(Uint8Array)
    .refine(
      (b) => b.byteLength > 0 && b.byteLength <= 8_000_000,
      'A thumbnail image must be a PNG of at most 8 MB.',
    ),
  small: z
    .instanceof(Uint8Array)
    .refine(
      (b) => b.byteLength > 0 && b.byteLength <= 8_000_000,
      'A thumbnail image must be a PNG of at most 8 MB.',
    ),
});
export type ThumbnailImages = z.infer<typeof ThumbnailImagesSchema>;

/** A batch edit: a caption template (tokens like {file}, {date}, {time}) or a visibility. */
export const BatchEditSchema = z
  .strictObject({
    captionTemplate: z.string().max(1000),
    visibility: z.enum(USER_VISIBILITIES),
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'The batch edit changes nothing.')
  .refine(hasNoUndefinedValues, NO_UNDEFINED);
export type BatchEdit = z.infer<typeof BatchEditSchema>;

/** Settings as the window sees them: no token, folder paths shown for display only. */
export interface SettingsView {
  readonly settings: Omit<Settings, 'watchedFolders'>;
  readonly watchedFolders: readonly { readonly key: string; readonly path: string }[];
  readonly hasAccountToken: boolean;
  readonly tokenEncrypted: boolean;
  /** The service origin the stored token is for; a change of origin clears the token. */
  readonly tokenOrigin?: string;
}

/** What the window may change of the settings; folders are added only through main's dialog. */
export const SettingsPatchSchema = z
  .strictObject({
    service: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('sandbox') }),
      z.strictObject({
        kind: z.literal('custom'),
        baseUrl: z.url({ protocol: /^https?$/ }).max(2048),
        scid: z.uuid(),
      }),
    ]),
    defaults: z
      .strictObject({
        visibility: z.enum(USER_VISIBILITIES),
        captionTemplate: z.string().max(1000),
        savedByUser: z.boolean(),
        thumbnailOffsetMs: ThumbnailOffsetSchema,
      })
      .partial(),
    sendPolicy: SendPolicySchema,
    uploads: z
      .strictObject({
        parallelBlocks: z.int().min(1).max(16),
        /** Bytes per second; 0 means no cap. */
        bandwidthCapBytesPerSecond: z.int().min(0).max(10_000_000_000),
      })
      .partial(),
    desktop: z
      .strictObject({
        startAtLogin: z.boolean(),
        closeToTray: z.boolean(),
        notifications: z
          .strictObject({
            reserved: z.boolean(),
            blocked: z.boolean(),
            published: z.boolean(),
            failed: z.boolean(),
          })
          .partial(),
      })
      .partial(),
    language: z.enum(['system', 'en', 'zh-TW']),
    /** Game labels by watched-folder key (the window never sends a path); '' removes one. */
    folderLabels: z
      .record(
        z.string().regex(/^[0-9a-f]{16}$/u, 'Not a folder of the settings.'),
        z
          .string()
          .trim()
          .max(GAME_LABEL_MAX, `A game name has at most ${GAME_LABEL_MAX} characters.`),
      )
      .refine((labels) => Object.keys(labels).length <= 64, 'Too many folders.'),
    shareOnNetwork: z.boolean(),
    /** The built-in service's storage cap in bytes; null: no cap (issue 16, item 5). */
    serviceStorage: z.strictObject({
      capBytes: z.int().min(0).max(SERVICE_STORAGE_CAP_MAX).nullable(),
    }),
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'The settings change nothing.')
  .refine(hasNoUndefinedValues, NO_UNDEFINED);
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

/** An `Authorization` value for a custom service: `XBL3.0 x=<userhash>;<token>`. */
export const AccountTokenSchema = z
  .string()
  .min(12)
  .max(16_384)
  .regex(/^XBL3\.0 x=[^;\s]+;\S+$/u, 'An account token looks like "XBL3.0 x=<userhash>;<token>".');

/** A delta of the clip list: changed or new clips, and ids gone. */
export interface ClipsChanged {
  readonly upserts: readonly ClipView[];
  readonly removedIds: readonly string[];
}

/** Whether a path is absolute on POSIX (`/...`) or Windows (`C:\\...`, `\\\\server\\share`). */
export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/u.test(p) || p.startsWith('\\\\');
}

/** A dropped or command-line path: absolute, bounded, no NUL. */
export const DroppedPathSchema = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => !p.includes('\0'), 'A file path cannot contain a NUL character.')
  .refine(isAbsolutePath, 'A dropped file must be named by its absolute path.');

/** What "Add clips..." opens: files (with folders where the OS dialog allows both) or a folder. */
export const AddClipsKindSchema = z.enum(['files', 'folder']);
export type AddClipsKind = z.infer<typeof AddClipsKindSchema>;

export const commands = {
  'app:get-status': { args: z.tuple([]), result: carries<AppStatus>() },
  'clips:list': { args: z.tuple([]), result: carries<readonly ClipView[]>() },
  'clips:update-draft': {
    args: z.tuple([ClipIdSchema, DraftPatchSchema]),
    result: carries<ClipView>(),
  },
  /** The user chose to keep a clip refused as a duplicate: reserve it anyway. */
  'clips:force-duplicate': { args: z.tuple([ClipIdSchema]), result: carries<ClipView>() },
  /** Upload control (issue 6): Send, pause, resume, cancel (deletes the reservation, never the file), retry. */
  'clips:send': { args: z.tuple([ClipIdsSchema]), result: carries<readonly ClipView[]>() },
  'clips:pause': { args: z.tuple([ClipIdsSchema]), result: carries<readonly ClipView[]>() },
  'clips:resume': { args: z.tuple([ClipIdsSchema]), result: carries<readonly ClipView[]>() },
  'clips:cancel': { args: z.tuple([ClipIdsSchema]), result: carries<readonly ClipView[]>() },
  'clips:retry': { args: z.tuple([ClipIdsSchema]), result: carries<readonly ClipView[]>() },
  'clips:save-thumbnail': {
    args: z.tuple([ClipIdSchema, ThumbnailImagesSchema]),
    result: carries<ClipView>(),
  },
  'clips:apply-batch': {
    args: z.tuple([ClipIdsSchema, BatchEditSchema]),
    result: carries<readonly ClipView[]>(),
  },
  /** Undoes a cancel: the clip is reserved again if its file is unchanged. */
  'clips:restore': { args: z.tuple([ClipIdsSchema]), result: carries<readonly ClipView[]>() },
  /** Opens main's file dialog to find a missing clip's file; only the same content is taken. */
  'clips:locate': { args: z.tuple([ClipIdSchema]), result: carries<readonly ClipView[]>() },
  /** Removes clips from the list (never their files); a live reservation is deleted first. */
  'clips:remove': { args: z.tuple([ClipIdsSchema]), result: carries<readonly ClipView[]>() },
  /** Removes finished clips (published, failed, cancelled, rejected) from the list; never files. */
  'history:clear': { args: z.tuple([]), result: carries<number>() },
  'settings:get': { args: z.tuple([]), result: carries<SettingsView>() },
  'settings:update': { args: z.tuple([SettingsPatchSchema]), result: carries<SettingsView>() },
  /** Opens main's folder dialog; undefined when the user cancels. */
  'settings:add-folder': { args: z.tuple([]), result: carries<SettingsView>() },
  'settings:remove-folder': {
    args: z.tuple([z.string().min(1).max(128)]),
    result: carries<SettingsView>(),
  },
  'account:set-token': { args: z.tuple([AccountTokenSchema]), result: carries<SettingsView>() },
  'account:clear-token': { args: z.tuple([]), result: carries<SettingsView>() },
  /**
   * "Add clips...": main opens its own file dialog and registers what the user picks through the
   * same gate as a drop; answers one outcome per file ([] when the dialog is cancelled).
   */
  'clips:add-files': {
    args: z.tuple([AddClipsKindSchema]),
    result: carries<readonly RegisterOutcome[]>(),
  },
  /**
   * Opens the link the service gave for a published clip in the browser. The window names the
   * clip, never a URL: main reads the link from the clip's record (issue 14, item 6).
   */
  'clips:open-link': { args: z.tuple([ClipIdSchema]), result: carries<true>() },
  /**
   * Shows a clip's file in the system file manager. The window names the clip; main reads the
   * path from its record, so no path crosses from the page (issue 15, item 1).
   */
  'clips:show-in-folder': { args: z.tuple([ClipIdSchema]), result: carries<true>() },
  /**
   * Copies a working link to a published clip to the clipboard (issue 16, item 2): the built-in
   * service's share page when the clip has one, else the service's download link, fetched again
   * first when it has expired. Answers what was copied.
   */
  'clips:copy-link': { args: z.tuple([ClipIdSchema]), result: carries<SharedLink>() },
  /**
   * Removes published clips from the service (issue 16, item 6): DELETE on the service, then the
   * row says the clip is no longer online. Never touches the files. Answers the clips as they now
   * are; a clip the service could not be asked about keeps its state and carries the reason.
   */
  'clips:remove-from-service': {
    args: z.tuple([ClipIdsSchema]),
    result: carries<readonly ClipView[]>(),
  },
  /**
   * Opens the built-in service's gallery of the user's published clips in the browser (issue 16,
   * item 4): main asks the service for a signed gallery link with the account's token.
   */
  'service:open-gallery': { args: z.tuple([]), result: carries<true>() },
  /**
   * The built-in service's share page of a published clip, on request (issue 16, item 2): `create`
   * makes one (also for Owner clips) and copies its link; `revoke` ends it (the link answers 404).
   */
  'clips:share-page': {
    args: z.tuple([ClipIdSchema, z.enum(['create', 'revoke'])]),
    result: carries<SharedLink | null>(),
  },
  /** What the built-in service holds and where (issue 16, item 5). */
  'service:storage': { args: z.tuple([]), result: carries<ServiceStorage>() },
  /**
   * Trims the built-in service: to a cap (oldest clips not marked saved first) or by age. Only the
   * service's copies go, never the user's files; the removed clips' rows say they are no longer
   * online. Answers what was removed and what is left.
   */
  'service:trim-storage': {
    args: z.tuple([
      z.union([
        z
          .object({
            maxBytes: z
              .number()
              .int()
              .min(0)
              .max(2 ** 50),
          })
          .strict(),
        z.object({ olderThanDays: z.number().int().min(0).max(36_500) }).strict(),
      ]),
    ]),
    result: carries<ServiceStorage & { readonly removed: number }>(),
  },
  /**
   * What the built-in service answers on the network ("Share on my network", issue 16): the switch
   * applied as it is now, the computer's network addresses, and the origins listening.
   */
  'service:network-share': { args: z.tuple([]), result: carries<NetworkShareView>() },
  /**
   * Why the window's player cannot play a clip (issue 16, item 1): main asks its media protocol
   * for the clip's first byte, from the file or, for a published clip, from the service. Answers
   * the reason as a sentence, or null when it plays now.
   */
  'clips:playback-problem': { args: z.tuple([ClipIdSchema]), result: carries<string | null>() },
  /**
   * How the window is being used (screen, open clip, filters, scroll), reported as it changes;
   * main keeps the last one in memory for the window it builds after a close to the tray.
   */
  'window:save-state': { args: z.tuple([WindowUiStateSchema]), result: carries<true>() },
  /** What the last window reported, for the window built again (null: none this run). */
  'window:restore-state': { args: z.tuple([]), result: carries<WindowUiState | null>() },
  /**
   * The first rows of the list the window opens on (that same state's), asked with it and before
   * `clips:list`, so a window rebuilt from the tray shows clips at once with 10,000 of them
   * (app/clip/first-rows.ts, quality-bars.md P7). null: the window opens on Settings.
   */
  'window:first-rows': { args: z.tuple([]), result: carries<FirstRows | null>() },
} as const;

/** The built-in service's storage, for Settings (issue 16, item 5). */
export interface ServiceStorage {
  readonly clips: number;
  readonly savedClips: number;
  readonly videoBytes: number;
  readonly thumbnailBytes: number;
  readonly totalBytes: number;
  /** The folder holding the service's copies. */
  readonly dataDir: string;
}

/** A link main copied or opened for a published clip (issue 16). */
export interface SharedLink {
  readonly url: string;
  /** `share`: the built-in service's page; `download`: the service's (expiring) download link. */
  readonly kind: 'share' | 'download';
  /** When a download link stops working; share pages do not expire. */
  readonly expires?: string;
  /** Built-in service: who can open it, this computer only or anyone on the network (issue 16). */
  readonly reach?: LinkReach;
}

/**
 * "Share on my network" (issue 16, item 3). `off`: the switch is off; `on`: share pages answer on
 * `origins`; `no-address`: on, but the computer has no network address; `failed`: no address could
 * be listened on (`failed` says why); `not-built-in`: another service is in use.
 */
export interface NetworkShareView {
  readonly state: 'off' | 'on' | 'no-address' | 'failed' | 'not-built-in';
  /** The computer's network IPv4 addresses found just now. */
  readonly found: readonly string[];
  /** `http://<address>:<port>` of each network listener while on. */
  readonly origins: readonly string[];
  readonly failed?: string;
}

/**
 * Commands the preload sends itself and the page cannot reach by name: the page hands the
 * preload dropped `File` objects, the preload resolves their paths with `webUtils` and sends
 * them here, and main re-validates each one (architecture.md 2.4). They are not verbs of
 * `window.companion`, so no page script can name a path (issue 14, item 4).
 */
export const preloadCommands = {
  'drop:register-files': {
    args: z.tuple([z.array(DroppedPathSchema).min(1).max(10_000)]),
    result: carries<readonly RegisterOutcome[]>(),
  },
} as const;

/** Every channel main handles: the page's verbs and the preload's own. */
export const handledCommands = { ...commands, ...preloadCommands } as const;

export const events = {
  'clips:changed': carries<ClipsChanged>(),
  'intake:status-changed': carries<IntakeStatus>(),
  'upload:progressed': carries<UploadProgressBatch>(),
  'settings:changed': carries<SettingsView>(),
  /**
   * Main needs a clip's thumbnail PNGs (Send or auto-send of a clip whose frame was never
   * rendered): the window renders the frame at `offsetMs` and answers with clips:save-thumbnail.
   */
  'clips:thumbnails-requested': carries<{ readonly clipId: string; readonly offsetMs: number }>(),
  /** A notification or the tray asked to show one clip. */
  'clips:focus-requested': carries<{ readonly clipId: string }>(),
  /** Files added from the File menu's "Add clips...": the same per-file answers as a drop. */
  'clips:files-added': carries<{ readonly outcomes: readonly RegisterOutcome[] }>(),
  /** The app trimmed the built-in service to the stored cap: the user is told (issue 16, item 5). */
  'service:storage-trimmed': carries<StorageTrimmed>(),
} as const;

/** Clips the app removed from the built-in service to stay under the stored cap. */
export interface StorageTrimmed {
  readonly removed: number;
  readonly capBytes: number;
  /** The ledger ids of the clips whose rows now say they are no longer online. */
  readonly clipIds: readonly string[];
}

export { USER_ACTION_COMMANDS } from './channels';

export type CommandName = keyof typeof commands;

/** True only when A and B are the same set of names. */
type SameNames<A extends string, B extends string> = [A] extends [B]
  ? [B] extends [A]
    ? true
    : false
  : false;
// The preload's lists (channels.ts) and these tables must name the same channels: a command or
// event added here and not there (or the other way) fails to compile.
const commandListsAgree: SameNames<keyof typeof commands, CommandChannel> = true;
const eventListsAgree: SameNames<keyof typeof events, EventChannel> = true;
void commandListsAgree;
void eventListsAgree;
/** Every channel main registers a handler for (`CommandName` plus the preload's own). */
export type HandledCommandName = keyof typeof handledCommands;
export type EventName = keyof typeof events;
export type CommandArgs<C extends HandledCommandName> = z.infer<
  (typeof handledCommands)[C]['args']
>;
export type CommandResult<C extends HandledCommandName> =
  (typeof handledCommands)[C]['result'] extends Carries<infer T> ? T : never;
export type EventPayload<E extends EventName> =
  (typeof events)[E] extends Carries<infer T> ? T : never;
