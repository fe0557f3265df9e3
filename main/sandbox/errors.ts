/**
 * The sandbox's errors as values: a status, an emulator-defined `errorCode` and a sentence.
 *
 * Spec 3.8 and section 6: every error body is a `ServiceErrorResponse`; `errorCode` values are the
 * emulator's own (small integers), except 8377, the one code the documentation shows.
 */

/** Emulator-defined `errorCode` values; clients must not rely on them (section 6). */
export const SANDBOX_ERROR_CODES = {
  /** A body, query parameter or path segment is invalid. */
  invalidRequest: 1,
  /** Authorization missing, malformed or not recognised (401). */
  unauthorized: 2,
  /** The token lacks a claim the call needs (403; 400 for SandboxId on GET, per the docs). */
  missingClaims: 3,
  /** The token's DeviceType is not on the upload allow-list (403). */
  deviceNotAllowed: 4,
  /** The SCID does not belong to the token's title, or the caller may not use it (403). */
  scidMismatch: 5,
  /** Nothing there, or nothing the caller may see (404). */
  notFound: 6,
  /** The reservation expired, was deleted, or failed (410). */
  gone: 7,
  /** The account's saved-clip quota would be exceeded (400). */
  overQuota: 8,
  /** The requested service version is not supported (406). */
  versionNotSupported: 9,
  /** Fine-grained rate limit reached (429). */
  rateLimited: 10,
  /** An injected fault (any status from POST /sandbox/faults). */
  injectedFault: 11,
  /** Block sizes do not add up to `fileSize` (400; the clip moves to Error). */
  sizeMismatch: 12,
  /** A body is larger than the route accepts (400). */
  bodyTooLarge: 13,
  /** The Range header cannot be satisfied (416). */
  rangeNotSatisfiable: 14,
  /** The clip is not in a state that allows this call (409). */
  conflict: 15,
  /** The route exists but not for this method (405). */
  methodNotAllowed: 16,
  /** A bug in the sandbox (500). */
  internal: 17,
  /** An admin route was called from a non-loopback address (403). */
  notLoopback: 18,
  /** A download or thumbnail link is unsigned, tampered with, or expired (403). */
  badSignature: 19,
  /** The Host header is not this sandbox's own loopback name (421: DNS rebinding). */
  wrongHost: 20,
  /** A browser page of another origin called (403). */
  foreignOrigin: 21,
  /** An admin route was called without the sandbox's admin secret (403). */
  adminSecretRequired: 22,
  /** A JSON route got a body of another media type (415). */
  unsupportedMediaType: 23,
  /** A body too slow to arrive (408). */
  requestTimeout: 24,
  /** A route other than a share page was asked for on the network address (403; issue 16). */
  notOnNetwork: 25,
  /** The XUID in the URI is not the caller's (403; the documented code). */
  xuidMismatch: 8377,
} as const;

export type SandboxErrorCode = (typeof SANDBOX_ERROR_CODES)[keyof typeof SANDBOX_ERROR_CODES];

/** An error answer before it is written: status, code, sentence and any extra headers. */
export interface ServiceError {
  readonly kind: 'error';
  readonly status: number;
  readonly errorCode: SandboxErrorCode;
  readonly errorMessage: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Extra members merged into the body (the 429 FGRL members, 3.10). */
  readonly extraBody?: Readonly<Record<string, unknown>>;
}

/** Builds an error value; handlers return it rather than throw, since errors are answers here. */
export function serviceError(
  status: number,
  errorCode: SandboxErrorCode,
  errorMessage: string,
  more: Pick<ServiceError, 'headers' | 'extraBody'> = {},
): ServiceError {
  return { kind: 'error', status, errorCode, errorMessage, ...more };
}

export function badRequest(message: string): ServiceError {
  return serviceError(400, SANDBOX_ERROR_CODES.invalidRequest, message);
}

export function notFound(message = 'No such clip.'): ServiceError {
  return serviceError(404, SANDBOX_ERROR_CODES.notFound, message);
}

export function gone(message: string): ServiceError {
  return serviceError(410, SANDBOX_ERROR_CODES.gone, message);
}

export function conflict(message: string): ServiceError {
  return serviceError(409, SANDBOX_ERROR_CODES.conflict, message);
}

export function isServiceError(value: unknown): value is ServiceError {
  return (
    typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'error'
  );
}
