/**
 * The Authorization header and the claims behind it (spec 1.2, 1.6).
 *
 * `XBL3.0 x=<userhash>;<token>`; missing or malformed gives 401. A token is either a sandbox
 * account's token (all claims present) or a JWT whose payload names the claims, so tests can build
 * a token that lacks exactly the claim they want to see refused (403). JWTs must be signed by this
 * sandbox (HS256 with a key from its registry secret, issued by `POST /sandbox/tokens`); unsigned
 * ones (`alg: none`) only when the sandbox was started with `allowUnsignedTokens` (issue 14).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Account, Registry } from './accounts';
import { SANDBOX_ERROR_CODES, serviceError, type ServiceError } from './errors';

/** The claims the GameClips calls look at, by the names the documentation uses (1.6). */
export interface Claims {
  readonly Xuid?: string;
  readonly DeviceType?: string;
  readonly DeviceId?: string;
  readonly TitleId?: string;
  readonly TitleSandboxId?: string;
  readonly SandboxId?: string;
  readonly userHash: string;
  /** Set when the token belongs to a sandbox account (for its own quota). */
  readonly account?: Account;
}

export type ClaimName = 'Xuid' | 'DeviceType' | 'DeviceId' | 'TitleId' | 'TitleSandboxId';

const HEADER = /^XBL3\.0 x=([^;\s]+);(\S+)$/;
const UNSIGNED_JWT = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)$/;
const CLAIM_NAMES = ['Xuid', 'DeviceType', 'DeviceId', 'TitleId', 'TitleSandboxId', 'SandboxId'];

function unauthorized(message: string): ServiceError {
  return serviceError(401, SANDBOX_ERROR_CODES.unauthorized, message, {
    headers: { 'WWW-Authenticate': 'XBL3.0' },
  });
}

function decodeJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The HS256 key for tokens: derived from the registry secret, apart from the link-signing use. */
function tokenKey(registry: Registry): Buffer {
  return createHmac('sha256', registry.secret).update('gameclips-sandbox token key').digest();
}

function tokenSignature(registry: Registry, signingInput: string): string {
  return createHmac('sha256', tokenKey(registry)).update(signingInput).digest('base64url');
}

function signatureValid(registry: Registry, signingInput: string, signature: string): boolean {
  const expected = Buffer.from(tokenSignature(registry, signingInput));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function claimsFromJwt(
  token: string,
  userHash: string,
  registry: Registry,
  allowUnsigned: boolean,
): Claims | undefined {
  const match = UNSIGNED_JWT.exec(token);
  if (!match) return undefined;
  const header = decodeJson(match[1] as string);
  const payload = decodeJson(match[2] as string);
  if (typeof header !== 'object' || header === null) return undefined;
  const alg = (header as { alg?: unknown }).alg;
  const signature = match[3] as string;
  if (alg === 'HS256') {
    if (!signatureValid(registry, `${match[1]}.${match[2]}`, signature)) return undefined;
  } else if (!(allowUnsigned && (alg === 'none' || alg === undefined) && signature === '')) {
    return undefined;
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
  const record = payload as Record<string, unknown>;
  if (record.uhs !== undefined && record.uhs !== userHash) return undefined;
  const claims: Record<string, string> = { userHash };
  for (const name of CLAIM_NAMES) {
    const value = record[name];
    if (typeof value === 'string' && value.length > 0) claims[name] = value;
    else if (typeof value === 'number' && Number.isFinite(value)) claims[name] = String(value);
  }
  return claims as unknown as Claims;
}

/** Reads the Authorization header into claims, or the 401 to answer. */
export function authenticate(
  header: string | undefined,
  registry: Registry,
  allowUnsigned = false,
): { ok: true; claims: Claims } | { ok: false; error: ServiceError } {
  if (header === undefined || header.trim() === '')
    return {
      ok: false,
      error: unauthorized('Sign in first: the Authorization header is missing.'),
    };
  const match = HEADER.exec(header.trim());
  if (!match)
    return {
      ok: false,
      error: unauthorized('The Authorization header must look like "XBL3.0 x=<userhash>;<token>".'),
    };
  const userHash = match[1] as string;
  const token = match[2] as string;
  const account = registry.accountByToken(token);
  if (account) {
    if (account.userHash !== userHash)
      return {
        ok: false,
        error: unauthorized('The user hash in the Authorization header does not match the token.'),
      };
    return {
      ok: true,
      claims: {
        Xuid: account.xuid,
        DeviceType: account.deviceType,
        DeviceId: account.deviceId,
        TitleId: account.titleId,
        TitleSandboxId: account.sandboxId,
        SandboxId: account.sandboxId,
        userHash,
        account,
      },
    };
  }
  const claims = claimsFromJwt(token, userHash, registry, allowUnsigned);
  if (claims) return { ok: true, claims };
  return {
    ok: false,
    error: unauthorized(
      UNSIGNED_JWT.test(token)
        ? 'The token is not signed by this sandbox (unsigned, forged or from another sandbox); get one from POST /sandbox/tokens.'
        : 'The token is not valid here; create an account with POST /sandbox/accounts.',
    ),
  };
}

/** The 403 for a token that lacks any of `names`, or undefined when all are present. */
export function requireClaims(
  claims: Claims,
  names: readonly ClaimName[],
): ServiceError | undefined {
  const missing = names.filter((name) => claims[name] === undefined);
  if (missing.length === 0) return undefined;
  return serviceError(
    403,
    SANDBOX_ERROR_CODES.missingClaims,
    `The token lacks the ${missing.join(', ')} claim${missing.length > 1 ? 's' : ''} this call needs.`,
  );
}

/** Encodes claims as a JWT signed by this sandbox (what `POST /sandbox/tokens` answers). */
export function signedToken(
  registry: Registry,
  claims: Partial<Record<string, string | number>>,
): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signingInput = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  return `${signingInput}.${tokenSignature(registry, signingInput)}`;
}

/**
 * Encodes claims as an unsigned JWT, for tests and tools; a sandbox takes it only when started
 * with `allowUnsignedTokens` (`--allow-unsigned-tokens`).
 */
export function unsignedToken(claims: Partial<Record<string, string | number>>): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}
