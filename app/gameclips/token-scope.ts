/**
 * Where the account token may go (issue 14 item 1): the service's own origin, the upload origins
 * its configuration allows, https only except on loopback. One pure decision that the HTTP client,
 * the block transport, the reservation check and the settings all read, so they cannot disagree.
 *
 * URLs are parsed with the WHATWG `URL` every runtime of this app has (Node and Chromium), the
 * same parser node:http and axios use to pick the host: a hand-written parser here could be
 * fooled by a URL the request itself reads differently (`https://allowed\@evil/`).
 */

/** The parts of a WHATWG URL this module reads. */
export interface ParsedUrl {
  readonly protocol: string;
  readonly hostname: string;
  readonly port: string;
  readonly origin: string;
  readonly username: string;
  readonly password: string;
  readonly pathname: string;
  readonly search: string;
  readonly href: string;
}

type UrlConstructor = new (input: string, base?: string) => ParsedUrl;

/** The runtime's WHATWG URL (app/ sees neither DOM nor Node types, both have it). */
function urlConstructor(): UrlConstructor {
  return (globalThis as unknown as { URL: UrlConstructor }).URL;
}

/** Parses an absolute URL, or a relative one against `base`; undefined when it is not one. */
export function parseUrl(input: string, base?: string): ParsedUrl | undefined {
  try {
    const Url = urlConstructor();
    return base === undefined ? new Url(input) : new Url(input, base);
  } catch {
    return undefined;
  }
}

/** The origin (`scheme://host[:port]`) of an http(s) URL, undefined otherwise. */
export function originOf(input: string): string | undefined {
  const url = parseUrl(input);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) return undefined;
  return url.origin;
}

/** 127.0.0.0/8, ::1 and `localhost`: addresses that never leave this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/gu, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  // `::ffff:127.x.y.z`, as WHATWG URL writes an IPv4-mapped loopback address.
  if (/^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/u.test(host)) return true;
  return /^127(?:\.\d{1,3}){3}$/u.test(host);
}

/** The real GameClips hosts: metadata, transfer and content are all `*.xboxlive.com`. */
function isXboxLiveHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'xboxlive.com' || host.endsWith('.xboxlive.com');
}

/** What the token may reach for the service in use. */
export interface TokenScope {
  /** The service's own origin (its base URL's). */
  readonly serviceOrigin: string;
  /**
   * Extra upload origins the user's service profile lists: `https://host[:port]`, or a bare host
   * name meaning `https://host`. Loopback entries may be http.
   */
  readonly uploadHosts?: readonly string[];
}

export type TokenScopeRefusal =
  /** Not an absolute URL. */
  | 'not-a-url'
  /** A scheme other than http(s) (file:, data:, ftp:, javascript:...). */
  | 'scheme'
  /** Plain http to a host that is not loopback: the token would cross the network in clear. */
  | 'insecure'
  /** Credentials in the URL: never sent anywhere, they hide where it really goes. */
  | 'credentials'
  /** An origin the service configuration does not allow. */
  | 'foreign-origin';

export type TokenScopeDecision =
  | { readonly allowed: true; readonly origin: string }
  | { readonly allowed: false; readonly reason: TokenScopeRefusal; readonly origin?: string };

/**
 * Whether a URL is an address this app may send; the reason when it is not. Only https is
 * accepted, or http on loopback. Used for the service's own base URL (Settings) as well.
 */
export function checkAddress(input: string): TokenScopeDecision {
  const url = parseUrl(input);
  if (!url) return { allowed: false, reason: 'not-a-url' };
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { allowed: false, reason: 'scheme' };
  if (url.username !== '' || url.password !== '')
    return { allowed: false, reason: 'credentials', origin: url.origin };
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname))
    return { allowed: false, reason: 'insecure', origin: url.origin };
  return { allowed: true, origin: url.origin };
}

/** The origins a profile's upload-host entries stand for (entries that are not one are dropped). */
export function uploadHostOrigins(entries: readonly string[] | undefined): string[] {
  const origins: string[] = [];
  for (const raw of entries ?? []) {
    const entry = raw.trim();
    if (entry.length === 0) continue;
    const checked = checkAddress(entry.includes('://') ? entry : `https://${entry}`);
    if (checked.allowed) origins.push(checked.origin);
  }
  return origins;
}

/**
 * Whether the account token may be attached to a request for `input`: its origin must be the
 * service's, one the profile lists, or (for the real GameClips service) an https `*.xboxlive.com`
 * host; and https unless loopback.
 */
export function tokenScopeFor(input: string, scope: TokenScope): TokenScopeDecision {
  const checked = checkAddress(input);
  if (!checked.allowed) return checked;
  const origin = checked.origin;
  if (origin === originOf(scope.serviceOrigin)) return checked;
  if (uploadHostOrigins(scope.uploadHosts).includes(origin)) return checked;
  const service = parseUrl(scope.serviceOrigin);
  const target = parseUrl(input);
  if (
    service?.protocol === 'https:' &&
    isXboxLiveHost(service.hostname) &&
    target?.protocol === 'https:' &&
    target.port === '' &&
    isXboxLiveHost(target.hostname)
  )
    return checked;
  return { allowed: false, reason: 'foreign-origin', origin };
}

/** A sentence naming why an address was refused, for the error detail and the logs. */
export function describeRefusal(input: string, decision: TokenScopeDecision): string {
  if (decision.allowed) return '';
  const where = decision.origin ?? 'an address that is not a URL';
  switch (decision.reason) {
    case 'not-a-url':
      return 'The service named an upload address that is not a URL.';
    case 'scheme':
      return `The service named an upload address with the scheme "${schemeOf(input)}"; only https is allowed.`;
    case 'insecure':
      return `The service named ${where}, which is plain http on another machine; only https is allowed there.`;
    case 'credentials':
      return `The service named ${where} with a user name or password in the address.`;
    case 'foreign-origin':
      return `The service named ${where}, which is not the service's own address nor one its settings allow.`;
  }
}

function schemeOf(input: string): string {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):/u.exec(input);
  return match?.[1] ?? '';
}
