/**
 * The English message catalogue: every string the window shows comes from here.
 *
 * Keys are dotted by place (`card.`, `caption.`, `state.`). Placeholders are `{name}`. A new
 * language is a sibling file typed `Catalogue`, so TypeScript lists any key it forgets.
 */
import { APP_ERROR_CODES, errorView, type AppErrorCode } from '../errors';
import { desktopEn } from './desktop-en';

/** Error sentences in English are main's own (app/errors.ts), so the two never drift apart. */
const errorSentences = Object.fromEntries(
  APP_ERROR_CODES.map((code) => [`error.${code}`, errorView(code).message]),
) as Readonly<Record<`error.${AppErrorCode}`, string>>;

export const en = {
  ...errorSentences,
  ...desktopEn,
  'app.name': 'GameClips Companion',
  'app.version': 'Version {version}',
  'app.loading': 'Loading…',
  'app.noBridge':
    'This window was opened outside GameClips Companion, so it cannot reach your clips.',
  'app.statusFailed': 'The app status could not be read: {message}',
  'error.details': 'Details',

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
    'Record a clip, save one into a watched folder, or drop files here: each appears the moment it is finished.',

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

  'nav.label': 'Screens',
  'nav.pending': 'Pending',
  'nav.history': 'History',
  'nav.settings': 'Settings',

  'card.edit': 'Edit',
  'card.editNamed': 'Edit {name}',
  'card.openLink': 'Open the published clip',
  'card.showGameClipId': 'Show clip ID',

  'step.retry': 'Try again',
  'step.signIn': 'Sign in',
  'step.freeSpace': 'I freed space: try again',
  'step.openSettings': 'Open settings',
  'step.keepDuplicate': 'Keep anyway',

  'upload.eta': '{time} left',
  'upload.estimating': 'Working out time left…',
  'upload.paused': 'Paused: sent blocks are kept',

  'action.send': 'Send',
  'action.sendNamed': 'Send {name}',
  'action.pause': 'Pause',
  'action.pauseNamed': 'Pause {name}',
  'action.resume': 'Resume',
  'action.resumeNamed': 'Resume {name}',
  'action.cancel': 'Don’t upload',

  'editor.close': 'Close',
  'editor.publishedHint':
    'This clip is published. Caption and visibility changes are sent to GameClips.',

  'visibility.legend': 'Who can see it',
  'visibility.Default': 'Xbox privacy setting',
  'visibility.Default.hint': 'Your Xbox Live privacy settings decide who sees it.',
  'visibility.Owner': 'Only me',
  'visibility.Owner.hint': 'Only you can see it. Nothing is shared until you say so.',
  'visibility.Title': 'Players of this game',
  'visibility.Title.hint': 'Only the game it was recorded in can show it.',
  'visibility.Public': 'Everyone',
  'visibility.Public.hint': 'Everyone on Xbox Live can see it.',

  'thumb.none': 'No preview',
  'picker.title': 'Thumbnail',
  'picker.filmstrip': 'Frames from the clip',
  'picker.frameAt': 'Frame at {time}',
  'picker.scrub': 'Frame position',
  'picker.use': 'Use this frame',
  'picker.saving': 'Saving the frame…',
  'picker.saved': 'Frame at {time} saved',
  'picker.failed': 'The frame is chosen, but its images were not saved: {message}',
  'picker.current': 'Chosen frame: {time}',
  'picker.default': 'No frame chosen yet: the default one is used.',
  'picker.unplayable': 'This clip cannot be previewed here, so its frames cannot be shown.',

  'batch.toolbar': 'Actions on selected clips',
  'batch.selectAll': 'Select all',
  'batch.selectOne': 'Select {name}',
  'batch.selected': '{count} selected',
  'batch.template': 'Caption template',
  'batch.templateHint': 'Tokens: {file} name, {date} and {time} recorded, {duration} length.',
  'batch.applyCaption': 'Apply caption',
  'batch.applyVisibility': 'Apply visibility',
  'batch.sendSelected': 'Send selected ({count})',
  'batch.sendAll': 'Send all ready ({count})',
  /** While a rebuilt window has only its first rows: the count is not known yet. */
  'batch.sendAllCounting': 'Send all ready (…)',

  'drop.title': 'Drop clips or folders to add them',
  'drop.body': 'They go through the same checks as your watched folders.',
  'drop.results': 'Dropped files',
  'drop.accepted': 'Added: it is being reserved.',
  'drop.duplicate': 'Same content as “{name}”, already in your list.',
  'drop.rejected': 'Not added.',
  'drop.ignored': 'Skipped: not a video clip.',
  'drop.failed': 'The files could not be added: {message}',
  'drop.dismiss': 'Dismiss',

  'history.title': 'History',
  'history.clear': 'Clear history',
  'history.keep': 'Keep',
  'history.confirm': 'Remove {count} finished clips from the list? Files stay on disk.',
  'history.cleared': 'Removed from the list: {count}. The files stay on disk.',
  'history.clearFailed': 'History was not cleared: {message}',
  'history.emptyTitle': 'Nothing here yet',
  'history.emptyBody':
    'Published clips appear here with their link, and so do clips that failed or were cancelled.',

  'settings.title': 'Settings',
  'settings.folders': 'Watched folders',
  'settings.foldersEmpty': 'No folder is watched. Add the folder your recorder saves clips to.',
  'settings.addFolder': 'Add folder…',
  'settings.removeFolder': 'Remove',
  'settings.removeFolderNamed': 'Remove {name}',
  'settings.service': 'Service',
  'settings.serviceKind': 'Where clips go',
  'settings.custom': 'A GameClips service',
  'settings.sandboxHint': 'Runs inside the app, for trying everything without an account.',
  'settings.customHint': 'Your GameClips service address, title SCID and account token.',
  'settings.baseUrl': 'Service address',
  'settings.scid': 'Title SCID',
  'settings.saveService': 'Save service',
  'settings.restartHint': 'A new service is used from the next start of the app.',
  'settings.token': 'Account token',
  'settings.tokenSet': 'A token is stored. It is never shown again.',
  'settings.tokenNotSet': 'No token is stored.',
  'settings.tokenPlaintext':
    'This system offers no encrypted storage: the token is kept unencrypted on this computer.',
  'settings.saveToken': 'Save token',
  'settings.clearToken': 'Remove token',
  'settings.tokenFor': 'The token is for {origin}; it is sent nowhere else.',
  'settings.tokenAskFor': 'Enter the account token for {origin}.',
  'settings.loopbackNote':
    'This address is on this computer, so plain http is allowed: nothing leaves the machine.',
  'settings.insecureUrl':
    'Use an https:// address. Plain http:// is allowed only for this computer (127.0.0.1 or localhost).',
  'settings.originChangeClearsToken':
    'Saving this address removes the stored token, which is for {origin}: a token is only ever sent to the service it was entered for.',
  'settings.defaults': 'New clips',
  'settings.defaultVisibility': 'Who can see new clips',
  'settings.captionTemplate': 'Caption template',
  'settings.thumbnailOffset': 'Thumbnail frame (seconds in)',
  'settings.sending': 'Sending',
  'settings.sendPolicy': 'When to upload',
  'settings.policy.review': 'After I press Send',
  'settings.policy.after-delay': 'Automatically, some minutes after recording',
  'settings.policy.immediate': 'At once',
  'settings.delayMinutes': 'Minutes to wait',
  'settings.parallel': 'Upload connections',
  'settings.bandwidth': 'Upload limit (MB/s)',
  'settings.bandwidthHint': '0 means no limit.',
  'settings.desktop': 'Desktop',
  'settings.startAtLogin': 'Start when I sign in to this computer',
  'settings.notifications': 'Notify me when a clip is',
  'settings.notify.reserved': 'reserved',
  'settings.notify.blocked': 'blocked and needs me',
  'settings.notify.published': 'published',
  'settings.notify.failed': 'failed',
  'settings.language': 'Language',
  'settings.language.system': 'Same as the system',

  'format.megabytes': '{value} MB',
  'format.rate': '{value} MB/s',
  'find.label': 'Find clips',
  'find.placeholder': 'Search by file name, caption or game',
  'find.state': 'State',
  'find.game': 'Game',
  'find.visibility': 'Who can see it',
  'find.from': 'Recorded from',
  'find.to': 'to',
  'find.sort': 'Sort by',
  'find.any': 'Any',
  'find.anyGame': 'Any game',
  'find.noGame': 'No game set',
  'find.sort.newest': 'Newest first',
  'find.sort.oldest': 'Oldest first',
  'find.sort.largest': 'Largest first',
  'find.sort.smallest': 'Smallest first',
  'find.sort.longest': 'Longest first',
  'find.sort.shortest': 'Shortest first',
  'find.sort.name': 'File name',
  'find.shown': 'Showing {shown} of {total}',
  'find.clear': 'Clear filters',
  'find.filters': 'Filters',
  'find.filtersSet': 'Filters ({count})',
  'find.nothingTitle': 'No clips match',
  'find.nothingBody': 'Change the search or the filters to see more clips.',
  'game.label': 'Game',
  'game.placeholder': 'Which game is this from?',
  'game.hint':
    'Found from the folder or the file name. Used in searches and in {game} in captions.',
  'settings.folderLabel': 'Game for this folder',
  'settings.folderLabel.placeholder': 'Found from subfolders and file names',

  'addClips.files': 'Add clips…',
  'addClips.folder': 'Add a folder…',
  'addClips.hint': 'Pick video files (MP4, MOV, MKV, WebM) or a folder of them.',
  'card.openLinkFailed': 'The link could not be opened: {message}',

  'action.restore': 'Restore',
  'action.restoreNamed': 'Restore {name}',
  'action.locate': 'Locate…',
  'action.locateNamed': 'Locate the file of {name}',
  'action.remove': 'Remove from list',
  'action.removeNamed': 'Remove {name} from the list',
  'editor.cancelledHint':
    'You chose not to upload this clip. Restore it to reserve it again; the file was never touched.',
  'editor.missingHint':
    'The file of this clip is gone. Locate it where it is now, or remove the clip from the list.',
  'refusals.one': '1 file was not added',
  'refusals.many': '{count} files were not added',
  'refusals.why': 'See why',
  'refusals.dismiss': 'Dismiss',
  'card.showInFolder': 'Show in folder',
  'card.showInFolderNamed': 'Show {name} in its folder',
  'card.remove': 'Remove from list',
  'card.removeNamed': 'Remove {name} from the list (the file stays on disk)',
  'reservedNote.body':
    'Reserved = a private placeholder on GameClips; nothing is uploaded until you press Send.',
  'reservedNote.policy.review': 'Right now each clip waits for you to press Send.',
  'reservedNote.policy.after-delay':
    'Right now clips are sent by themselves {minutes} minutes after recording; change this in Settings.',
  'reservedNote.policy.immediate':
    'Right now clips are sent by themselves as soon as they are reserved; change this in Settings.',
  'reservedNote.dismiss': 'Got it',
  'card.copyId': 'Copy',
  'card.copyIdLabel': 'Copy the clip ID',
  'card.copied': 'Copied',
  'card.copyFailed': 'Could not copy',
  'caption.cut': 'Only the first 250 characters were kept.',
  'caption.countHint':
    'GameClips counts like this: most letters count as 1, emoji and some symbols count as 2 or more.',
  'settings.savedByUser': 'Save to my clips (uses your GameClips quota)',
  'settings.savedByUserHint':
    'On: clips stay on GameClips until you delete them, and count against your storage. Off: they go to the shared storage, where the oldest are removed first.',
  'settings.closeToTray': 'Closing the window keeps the app in the tray',
  'settings.closeToTrayHint':
    'On: clips keep being reserved and sent after you close the window; quit from the tray icon. Off: closing the window quits the app.',
  'published.copyLink': 'Copy link',
  'published.openInBrowser': 'Open in browser',
  'published.copiedShare':
    'Link copied. It opens the clip’s share page on this computer’s built-in service.',
  'published.copiedDownload': 'Link copied. It works for about an hour; copy it again later.',
  'published.copyFailed': 'The link could not be copied: {message}',
  'published.player': 'Watch the published clip',
  'published.fileGone':
    'The file is no longer on this computer. Use “Open in browser” to watch it from the service.',
  'published.removeFromService': 'Remove from service',
  'published.remove': 'Remove',
  'published.removeConfirmOne':
    'Remove this clip from the service? Its links stop working. The file on this computer stays.',
  'published.removeConfirmMany':
    'Remove {count} clips from the service? Their links stop working. The files on this computer stay.',
  'published.removeAll': 'Remove from service…',
  'published.removed':
    '{count} removed from the service. The files on this computer are untouched.',
  'published.removedSome':
    '{count} of {total} removed from the service; the service could not be reached for the rest. Try again later.',
  'published.removeFailed': 'Nothing was removed from the service: {message}',
  'published.removeUnavailable': 'Removing from the service is not available here.',
  'published.notOnline': 'No longer online',
  'published.gallery': 'Open my gallery',
  'published.galleryHint':
    'A page in your browser listing your published clips on the built-in service, newest first.',
  'published.galleryFailed': 'The gallery could not be opened: {message}',
  'storage.title': 'Built-in service storage',
  'storage.summary':
    'The built-in service keeps copies of {clips} clips: {video} MB of video and {thumbnails} MB of thumbnails.',
  'storage.where': 'Stored in',
  'storage.filesStay':
    'Removing here deletes only the service’s copies. The files in your folders are never touched.',
  'storage.capLabel': 'Keep at most (MB)',
  'storage.applyCap': 'Apply the cap',
  'storage.daysLabel': 'Remove clips recorded more than this many days ago',
  'storage.removeOlder': 'Remove older clips',
  'storage.trimmedCap':
    '{count} clips removed from the service to stay under the cap (oldest first, clips marked saved kept). Your files are untouched.',
  'storage.trimmedAge': '{count} older clips removed from the service. Your files are untouched.',
  'storage.failed': 'Nothing was removed: {message}',
  'published.makeShare': 'Make a share page',
  'published.revokeShare': 'Revoke the share page',
  'published.shareRevoked': 'The share page is revoked; its link no longer opens.',
  'network.title': 'Share on my network',
  'network.switch': 'Share on my network',
  'network.hint':
    'Share pages (a clip’s video, thumbnail, caption, game and date) also answer on this computer’s network address. Nothing else does: not your other clips, the gallery, uploads or the app’s own routes.',
  'network.reachComputer': 'Only this computer can open these links',
  'network.reachNetwork': 'Anyone on your network with the link can open it',
  'network.addresses': 'Links use: {addresses}',
  'network.found': 'This computer’s network address: {addresses}',
  'network.noAddress':
    'This computer has no network address right now (no Wi-Fi or cable connected), so sharing on the network stays off.',
  'network.failed': 'The built-in service could not listen on the network: {reason}',
  'network.firewall':
    'If a friend’s browser cannot open a link, allow GameClips Companion through this computer’s firewall for private networks.',
  'network.applied': 'Applied at once; no restart needed.',
  'storage.autoTrimmed.one':
    '1 old clip was removed from the built-in service to stay under {cap}. Your files are untouched.',
  'storage.autoTrimmed.other':
    '{count} old clips were removed from the built-in service to stay under {cap}. Your files are untouched.',
  'storage.autoTrimmedTitle': 'Built-in service kept under its cap',
  'storage.capKept':
    'Kept automatically: after each published clip and at start-up, the oldest clips not marked saved are removed from the service to stay under {cap}.',
  'storage.capNone': 'No cap: the built-in service keeps every clip until you remove it.',
  'storage.removeCap': 'No cap',
  'storage.dismiss': 'Dismiss',
  'published.notPlayable':
    'This clip is not on this computer any more and the service did not send it: {reason}',
  'published.cannotPlay':
    'This clip cannot be played in the window. Use “Open in browser” to watch it.',
  'published.checkingPlayback': 'Finding out why the clip does not play…',
} as const;

/** A message key: the compiler checks every `t()` call against the English catalogue. */
export type MessageKey = keyof typeof en;

/** A complete catalogue for one language. */
export type Catalogue = Readonly<Record<MessageKey, string>>;
