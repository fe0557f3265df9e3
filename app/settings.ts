/**
 * User settings: schema, defaults and schema version. Stored by main, edited through IPC.
 */
import { z } from 'zod';
import { USER_VISIBILITIES } from './gameclips/enums';

export const SETTINGS_SCHEMA_VERSION = 1;

export const ServiceSettingsSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sandbox') }),
  z.object({
    kind: z.literal('custom'),
    baseUrl: z.url({ protocol: /^https?$/ }),
    scid: z.uuid(),
  }),
]);
export type ServiceSettings = z.infer<typeof ServiceSettingsSchema>;

export const SettingsSchema = z.object({
  schemaVersion: z.literal(SETTINGS_SCHEMA_VERSION),
  /** Absolute folder paths, chosen with a dialog in main; never free text from the window. */
  watchedFolders: z.array(z.string().min(1)).max(64),
  service: ServiceSettingsSchema,
  defaults: z.object({
    /** Nothing is public until the user says so (clip-lifecycle.md section 2). */
    visibility: z.enum(USER_VISIBILITIES),
    captionTemplate: z.string().max(1000),
    savedByUser: z.boolean(),
  }),
  sendPolicy: z.enum(['review', 'immediate']),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** Defaults for a first run; `videosFolder` is the OS videos folder, where recorders save. */
export function defaultSettings(videosFolder: string | undefined): Settings {
  return {
    schemaVersion: SETTINGS_SCHEMA_VERSION,
    watchedFolders: videosFolder === undefined ? [] : [videosFolder],
    service: { kind: 'sandbox' },
    defaults: { visibility: 'Owner', captionTemplate: '', savedByUser: false },
    sendPolicy: 'review',
  };
}
