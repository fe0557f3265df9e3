/**
 * Every error code the app can show, each with a plain sentence and one next step.
 *
 * Errors are values at boundaries (architecture.md section 3): services return these codes, the
 * ledger stores them, the window and the CLI show them. Exceptions are bugs.
 */
import { redactSecrets } from './redact';

export const APP_ERROR_CODES = [
  'intake/empty',
  'intake/not-a-video',
  'intake/too-large',
  'intake/zero-duration',
  'intake/duplicate',
  'intake/incomplete',
  'intake/unreadable',
  'intake/missing',
  'gameclips/invalid-request',
  'gameclips/rejected',
  'gameclips/over-quota',
  'gameclips/unauthorized',
  'gameclips/forbidden',
  'gameclips/forbidden-device',
  'gameclips/forbidden-title',
  'gameclips/not-found',
  'gameclips/version-not-supported',
  'gameclips/unavailable',
  'gameclips/rate-limited',
  'gameclips/network',
  'gameclips/expired',
  'gameclips/processing-failed',
  'upload/file-changed',
  'upload/no-progress',
  'upload/invalid-thumbnail',
  'upload/not-allowed-now',
  'ipc/invalid-arguments',
  'ipc/unknown-clip',
  'ipc/forbidden-sender',
  'app/internal',
  'intake/too-many-files',
  'gameclips/untrusted-address',
  'gameclips/redirect-refused',
  'gameclips/reservation-other-service',
  'gameclips/reservation-other-account',
  'gameclips/reservation-unknown',
  'settings/insecure-service',
  'intake/not-this-clip',
] as const;
export type AppErrorCode = (typeof APP_ERROR_CODES)[number];

/** What a user can do about an error: one next step. */
export type ErrorAction =
  'retry' | 'sign-in' | 'free-space' | 'open-settings' | 'force-duplicate' | 'none';

/** An error as shown to a person: the code, a sentence, and the next step. */
export interface ErrorView {
  readonly code: AppErrorCode;
  readonly message: string;
  readonly action: ErrorAction;
  /** What the service or the system said, when it adds something. */
  readonly detail?: string;
}

const MESSAGES: Record<AppErrorCode, { readonly message: string; readonly action: ErrorAction }> = {
  'intake/empty': {
    message: 'This file is empty, so there is nothing to upload. Record or export the clip again.',
    action: 'none',
  },
  'intake/not-a-video': {
    message:
      'This is not a video the app can read. Add an MP4, MOV, MKV or WebM clip from your recorder.',
    action: 'none',
  },
  'intake/too-large': {
    message:
      'This clip is bigger than 4 GiB, the most GameClips takes. Export a shorter or lower-bitrate clip in your recorder or video editor, then add that one.',
    action: 'none',
  },
  'intake/zero-duration': {
    message: 'This video has no playable length. Record or export the clip again.',
    action: 'none',
  },
  'intake/duplicate': {
    message: 'You already have a clip with exactly this video in your list.',
    action: 'force-duplicate',
  },
  'intake/incomplete': {
    message:
      'This recording looks unfinished: the recorder may have crashed or is still saving it. Finish or save it again in the recorder.',
    action: 'none',
  },
  'intake/unreadable': {
    message:
      'The app could not open this file. Close any program that is using it, then try again.',
    action: 'retry',
  },
  'intake/missing': {
    message:
      'This file was moved or deleted. Put it back to upload it, or remove it from the list.',
    action: 'none',
  },
  'gameclips/invalid-request': {
    message: 'GameClips did not accept the clip details. Check the caption and try again.',
    action: 'none',
  },
  'gameclips/rejected': {
    message: 'GameClips turned this clip down. Open Details to see what it said.',
    action: 'none',
  },
  'gameclips/over-quota': {
    message:
      'Your GameClips storage is full. Delete some saved clips on GameClips, or turn off "Save to my clips" in Settings.',
    action: 'free-space',
  },
  'gameclips/unauthorized': {
    message: 'You are signed out of GameClips. Sign in again to continue.',
    action: 'sign-in',
  },
  'gameclips/forbidden': {
    message: 'GameClips does not let this account upload here. Check the account in Settings.',
    action: 'open-settings',
  },
  'gameclips/forbidden-device': {
    message:
      'GameClips does not take uploads from a PC for this account, only from consoles. Choose a service that allows PC uploads in Settings.',
    action: 'open-settings',
  },
  'gameclips/forbidden-title': {
    message:
      'The game ID (SCID) in Settings is not the game this account signed in for. Check the SCID in Settings.',
    action: 'open-settings',
  },
  'gameclips/not-found': {
    message: 'The GameClips service address looks wrong. Check it in Settings.',
    action: 'open-settings',
  },
  'gameclips/version-not-supported': {
    message:
      'This GameClips service is too old or too new for the app. Check the address in Settings.',
    action: 'open-settings',
  },
  'gameclips/unavailable': {
    message: 'GameClips is down right now. The app will try again by itself.',
    action: 'retry',
  },
  'gameclips/rate-limited': {
    message: 'GameClips asked the app to slow down. It will try again by itself shortly.',
    action: 'retry',
  },
  'gameclips/network': {
    message:
      'GameClips could not be reached. Check your internet connection; the app will try again.',
    action: 'retry',
  },
  'gameclips/expired': {
    message: 'The upload took too long and GameClips let its spot for it lapse. Try again.',
    action: 'retry',
  },
  'gameclips/processing-failed': {
    message:
      'GameClips received the clip but could not prepare it for viewing. Try a clip exported with standard settings.',
    action: 'none',
  },
  'upload/file-changed': {
    message:
      'The file changed after it was reserved, so the app is checking it again. Nothing needs doing.',
    action: 'none',
  },
  'upload/no-progress': {
    message: 'The upload stopped moving. The app will try again by itself.',
    action: 'retry',
  },
  'upload/invalid-thumbnail': {
    message: 'This thumbnail could not be used. Pick another frame from the clip.',
    action: 'none',
  },
  'upload/not-allowed-now': {
    message: 'This clip cannot do that right now. Wait a moment and try again.',
    action: 'none',
  },
  'ipc/invalid-arguments': {
    message: 'The app could not do that. Try again; if it keeps happening, restart the app.',
    action: 'none',
  },
  'ipc/unknown-clip': { message: 'That clip is no longer in the list.', action: 'none' },
  'ipc/forbidden-sender': {
    message: 'The app ignored a request that did not come from its own window.',
    action: 'none',
  },
  'app/internal': {
    message:
      'Something went wrong inside the app. Try again; if it keeps happening, restart the app.',
    action: 'retry',
  },
  'intake/too-many-files': {
    message:
      'This folder holds more than 10,000 files, so only the first 10,000 were looked at. Add its clips in smaller folders, or watch it in Settings.',
    action: 'none',
  },
  'gameclips/untrusted-address': {
    message:
      'The service named an upload or thumbnail address that your account token may not go to, so nothing was sent there. Check the service in Settings.',
    action: 'open-settings',
  },
  'gameclips/redirect-refused': {
    message:
      'The upload address redirected to another address. The app does not follow redirects with your account token, so the upload stopped.',
    action: 'retry',
  },
  'gameclips/reservation-other-service': {
    message:
      'This clip was reserved on another service. It is reserved again on the current service; the old reservation is left to expire there.',
    action: 'none',
  },
  'gameclips/reservation-other-account': {
    message:
      'This clip was reserved with another account. It is reserved again with the current account; the old reservation is left to expire.',
    action: 'none',
  },
  'gameclips/reservation-unknown': {
    message:
      "The service no longer knows this clip's reservation (it may have moved or been reset). The clip is reserved again.",
    action: 'none',
  },
  'settings/insecure-service': {
    message:
      'A service address must start with https://. Plain http:// is allowed only for this computer (127.0.0.1 or localhost).',
    action: 'open-settings',
  },
  'intake/not-this-clip': {
    message: 'The chosen file is not this clip: its content is different.',
    action: 'none',
  },
};

/** The view of an error code, with an optional detail from the service or system. */
export function errorView(code: AppErrorCode, detail?: string): ErrorView {
  const entry = MESSAGES[code];
  // A service's or system's words may echo a token: redacted as in the logs before any record
  // stores them or the window shows them (issue 14, item 6).
  return detail === undefined || detail.length === 0
    ? { code, ...entry }
    : { code, ...entry, detail: redactSecrets(detail) };
}

/**
 * Which plain reason a 403 from the reserve call has (clip-lifecycle.md section 2): the service
 * refuses the device type, or the SCID is not the signed-in title's. Read from the service's
 * sentence, since its `errorCode` values are not a contract (spec section 6).
 */
export function forbiddenReason(
  serviceMessage: string | undefined,
): 'gameclips/forbidden' | 'gameclips/forbidden-device' | 'gameclips/forbidden-title' {
  const text = serviceMessage ?? '';
  if (/device/iu.test(text)) return 'gameclips/forbidden-device';
  if (/\bscid\b|title/iu.test(text)) return 'gameclips/forbidden-title';
  return 'gameclips/forbidden';
}

/** Exhaustiveness guard for switches over unions. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
