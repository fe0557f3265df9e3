/**
 * The route table and the request pipeline every request goes through:
 * route -> admin loopback check -> fault -> version header -> auth -> rate limit -> handler.
 *
 * Routing is by path only (never by Host), so URIs issued on one port keep working when a client
 * rewrites their origin after the sandbox restarts on another.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  foreignCaller,
  foreignNetworkCaller,
  missingAdminSecret,
  unsupportedMediaType,
} from './guards';
import {
  addFault,
  clearFaults,
  createAccount,
  forceState,
  health,
  issueToken,
  listFaults,
  resetStats,
  sink,
  stats,
} from './admin-routes';
import { authenticate, type Claims } from './auth';
import { download } from './content-routes';
import type { RequestContext, Sandbox } from './context';
import { SANDBOX_ERROR_CODES, serviceError, type ServiceError } from './errors';
import { REDIRECTS, type Fault, type FaultRoute } from './faults';
import { discardBody, empty, isLoopbackAddress, writeReply, type Reply } from './http-util';
import { galleryLink, galleryPage } from './gallery-routes';
import { storageSummary, trimStorage } from './storage-routes';
import { searchClips } from './mediahub-routes';
import { createShare, getShare, revokeShare, shareAsset, sharePage } from './share-routes';
import { NOT_ON_NETWORK, networkMayReach, type Reach, type Surface } from './network';
import {
  deleteClip,
  getClip,
  listClips,
  reserve,
  updateAttribute,
  updateClip,
  type ListScope,
} from './metadata-routes';
import type { RateKind } from './rate-limit';
import { peekBlockNum, putThumbnail, putVideo } from './upload-routes';

type Handler = (sandbox: Sandbox, ctx: RequestContext) => Promise<Reply>;

/**
 * protocol: GameClips metadata calls (version header, auth, rate limit);
 * upload: the byte PUTs behind issued URIs (same, they carry the same headers);
 * content: signed download links (no auth, as SAS links);
 * admin: /sandbox/*, loopback callers only;
 * share: public share pages (no auth: the link is the permission; Host and Origin still checked).
 * (The type lives in network.ts, which decides what a request on the network address may reach.)
 */

interface Route {
  readonly methods: readonly string[];
  readonly pattern: readonly string[];
  /** The name stats count under. */
  readonly name: string;
  readonly surface: Surface;
  readonly fault?: FaultRoute;
  readonly rate?: RateKind;
  /** Takes a JSON body: another media type is 415 (issue 14). */
  readonly json?: boolean;
  /**
   * The contract versions of another Xbox Live service (MediaHub: 3), the first being the default;
   * absent for the GameClips routes (1 and 2, X-RequestedServiceVersion required when strict).
   */
  readonly versions?: readonly string[];
  readonly handle: Handler;
}

function route(
  methods: string | readonly string[],
  path: string,
  name: string,
  surface: Surface,
  handle: Handler,
  more: { fault?: FaultRoute; rate?: RateKind; json?: boolean; versions?: readonly string[] } = {},
): Route {
  return {
    methods: typeof methods === 'string' ? [methods] : methods,
    pattern: path.split('/').filter((part) => part.length > 0),
    name,
    surface,
    handle,
    ...more,
  };
}

/** A list route and its `/saved` twin (only clips with `savedByUser: true`). */
function listRoutes(path: string, audience: ListScope['audience'], by: ListScope['by']): Route[] {
  return [false, true].map((saved) =>
    route(
      'GET',
      saved ? `${path}/saved` : path,
      'list',
      'protocol',
      (sandbox, ctx) => listClips(sandbox, ctx, { audience, by, saved }),
      { fault: 'list', rate: 'read' },
    ),
  );
}

const CLIP = '/users/:owner/scids/:scid/clips/:gameClipId';

function attributeRoute(suffix: string, attribute: 'rating' | 'flag' | 'view'): Route {
  return route(
    'POST',
    `${CLIP}/${suffix}`,
    attribute,
    'protocol',
    (sandbox, ctx) => updateAttribute(sandbox, ctx, attribute),
    { rate: 'write' },
  );
}

const ROUTES: readonly Route[] = [
  route('POST', '/users/:owner/scids/:scid/clips', 'reserve', 'protocol', reserve, {
    fault: 'reserve',
    rate: 'write',
    json: true,
  }),
  // Before the single-clip routes, so ".../clips/saved" is the list, not a clip named "saved".
  ...listRoutes('/users/:owner/clips', 'user', 'all'),
  ...listRoutes('/users/:owner/scids/:scid/clips', 'user', 'scid'),
  ...listRoutes('/users/:owner/titles/:titleId/clips', 'user', 'title'),
  ...listRoutes('/public/scids/:scid/clips', 'public', 'scid'),
  ...listRoutes('/public/titles/:titleId/clips', 'public', 'title'),
  route('GET', CLIP, 'get', 'protocol', getClip, { fault: 'get', rate: 'read' }),
  route('POST', CLIP, 'update', 'protocol', updateClip, {
    fault: 'update',
    rate: 'write',
    json: true,
  }),
  route('DELETE', CLIP, 'delete', 'protocol', deleteClip, { fault: 'delete', rate: 'write' }),
  attributeRoute('ratings/:rating', 'rating'),
  attributeRoute('flag', 'flag'),
  attributeRoute('views', 'view'),
  route('GET', `${CLIP}/share`, 'share.get', 'protocol', getShare, { rate: 'read' }),
  route('POST', `${CLIP}/share`, 'share.create', 'protocol', createShare, { rate: 'write' }),
  route('DELETE', `${CLIP}/share`, 'share.revoke', 'protocol', revokeShare, { rate: 'write' }),
  route('GET', '/users/me/gallery', 'gallery.link', 'protocol', galleryLink, { rate: 'read' }),
  route('GET', '/users/me/storage', 'storage.get', 'protocol', storageSummary, { rate: 'read' }),
  route('POST', '/users/me/storage/trim', 'storage.trim', 'protocol', trimStorage, {
    rate: 'write',
    json: true,
  }),
  route('GET', '/gallery', 'gallery.page', 'share', galleryPage),
  // Public links: no token (anyone with the link), but the Host and Origin checks still apply.
  route(['GET', 'HEAD'], '/share/:shareId', 'share.page', 'share', async (s, c) => sharePage(s, c)),
  route(['GET', 'HEAD'], '/share/:shareId/:asset', 'share.asset', 'share', shareAsset),
  route('PUT', '/upload/:owner/:gameClipId/container', 'block', 'upload', putVideo, {
    fault: 'block',
    rate: 'write',
  }),
  route(
    'PUT',
    '/upload/:owner/:gameClipId/container/thumbnails/:size',
    'thumbnail',
    'upload',
    putThumbnail,
    { fault: 'thumbnail', rate: 'write' },
  ),
  route(['GET', 'HEAD'], '/content/:gameClipId/:asset', 'download', 'content', download, {
    fault: 'download',
  }),
  route('POST', '/sandbox/accounts', 'sandbox.accounts', 'admin', createAccount, { json: true }),
  route('POST', '/sandbox/tokens', 'sandbox.tokens', 'admin', issueToken, { json: true }),
  route('POST', '/gameclips/search', 'mediahub.search', 'protocol', searchClips, {
    rate: 'read',
    json: true,
    versions: ['3'],
  }),
  route('GET', '/sandbox/health', 'sandbox.health', 'admin', health),
  route('GET', '/sandbox/stats', 'sandbox.stats', 'admin', stats),
  route('DELETE', '/sandbox/stats', 'sandbox.stats', 'admin', resetStats),
  route('GET', '/sandbox/faults', 'sandbox.faults', 'admin', listFaults),
  route('POST', '/sandbox/faults', 'sandbox.faults', 'admin', addFault, { json: true }),
  route('DELETE', '/sandbox/faults', 'sandbox.faults', 'admin', clearFaults),
  route('PUT', '/sandbox/sink', 'sandbox.sink', 'admin', sink),
  route('POST', '/sandbox/clips/:gameClipId/state', 'sandbox.clips', 'admin', forceState, {
    json: true,
  }),
];

type Match =
  | { kind: 'route'; route: Route; params: Record<string, string> }
  | { kind: 'method'; allow: string[] }
  | { kind: 'none' }
  | { kind: 'bad-path' };

function matchRoute(method: string, pathname: string): Match {
  let segments: string[];
  try {
    segments = pathname
      .split('/')
      .filter((part) => part.length > 0)
      .map((part) => decodeURIComponent(part));
  } catch {
    return { kind: 'bad-path' };
  }
  const allow = new Set<string>();
  for (const candidate of ROUTES) {
    if (candidate.pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const fits = candidate.pattern.every((part, index) => {
      const segment = segments[index] as string;
      if (part.startsWith(':')) {
        params[part.slice(1)] = segment;
        return true;
      }
      // Xbox Live paths are case-insensitive.
      return part.toLowerCase() === segment.toLowerCase();
    });
    if (!fits) continue;
    if (candidate.methods.includes(method)) return { kind: 'route', route: candidate, params };
    for (const allowed of candidate.methods) allow.add(allowed);
  }
  return allow.size > 0 ? { kind: 'method', allow: [...allow] } : { kind: 'none' };
}

/**
 * 1.3: either header, missing (or empty) means 1, only 1 and 2 are supported (406). Strict mode
 * follows the DVR reference pages, which list `X-RequestedServiceVersion` as a required request
 * header: without it, 400 (the general `x-xbl-contract-version` alone is not enough there).
 */
function checkVersion(
  req: IncomingMessage,
  strict: boolean,
  versions?: readonly string[],
): string | ServiceError {
  if (versions !== undefined) return checkOtherVersion(req, versions);
  const values = [req.headers['x-xbl-contract-version'], req.headers['x-requestedserviceversion']]
    .filter((value): value is string => typeof value === 'string')
    .map((value) => value.trim())
    .filter((value) => value.length > 0);
  const requested = req.headers['x-requestedserviceversion'];
  if (strict && (typeof requested !== 'string' || requested.trim() === ''))
    return serviceError(
      400,
      SANDBOX_ERROR_CODES.invalidRequest,
      'The X-RequestedServiceVersion header is required (send 1), as the reference page lists it.',
    );
  if (values.length === 0) return '1';
  const unsupported = values.find((value) => value !== '1' && value !== '2');
  if (unsupported !== undefined)
    return serviceError(
      406,
      SANDBOX_ERROR_CODES.versionNotSupported,
      `Service version "${unsupported}" is not supported; send X-RequestedServiceVersion 1 or 2.`,
    );
  return values[0] as string;
}

/** Another service's route (MediaHub): its own versions, the first when none is named. */
function checkOtherVersion(
  req: IncomingMessage,
  versions: readonly string[],
): string | ServiceError {
  const raw = req.headers['x-xbl-contract-version'] ?? req.headers['x-requestedserviceversion'];
  const value = typeof raw === 'string' ? raw.trim() : '';
  if (value === '') return versions[0] as string;
  if (versions.includes(value)) return value;
  return serviceError(
    406,
    SANDBOX_ERROR_CODES.versionNotSupported,
    `Contract version "${value}" is not supported here; send x-xbl-contract-version ${versions.join(' or ')}.`,
  );
}

/** The version a protocol answer names before the request's own is known to be valid. */
function answeredVersion(req: IncomingMessage, versions?: readonly string[]): string {
  const raw = req.headers['x-requestedserviceversion'] ?? req.headers['x-xbl-contract-version'];
  const value = typeof raw === 'string' ? raw.trim() : '';
  if (versions !== undefined) return versions.includes(value) ? value : (versions[0] as string);
  return value === '2' ? '2' : '1';
}

/**
 * The request headers a protocol answer depends on (the reference pages list `Vary` among the
 * response headers): who asks, in which language, for which version, and (strict) what it accepts.
 */
export const PROTOCOL_VARY =
  'Authorization, Accept, Accept-Language, X-RequestedServiceVersion, x-xbl-contract-version';

const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

function originOf(req: IncomingMessage, fallback: string): string {
  const host = req.headers.host;
  return host !== undefined && HOST.test(host) ? `http://${host}` : fallback;
}

function localeOf(req: IncomingMessage): string {
  const first = (req.headers['accept-language'] ?? '').split(',')[0]?.split(';')[0]?.trim() ?? '';
  return /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(first) ? first : 'en-US';
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** The Retry-After of a fault's answer: as given, else 1 s on 429 and 503 (1.4), else none. */
function faultRetryAfter(fault: Fault): number | null {
  if (fault.retryAfter !== undefined) return fault.retryAfter;
  return fault.status === 429 || fault.status === 503 ? 1 : null;
}

function faultReply(fault: Fault, selfUrl: string): Reply {
  const retryAfter = faultRetryAfter(fault);
  if (fault.status !== undefined && REDIRECTS.includes(fault.status))
    return empty(fault.status, { Location: selfUrl });
  return serviceError(
    fault.status ?? 500,
    SANDBOX_ERROR_CODES.injectedFault,
    `Injected fault: the sandbox was told to answer ${fault.status} on ${fault.route}.`,
    retryAfter === null ? {} : { headers: { 'Retry-After': String(retryAfter) } },
  );
}

const NO_CLAIMS: Claims = { userHash: '' };

async function authorize(
  sandbox: Sandbox,
  req: IncomingMessage,
  matched: Route,
): Promise<{ claims: Claims; version: string } | ServiceError> {
  const version = checkVersion(req, sandbox.options.strict, matched.versions);
  if (typeof version !== 'string') return version;
  const auth = authenticate(
    req.headers.authorization,
    sandbox.registry,
    sandbox.options.allowUnsignedTokens,
  );
  if (!auth.ok) return auth.error;
  if (sandbox.limiter && matched.rate) {
    const limited = sandbox.limiter.check(
      auth.claims.Xuid ?? `uhs:${auth.claims.userHash}`,
      auth.claims.TitleId ?? '',
      matched.rate,
      Date.now(),
    );
    if (limited) return limited;
  }
  return { claims: auth.claims, version };
}

/**
 * Answers one request. Never throws: a bug becomes a 500 with a sentence. `reach` says which
 * listener it came in on: on the network address only the share pages answer (network.ts).
 */
export async function handleRequest(
  sandbox: Sandbox,
  req: IncomingMessage,
  res: ServerResponse,
  baseUrl: string,
  reach: Reach = 'loopback',
): Promise<void> {
  const started = Date.now();
  const method = req.method ?? 'GET';
  // A request target such as "//" is not a URL at all; it must become a 400, not a crash.
  const parsed = URL.parse(req.url ?? '/', 'http://sandbox.invalid');
  const url = parsed ?? new URL('http://sandbox.invalid/');
  const matched: Match = parsed ? matchRoute(method, url.pathname) : { kind: 'bad-path' };
  const msCv = req.headers['ms-cv'];
  const common: Record<string, string> = typeof msCv === 'string' ? { 'MS-CV': msCv } : {};
  let statsName = 'unknown';
  const finish = async (reply: Reply): Promise<void> => {
    await discardBody(req, res);
    writeReply(res, reply, common);
    sandbox.stats.record(statsName, reply.status);
    sandbox.options.log(
      `${method} ${url.pathname} -> ${reply.status} ${Date.now() - started}ms${typeof msCv === 'string' ? ` MS-CV=${msCv}` : ''}${reply.kind === 'error' ? ` (${reply.errorMessage})` : ''}`,
    );
  };
  const selfUrl = (): string => `${originOf(req, baseUrl)}${url.pathname}${url.search}`;
  const drop = (): void => {
    sandbox.stats.record(statsName, 'dropped');
    sandbox.options.log(`${method} ${url.pathname} -> connection dropped (fault)`);
    req.socket.destroy();
  };
  try {
    // Before anything else: a page in a browser (DNS rebinding, another origin) gets nothing.
    const foreign =
      reach === 'network' ? foreignNetworkCaller(req) : foreignCaller(sandbox.options, req);
    if (foreign) return await finish(foreign);
    // On the network address: share pages only; any other route (or method) is refused by name.
    if (
      reach === 'network' &&
      (matched.kind === 'method' || (matched.kind === 'route' && !networkMayReach(matched.route)))
    )
      return await finish(serviceError(403, SANDBOX_ERROR_CODES.notOnNetwork, NOT_ON_NETWORK));
    if (matched.kind === 'bad-path')
      return await finish(
        serviceError(
          400,
          SANDBOX_ERROR_CODES.invalidRequest,
          'The request path is not a valid URL path.',
        ),
      );
    if (matched.kind === 'none')
      return await finish(
        serviceError(404, SANDBOX_ERROR_CODES.notFound, `No GameClips route at ${url.pathname}.`),
      );
    if (matched.kind === 'method')
      return await finish(
        serviceError(
          405,
          SANDBOX_ERROR_CODES.methodNotAllowed,
          `${method} is not allowed here; use ${matched.allow.join(' or ')}.`,
          {
            headers: { Allow: matched.allow.join(', ') },
          },
        ),
      );
    const { route: current, params } = matched;
    // The benchmark sink exists only where it was asked for (standalone test use).
    if (current.name === 'sandbox.sink' && !sandbox.options.sink)
      return await finish(
        serviceError(404, SANDBOX_ERROR_CODES.notFound, 'The sink is off in this sandbox.'),
      );
    statsName = current.name;
    if (current.surface === 'admin' && !isLoopbackAddress(req.socket.remoteAddress))
      return await finish(
        serviceError(
          403,
          SANDBOX_ERROR_CODES.notLoopback,
          'The /sandbox/ admin routes answer only callers on this machine.',
        ),
      );
    if (current.surface === 'admin') {
      const refused = missingAdminSecret(sandbox.options, req);
      if (refused) return await finish(refused);
    }
    if (current.surface === 'protocol' || current.surface === 'upload') {
      // Every protocol answer, errors (faults, 401, 406) included, carries these (1.4).
      common['Cache-Control'] = 'no-cache';
      common['X-RequestedServiceVersion'] = answeredVersion(req, current.versions);
      common.Vary = PROTOCOL_VARY;
    }
    const fault = current.fault
      ? sandbox.faults.take(
          current.fault,
          current.fault === 'block' ? peekBlockNum(url.searchParams) : undefined,
        )
      : undefined;
    if (fault && !fault.afterCommit) {
      if (fault.delayMs) await sleep(fault.delayMs, sandbox.closed);
      if (fault.dropConnection) return drop();
      if (fault.status !== undefined) return await finish(faultReply(fault, selfUrl()));
    }
    let claims = NO_CLAIMS;
    if (current.surface === 'protocol' || current.surface === 'upload') {
      const authorized = await authorize(sandbox, req, current);
      if ('kind' in authorized) return await finish(authorized);
      claims = authorized.claims;
      common['X-RequestedServiceVersion'] = authorized.version;
    }
    if (current.json) {
      const refused = unsupportedMediaType(req);
      if (refused) return await finish(refused);
    }
    const ctx: RequestContext = {
      req,
      res,
      params,
      query: url.searchParams,
      pathname: url.pathname,
      origin: originOf(req, baseUrl),
      claims,
      locale: localeOf(req),
    };
    let reply = await current.handle(sandbox, ctx);
    if (fault?.afterCommit) {
      if (fault.delayMs) await sleep(fault.delayMs, sandbox.closed);
      if (fault.dropConnection) return drop();
      if (fault.status !== undefined) reply = faultReply(fault, selfUrl());
    }
    return await finish(reply);
  } catch (error) {
    sandbox.options.log(
      `sandbox: ${method} ${url.pathname} failed: ${String((error as Error)?.stack ?? error)}`,
    );
    if (res.headersSent) {
      res.destroy();
      return;
    }
    await finish(
      serviceError(
        500,
        SANDBOX_ERROR_CODES.internal,
        'The sandbox hit an internal error; see its log.',
      ),
    );
  }
}
