/**
 * The English message catalogue: every string the window shows comes from here.
 *
 * Keys are dotted by place (`card.`, `caption.`, `state.`). Placeholders are `{name}`. A new
 * language is a sibling file typed `Catalogue`, so TypeScript lists any key it forgets.
 */
export const en = {
  'app.name': 'GameClips Companion',
  'app.version': 'Version {version}',
  'app.loading': 'Loading…',
  'app.noBridge':
    'This window was opened outside GameClips Companion, so it cannot reach your clips.',
  'app.statusFailed': 'The app status could not be read: {message}',

  'service.label': 'Service',
  'service.sandbox': 'Built-in GameClips sandbox',
  'service.signedOut': 'Not signed in',
  'folders.label': 'Watched folders',
  'folders.none': 'No watched folders yet',

  'intake.starting': 'Starting to watch your folders…',
  'intake.watching': 'Watching for finished clips',
  'intake.error': 'Folder watching stopped: {message}',
  'intake.errorUnknown': 'Folder watching stopped.',

  'list.loading': 'Loading your clips…',
  'list.failed': 'Your clips could not be loaded: {message}',
  'list.retry': 'Try again',
  'empty.title': 'No clips yet',
  'empty.body':
    'Record a clip, or save one into a watched folder: it appears here the moment it is finished.',

  'section.pending.title': 'Pending',
  'section.pending.hint': 'Reserved on GameClips as soon as they were written. Add a caption.',
  'section.rejected.title': 'Not reserved',
  'section.rejected.hint': 'These files were refused before anything was sent.',
  'section.closed.title': 'No longer pending',

  'state.reserving': 'Reserving',
  'state.waiting-retry': 'Waiting to retry',
  'state.reserved': 'Ready for review',
  'state.uploading': 'Uploading',
  'state.uploadingProgress': 'Uploading {percent}',
  'state.processing': 'Processing',
  'state.published': 'Published',
  'state.blocked': 'Blocked',
  'state.rejected': 'Rejected',
  'state.failed': 'Failed',
  'state.missing': 'Missing',
  'state.paused': 'Paused',
  'state.cancelled': 'Cancelled',
  'state.incomplete': 'Unfinished',

  'card.duration': 'Duration',
  'card.size': 'Size',
  'card.recorded': 'Recorded',
  'card.gameClipId': 'Clip ID',
  'card.noGameClipId': 'No clip ID yet',
  'card.uploadProgress': 'Upload progress',
  'card.caption': 'Caption',

  'caption.label': 'Caption',
  'caption.placeholder': 'Say what happens in this clip',
  'caption.remaining': '{count} left',
  'caption.saving': 'Saving…',
  'caption.saved': 'Saved',
  'caption.failed': 'Not saved: {message} Your text is kept.',
  'caption.retry': 'Save again',

  'format.megabytes': '{value} MB',
} as const;

/** A message key: the compiler checks every `t()` call against the English catalogue. */
export type MessageKey = keyof typeof en;

/** A complete catalogue for one language. */
export type Catalogue = Readonly<Record<MessageKey, string>>;
