/**
 * The IPC contract: every channel between the window and main, with its argument schema and its
 * result or payload type. Every channel name appears here and nowhere else (architecture.md 2).
 *
 * Commands are `domain:verb` (renderer -> main, answered with an IpcResult); events are
 * `domain:past-tense` (main -> renderer).
 */
import { z } from 'zod';
import type { ClipView } from '../clip/views';
import { USER_VISIBILITIES } from '../gameclips/enums';
import { MAX_CAPTION_UTF16 } from '../gameclips/limits';

/** A phantom marker carrying a result or payload type; it has no runtime content. */
export interface Carries<T> {
  readonly __carries?: T;
}
function carries<T>(): Carries<T> {
  return {};
}

export const ClipIdSchema = z.uuid();

/** What the window may change of a clip's draft; main re-validates everything the renderer sends. */
export const DraftPatchSchema = z
  .strictObject({
    caption: z
      .string()
      .max(MAX_CAPTION_UTF16, `A caption has at most ${MAX_CAPTION_UTF16} characters.`),
    visibility: z.enum(USER_VISIBILITIES),
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'The patch changes nothing.');
export type DraftPatch = z.infer<typeof DraftPatchSchema>;

/** What the window shows about the app as a whole. */
export interface AppStatus {
  readonly version: string;
  readonly service: {
    readonly kind: 'sandbox' | 'custom';
    readonly baseUrl: string;
    readonly hasAccount: boolean;
  };
  /** Folder names for display; the window never gets to choose a path by text. */
  readonly watchedFolders: readonly string[];
  readonly intake: IntakeStatus;
}

export interface IntakeStatus {
  readonly state: 'starting' | 'watching' | 'error';
  readonly message?: string;
}

/** A delta of the clip list: changed or new clips, and ids gone. */
export interface ClipsChanged {
  readonly upserts: readonly ClipView[];
  readonly removedIds: readonly string[];
}

export const commands = {
  'app:get-status': { args: z.tuple([]), result: carries<AppStatus>() },
  'clips:list': { args: z.tuple([]), result: carries<readonly ClipView[]>() },
  'clips:update-draft': {
    args: z.tuple([ClipIdSchema, DraftPatchSchema]),
    result: carries<ClipView>(),
  },
} as const;

export const events = {
  'clips:changed': carries<ClipsChanged>(),
  'intake:status-changed': carries<IntakeStatus>(),
} as const;

export type CommandName = keyof typeof commands;
export type EventName = keyof typeof events;
export type CommandArgs<C extends CommandName> = z.infer<(typeof commands)[C]['args']>;
export type CommandResult<C extends CommandName> =
  (typeof commands)[C]['result'] extends Carries<infer T> ? T : never;
export type EventPayload<E extends EventName> =
  (typeof events)[E] extends Carries<infer T> ? T : never;
