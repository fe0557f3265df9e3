/**
 * One classification of every GameClips call failure (architecture.md section 8): retry,
 * ambiguous or stop, each with the error code the user sees. Reservation and upload both read it,
 * so a 403 or a 404 means the same thing wherever it comes from.
 *
 * The 401 refresh is not decided here: the client refreshes the account once and repeats the
 * call, so a 401 that reaches this function means the account is gone (signed out).
 */
import { forbiddenReason, type AppErrorCode } from '../errors';
import type { Outcome } from '../retry';

/** A failed call, as the client reports it (failures are values). */
export type CallFailure =
  | {
      readonly kind: 'http';
      readonly status: number;
      readonly retryAfterSeconds?: number;
      readonly message?: string;
      readonly errorCode?: number;
    }
  | {
      readonly kind: 'network';
      readonly sent: boolean;
      readonly message: string;
      /** Nothing moved for the no-progress timeout (a stalled socket), so it was cut. */
      readonly stalled?: boolean;
      /** Refused before it left: the token may not go to that URL (issue 14). */
      readonly refused?: 'token-scope';
    }
  | { readonly kind: 'malformed'; readonly status: number; readonly message: string };

/** Which protocol call failed: the same status means different things on different calls. */
export type GameClipsCall =
  'reserve' | 'list' | 'block' | 'thumbnail' | 'metadata' | 'poll' | 'delete';

export type FailureVerdict =
  /** Certainly not applied, or safe to repeat: wait (back-off, Retry-After) and call again. */
  | { readonly kind: 'retry'; readonly code: AppErrorCode; readonly detail: string }
  /** May have been applied and the call is not idempotent: reconcile before calling again. */
  | { readonly kind: 'ambiguous'; readonly code: AppErrorCode; readonly detail: string }
  /** Nothing to retry: the clip needs the user (`blocked`) or is refused (`rejected`/`failed`). */
  | {
      readonly kind: 'stop';
      readonly state: 'blocked' | 'rejected' | 'failed';
      readonly code: AppErrorCode;
      readonly detail: string;
    }
  /** 410 on a block: the reservation expired (renewed once). */
  | { readonly kind: 'expired'; readonly code: 'gameclips/expired'; readonly detail: string }
  /** 404 on a delete: what was to be deleted is gone already, which is what was wanted. */
  | { readonly kind: 'done' };

/** A line for logs and the error's detail: the status and what the service said. */
export function describeFailure(failure: CallFailure): string {
  return failure.kind === 'http'
    ? `HTTP ${failure.status}${failure.message ? `: ${failure.message}` : ''}`
    : failure.message;
}

/** The retry policy's view of a failure (app/retry.ts decides how long to wait). */
export function outcomeOf(failure: CallFailure): Outcome {
  if (failure.kind === 'network')
    return failure.sent ? { kind: 'ambiguous' } : { kind: 'not-sent' };
  if (failure.kind === 'malformed') return { kind: 'ambiguous' };
  return {
    kind: 'status',
    status: failure.status,
    ...(failure.retryAfterSeconds !== undefined
      ? { retryAfterSeconds: failure.retryAfterSeconds }
      : {}),
  };
}

/** Statuses a non-idempotent call may repeat: the service says for certain nothing was applied. */
const NOT_APPLIED = new Set([429, 503]);

/** Classifies one failure of one call. */
export function classifyFailure(call: GameClipsCall, failure: CallFailure): FailureVerdict {
  const detail = describeFailure(failure);
  const message = failure.kind === 'http' ? failure.message : undefined;
  const idempotent = call !== 'reserve';
  if (failure.kind === 'network') {
    const code: AppErrorCode = failure.stalled ? 'upload/no-progress' : 'gameclips/network';
    return !failure.sent || idempotent
      ? { kind: 'retry', code, detail }
      : { kind: 'ambiguous', code, detail };
  }
  if (failure.kind === 'malformed')
    return idempotent
      ? { kind: 'retry', code: 'gameclips/unavailable', detail }
      : { kind: 'ambiguous', code: 'gameclips/unavailable', detail };
  const status = failure.status;
  const stop = (state: 'blocked' | 'rejected' | 'failed', code: AppErrorCode): FailureVerdict => ({
    kind: 'stop',
    state,
    code,
    detail: message ?? detail,
  });
  switch (status) {
    case 400:
      if (call === 'reserve')
        return /quota/iu.test(message ?? '')
          ? stop('blocked', 'gameclips/over-quota')
          : stop('rejected', 'gameclips/rejected');
      return stop('failed', 'gameclips/rejected');
    case 401:
      return stop('blocked', 'gameclips/unauthorized');
    case 403:
      return stop('blocked', forbiddenReason(message));
    case 404:
      // Three different things: the service address is wrong (reserve, list), the reservation is
      // unknown (block, thumbnail, metadata), or the service dropped the clip (poll).
      if (call === 'delete') return { kind: 'done' };
      if (call === 'reserve' || call === 'list') return stop('blocked', 'gameclips/not-found');
      if (call === 'poll') return stop('failed', 'gameclips/processing-failed');
      return stop('failed', 'gameclips/rejected');
    case 406:
      return stop('blocked', 'gameclips/version-not-supported');
    case 410:
      return call === 'block'
        ? { kind: 'expired', code: 'gameclips/expired', detail: message ?? detail }
        : stop('failed', 'gameclips/expired');
    default:
      break;
  }
  const code: AppErrorCode = status === 429 ? 'gameclips/rate-limited' : 'gameclips/unavailable';
  if (status === 408 || status === 429 || status >= 500) {
    if (idempotent || NOT_APPLIED.has(status)) return { kind: 'retry', code, detail };
    return { kind: 'ambiguous', code, detail };
  }
  // Any other answer: not something to repeat at once. A reservation waits for the user; an
  // idempotent call is tried again later (the retry policy says not now).
  return call === 'reserve'
    ? stop('blocked', 'gameclips/unavailable')
    : { kind: 'retry', code: 'gameclips/unavailable', detail };
}
