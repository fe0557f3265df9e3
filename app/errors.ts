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
  'intake/empty': { message: 'The file is empty.', action: 'none' },
  'intake/not-a-video': {
    message: 'This file is not a video the app can read (MP4, MOV, MKV or WebM).',
    action: 'none',
  },
  'intake/too-large': {
    message:
      'The clip is larger than 4 GiB, the most GameClips accepts. Trim it or export it at a lower bitrate.',
    action: 'none',
  },
  'intake/zero-duration': { message: 'The clip has no length.', action: 'none' },
  'intake/duplicate': {
    message: 'This clip has the same content as one already in your list.',
    action: 'force-duplicate',
  },
  'intake/incomplete': {
    message: 'The file looks unfinished: the recorder may have crashed or is still writing it.',
    action: 'none',
  },
  'intake/unreadable': { message: 'The file could not be read.', action: 'retry' },
  'intake/missing': { message: 'The file was moved or deleted.', action: 'none' },
  'gameclips/invalid-request': {
    message: 'The clip details are not valid for GameClips.',
    action: 'none',
  },
  'gameclips/rejected': { message: 'GameClips refused this clip.', action: 'none' },
  'gameclips/over-quota': {
    message:
      'Your GameClips storage is full. Free space, or save the clip to FIFO storage instead.',
    action: 'free-space',
  },
  'gameclips/unauthorized': {
    message: 'You are signed out of GameClips. Sign in again to continue.',
    action: 'sign-in',
  },
  'gameclips/forbidden': {
    message: 'GameClips does not allow this account to upload here.',
    action: 'open-settings',
  },
  'gameclips/forbidden-device': {
    message:
      'GameClips does not accept uploads from this kind of device for this account. The retail service takes uploads from consoles only; use a service that allows PC uploads.',
    action: 'open-settings',
  },
  'gameclips/forbidden-title': {
    message:
      'The SCID in Settings does not belong to the game this account is signed in for. Check the SCID.',
    action: 'open-settings',
  },
  'gameclips/not-found': {
    message: 'The GameClips service address looks wrong: it answered "not found".',
    action: 'open-settings',
  },
  'gameclips/version-not-supported': {
    message: 'The GameClips service does not support this version of the protocol.',
    action: 'open-settings',
  },
  'gameclips/unavailable': {
    message: 'GameClips is unavailable right now. The app will try again.',
    action: 'retry',
  },
  'gameclips/rate-limited': {
    message: 'GameClips asked the app to slow down. It will try again shortly.',
    action: 'retry',
  },
  'gameclips/network': {
    message: 'The GameClips service could not be reached. The app will try again.',
    action: 'retry',
  },
  'gameclips/expired': {
    message: 'The reservation expired before the upload finished.',
    action: 'retry',
  },
  'gameclips/processing-failed': {
    message: 'GameClips could not process the clip after it was uploaded.',
    action: 'none',
  },
  'upload/file-changed': {
    message:
      'The file changed after it was reserved. The old reservation was removed and the clip is checked again.',
    action: 'none',
  },
  'upload/no-progress': {
    message: 'The upload stopped moving. The app will try again.',
    action: 'retry',
  },
  'upload/invalid-thumbnail': {
    message: 'A thumbnail must be a PNG of 754x424 (large) and 370x208 (small) pixels.',
    action: 'none',
  },
  'upload/not-allowed-now': {
    message: 'The clip is not in a state that allows this. Refresh the list and try again.',
    action: 'none',
  },
  'ipc/invalid-arguments': {
    message: 'The window sent a request the app could not accept.',
    action: 'none',
  },
  'ipc/unknown-clip': { message: 'That clip is no longer in the list.', action: 'none' },
  'ipc/forbidden-sender': {
    message: 'The request did not come from the app window.',
    action: 'none',
  },
  'app/internal': { message: 'Something went wrong inside the app.', action: 'retry' },
  'intake/too-many-files': {
    message:
      'The folder holds more than 10,000 files, so only the first 10,000 were looked at. Add its clips in smaller folders, or watch it in Settings.',
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
