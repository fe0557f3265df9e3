/**
 * The IPC channels by name alone, without their schemas. The preload builds `window.companion`
 * from these lists, so it carries no zod: the preload is compiled and run again for every window,
 * including each one rebuilt from the tray (quality-bars.md P7), and zod was most of it.
 * contract.ts holds the schemas and fails to compile if its tables and these lists differ.
 */

/** The commands the page can send, one verb of `window.companion` each. */
export const COMMAND_CHANNELS = [
  'app:get-status',
  'clips:list',
  'clips:update-draft',
  'clips:force-duplicate',
  'clips:send',
  'clips:pause',
  'clips:resume',
  'clips:cancel',
  'clips:retry',
  'clips:save-thumbnail',
  'clips:apply-batch',
  'clips:restore',
  'clips:locate',
  'clips:remove',
  'history:clear',
  'settings:get',
  'settings:update',
  'settings:add-folder',
  'settings:remove-folder',
  'account:set-token',
  'account:clear-token',
  'clips:add-files',
  'clips:open-link',
  'clips:show-in-folder',
  'clips:copy-link',
  'clips:remove-from-service',
  'service:open-gallery',
  'clips:share-page',
  'service:storage',
  'service:trim-storage',
  'service:network-share',
  'clips:playback-problem',
  'window:save-state',
  'window:restore-state',
  'window:first-rows',
] as const;
export type CommandChannel = (typeof COMMAND_CHANNELS)[number];

/** The pushes main sends the window. */
export const EVENT_CHANNELS = [
  'clips:changed',
  'intake:status-changed',
  'upload:progressed',
  'settings:changed',
  'clips:thumbnails-requested',
  'clips:focus-requested',
  'clips:files-added',
  'service:storage-trimmed',
] as const;
export type EventChannel = (typeof EVENT_CHANNELS)[number];

/**
 * Verbs that open something outside the window (a dialog, the browser): the preload sends them
 * only while the page handles a click or key press, so a script cannot pop them up on its own.
 */
export const USER_ACTION_COMMANDS = [
  'clips:add-files',
  'clips:open-link',
  'clips:show-in-folder',
  'clips:copy-link',
  'service:open-gallery',
  'clips:share-page',
] as const satisfies readonly CommandChannel[];
