/**
 * User settings: schema, defaults and schema version. Stored by main, edited through IPC.
 *
 * Every field added after version 1 has a default in the schema, so an older file parses into the
 * current shape without a separate migration step and nothing the user chose is lost.
 */
import { z } from 'zod';
import { USER_VISIBILITIES } from './gameclips/enums';
import { MAX_INT32 } from './gameclips/limits';

/** The longest game label, in characters. */
export const GAME_LABEL_MAX = 60;

export const SETTINGS_SCHEMA_VERSION = 2;

/** The largest storage cap the settings take, in bytes (1 PiB). */
export const SERVICE_STORAGE_CAP_MAX = 2 ** 50;

export const ServiceSettingsSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sandbox') }),
  z.object({
    kind: z.literal('custom'),
    baseUrl: z.url({ protocol: /^https?$/ }),
    scid: z.uuid(),
    /**
     * Upload origins besides the service's own that may receive the account token (issue 14):
     * `https://host[:port]` or a bare host name. Edited in settings.json; kept across edits.
     */
    uploadHosts: z.array(z.string().min(1).max(300)).max(16).optional(),
  }),
]);
export type ServiceSettings = z.infer<typeof ServiceSettingsSchema>;

/**
 * When a reserved clip is uploaded: after the user presses Send (the default), automatically a
 * number of minutes after reservation unless it is being edited, or at once.
 */
export const SendPolicySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('review') }),
  z.strictObject({
    kind: z.literal('after-delay'),
    minutes: z
      .int()
      .min(1)
      .max(24 * 60),
  }),
  z.strictObject({ kind: z.literal('immediate') }),
]);
export type SendPolicy = z.infer<typeof SendPolicySchema>;

/** Version 1 stored the policy as a bare word. */
const StoredSendPolicySchema = z.preprocess(
  (value) => (typeof value === 'string' ? { kind: value } : value),
  SendPolicySchema,
);

export const LANGUAGES = ['system', 'en', 'zh-TW'] as const;
export type LanguageSetting = (typeof LANGUAGES)[number];

export const SettingsSchema = z.object({
  schemaVersion: z.literal([1, SETTINGS_SCHEMA_VERSION]).transform(() => SETTINGS_SCHEMA_VERSION),
  /** Absolute folder paths, chosen with a dialog in main; never free text from the window. */
  watchedFolders: z.array(z.string().min(1)).max(64),
  service: ServiceSettingsSchema,
  defaults: z.object({
    /** Nothing is public until the user says so (clip-lifecycle.md section 2). */
    visibility: z.enum(USER_VISIBILITIES),
    captionTemplate: z.string().max(1000),
    savedByUser: z.boolean(),
    thumbnailOffsetMs: z.int().min(0).max(MAX_INT32).default(0),
  }),
  sendPolicy: StoredSendPolicySchema,
  uploads: z
    .object({
      parallelBlocks: z.int().min(1).max(16).default(4),
      /** Bytes per second; 0 means no cap. */
      bandwidthCapBytesPerSecond: z.int().min(0).default(0),
    })
    .prefault({}),
  desktop: z
    .object({
      startAtLogin: z.boolean().default(false),
      closeToTray: z.boolean().default(true),
      notifications: z
        .object({
          reserved: z.boolean().default(true),
          blocked: z.boolean().default(true),
          published: z.boolean().default(true),
          failed: z.boolean().default(true),
        })
        .prefault({}),
    })
    .prefault({}),
  language: z.enum(LANGUAGES).default('system'),
  /** Game labels the user gave watched folders, by folder path (app/clip/game-label.ts). */
  folderLabels: z.record(z.string(), z.string().max(GAME_LABEL_MAX)).default({}),
  /** "Share on my network" (issue 16): share pages also answer on the LAN address. Off by default. */
  shareOnNetwork: z.boolean().default(false),
  /**
   * The built-in service's storage cap (issue 16, item 5), applied by the app after each publish
   * and at start-up: oldest clips not marked saved go first. null: no cap.
   */
  serviceStorage: z
    .object({ capBytes: z.int().min(0).max(SERVICE_STORAGE_CAP_MAX).nullable().default(null) })
    .prefault({}),
});
export type Settings = z.output<typeof SettingsSchema>;

/** Defaults for a first run; `videosFolder` is the OS videos folder, where recorders save. */
export function defaultSettings(videosFolder: string | undefined): Settings {
  return SettingsSchema.parse({
    schemaVersion: SETTINGS_SCHEMA_VERSION,
    watchedFolders: videosFolder === undefined ? [] : [videosFolder],
    service: { kind: 'sandbox' },
    defaults: { visibility: 'Owner', captionTemplate: '', savedByUser: false },
    sendPolicy: { kind: 'review' },
  });
}
