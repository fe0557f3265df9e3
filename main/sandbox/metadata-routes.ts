/**
 * The metadata routes (gameclipsmetadata in production): reserve, get, update, delete, the public
 * attribute updates, and the user and public lists (spec sections 2 and 6).
 */
import { randomUUID } from 'node:crypto';
import { parseClipTypes } from '../../app/gameclips/enums';
import {
  describeProblems,
  validateInitialUploadRequest,
  validateUpdateMetadataRequest,
} from '../../app/gameclips/validate';
import { MAX_CONTINUATION_TOKEN_CHARS } from '../../app/gameclips/limits';
import { normalizeScid, normalizeTitleId } from './accounts';
import { requireClaims, type Claims } from './auth';
import { averageRating, canSee, toGameClip, toUtc, type ViewContext } from './clip-view';
import {
  currentClip,
  endClip,
  inBackground,
  isEnded,
  parseOwner,
  xuidMismatch,
  type RequestContext,
  type Sandbox,
} from './context';
import {
  SANDBOX_ERROR_CODES,
  badRequest,
  conflict,
  isServiceError,
  notFound,
  serviceError,
  type ServiceError,
} from './errors';
import { empty, json, readJsonBody, type Reply } from './http-util';
import type { QuotaOptions } from './options';
import type { ServiceClip } from './store';
import { uploadUri } from './upload-routes';

/** Page size when `maxItems` is absent or 0; the service "may apply a default" (section 2). */
export const DEFAULT_PAGE_SIZE = 25;
/** Largest page; asking for more returns fewer, as the service "may return fewer". */
export const MAX_PAGE_SIZE = 100;

function viewContext(sandbox: Sandbox, ctx: RequestContext, record: ServiceClip): ViewContext {
  return {
    origin: ctx.origin,
    signer: sandbox.signer,
    now: Date.now(),
    downloadUriTtlMs: sandbox.options.downloadUriTtlMs,
    titleName: sandbox.registry.titleName(record.titleId),
  };
}

/** Strict mode wants `Content-Type: application/json` on JSON bodies (1.4). */
function checkJsonContentType(sandbox: Sandbox, ctx: RequestContext): ServiceError | undefined {
  if (!sandbox.options.strict) return undefined;
  const type = ctx.req.headers['content-type'] ?? '';
  return /^application\/json\s*(;|$)/i.test(type)
    ? undefined
    : badRequest('Content-Type must be application/json for this call.');
}

/**
 * Strict mode wants `Accept` to be there and to take JSON, as the reserve page requires
 * `Accept: application/json`; the `application` and full wildcards take it too.
 */
function checkAccept(sandbox: Sandbox, ctx: RequestContext): ServiceError | undefined {
  if (!sandbox.options.strict) return undefined;
  const accept = ctx.req.headers.accept ?? '';
  if (accept.trim() === '')
    return badRequest('The Accept header is required for this call (send application/json).');
  const takesJson = accept.split(',').some((range) => {
    const [type = '', ...parameters] = range.split(';').map((part) => part.trim().toLowerCase());
    const refused = parameters.some((parameter) => /^q\s*=\s*0(\.0{0,3})?$/.test(parameter));
    return !refused && ['application/json', 'application/*', '*/*'].includes(type);
  });
  return takesJson
    ? undefined
    : badRequest(`Accept must take application/json for this call; got "${accept}".`);
}

/** The caller's own clip named by the path, for owner-only calls (update, delete). */
export function ownClip(
  sandbox: Sandbox,
  ctx: RequestContext,
): { record: ServiceClip } | { error: ServiceError } {
  const missing = requireClaims(ctx.claims, ['Xuid']);
  if (missing) return { error: missing };
  const owner = parseOwner(ctx.params.owner ?? '', ctx.claims);
  if (isServiceError(owner)) return { error: owner };
  // A21: private fields change only through the caller's own path.
  if (owner !== ctx.claims.Xuid) return { error: xuidMismatch() };
  const record = currentClip(sandbox, ctx.params.gameClipId ?? '');
  if (
    !record ||
    record.xuid !== owner ||
    record.scid !== normalizeScid(ctx.params.scid ?? '') ||
    record.state === 'Deleted' ||
    record.state === 'PendingDelete'
  )
    return { error: notFound() };
  return { record };
}

function effectiveQuota(sandbox: Sandbox, claims: Claims): Required<QuotaOptions> {
  return { ...sandbox.options.quota, ...claims.account?.quota };
}

function overQuota(message: string): ServiceError {
  return serviceError(400, SANDBOX_ERROR_CODES.overQuota, message);
}

/**
 * Quota for saved clips (400 when over), FIFO eviction for the rest (section 6, step 4). Runs
 * without awaiting between the count and the new record, so two reservations cannot both fit
 * into the last slot.
 */
function makeRoom(
  sandbox: Sandbox,
  claims: Claims,
  xuid: string,
  saved: boolean,
  fileSize: number,
): ServiceError | undefined {
  const quota = effectiveQuota(sandbox, claims);
  const kept = [...sandbox.store.ownedBy(xuid)]
    .map((record) => currentClip(sandbox, record.gameClipId) ?? record)
    .filter((record) => !isEnded(record) && (record.request.savedByUser ?? false) === saved);
  let count = kept.length;
  let bytes = kept.reduce((sum, record) => sum + record.request.fileSize, 0);
  if (saved) {
    if (count + 1 > quota.maxCount)
      return overQuota(
        `Over quota: the account already keeps ${count} saved clips, the most it may keep is ${quota.maxCount}. Delete some saved clips or reserve with savedByUser false.`,
      );
    if (bytes + fileSize > quota.maxBytes)
      return overQuota(
        `Over quota: saved clips would take ${bytes + fileSize} bytes, the most the account may keep is ${quota.maxBytes}. Delete some saved clips or reserve with savedByUser false.`,
      );
    return undefined;
  }
  if (fileSize > quota.fifoMaxBytes || quota.fifoMaxCount < 1)
    return overQuota(
      `Over quota: a clip of ${fileSize} bytes does not fit in FIFO storage of ${quota.fifoMaxBytes} bytes and ${quota.fifoMaxCount} clips.`,
    );
  const oldestFirst = kept.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  for (const victim of oldestFirst) {
    if (count + 1 <= quota.fifoMaxCount && bytes + fileSize <= quota.fifoMaxBytes) break;
    inBackground(
      sandbox,
      endClip(sandbox, victim.gameClipId, 'Deleted', 'evicted', 'Evicted from FIFO storage.'),
      `evicting ${victim.gameClipId}`,
    );
    count -= 1;
    bytes -= victim.request.fileSize;
  }
  return undefined;
}

/** POST /users/me/scids/{scid}/clips: reserve a clip id and upload URIs (step 1). */
export async function reserve(sandbox: Sandbox, ctx: RequestContext): Promise<Reply> {
  const { claims } = ctx;
  const missing = requireClaims(claims, [
    'Xuid',
    'DeviceType',
    'DeviceId',
    'TitleId',
    'TitleSandboxId',
  ]);
  if (missing) return missing;
  const owner = parseOwner(ctx.params.owner ?? '', claims);
  if (isServiceError(owner)) return owner;
  if (owner !== claims.Xuid) return xuidMismatch();
  const deviceType = claims.DeviceType as string;
  const allowed = sandbox.options.deviceTypeAllowList.some(
    (entry) => entry.toLowerCase() === deviceType.toLowerCase(),
  );
  if (!allowed)
    return serviceError(
      403,
      SANDBOX_ERROR_CODES.deviceNotAllowed,
      `DeviceType ${deviceType} is not an uploading device here; allowed: ${sandbox.options.deviceTypeAllowList.join(', ')}.`,
    );
  const scid = normalizeScid(ctx.params.scid ?? '');
  if (scid === undefined) return badRequest(`The SCID "${ctx.params.scid}" is not a GUID.`);
  const title = sandbox.registry.titleForScid(scid);
  if (!title || title.titleId !== claims.TitleId)
    return serviceError(
      403,
      SANDBOX_ERROR_CODES.scidMismatch,
      `The SCID ${scid} does not match the token's title (TitleId ${claims.TitleId}).`,
    );
  const contentTypeProblem = checkJsonContentType(sandbox, ctx) ?? checkAccept(sandbox, ctx);
  if (contentTypeProblem) return contentTypeProblem;
  const body = await readJsonBody(
    ctx.req,
    ctx.res,
    sandbox.options.maxJsonBytes,
    sandbox.options.jsonBodyTimeoutMs,
  );
  if (!body.ok) return body.error;
  const validation = validateInitialUploadRequest(body.value, {
    strict: sandbox.options.strict,
    maxBlockBytes: sandbox.options.maxBlockBytes,
  });
  if (!validation.ok) return badRequest(describeProblems(validation.problems));
  const request = validation.value;
  const quotaProblem = makeRoom(
    sandbox,
    claims,
    owner,
    request.savedByUser ?? false,
    request.fileSize,
  );
  if (quotaProblem) return quotaProblem;
  const now = Date.now();
  const record: ServiceClip = {
    version: 1,
    gameClipId: randomUUID(),
    xuid: owner,
    scid,
    titleId: title.titleId,
    deviceType,
    locale: ctx.locale,
    request,
    createdAt: new Date(now).toISOString(),
    reservationExpiresAt: new Date(now + sandbox.options.reservationTtlMs).toISOString(),
    state: 'PendingUpload',
    lastModified: new Date(now).toISOString(),
    userCaption: request.userCaption ?? '',
    visibility: request.visibility,
    titleData: request.titleData ?? '',
    thumbnails: {},
    ratings: {},
    views: 0,
  };
  await sandbox.store.put(record);
  const upload = uploadUri(ctx.origin, owner, record.gameClipId);
  return json(200, {
    gameClipId: record.gameClipId,
    uploadUri: upload,
    // A9: thumbnail URIs only when the caller uploads its own thumbnails.
    ...(request.thumbnailSource === 'Upload'
      ? {
          largeThumbnailUri: `${upload}/thumbnails/large`,
          smallThumbnailUri: `${upload}/thumbnails/small`,
        }
      : {}),
    clipName: request.greatestMomentId,
    titleName: title.name,
  });
}

/** GET /users/{ownerId}/scids/{scid}/clips/{gameClipId} (step 4). */
export async function getClip(sandbox: Sandbox, ctx: RequestContext): Promise<Reply> {
  const missing = requireClaims(ctx.claims, ['Xuid', 'TitleId']);
  if (missing) return missing;
  // 1.6: the docs answer a missing SandboxId with 400 (they blame EDS).
  if (ctx.claims.SandboxId === undefined)
    return serviceError(
      400,
      SANDBOX_ERROR_CODES.missingClaims,
      'The token lacks the SandboxId claim this call needs.',
    );
  const owner = parseOwner(ctx.params.owner ?? '', ctx.claims);
  if (isServiceError(owner)) return owner;
  const record = currentClip(sandbox, ctx.params.gameClipId ?? '');
  if (
    !record ||
    record.xuid !== owner ||
    record.scid !== normalizeScid(ctx.params.scid ?? '') ||
    !canSee(record, ctx.claims)
  )
    return notFound();
  return json(200, { gameClip: toGameClip(record, viewContext(sandbox, ctx, record)) });
}

/** POST /users/me/scids/{scid}/clips/{gameClipId}: change private fields, all or nothing (step 5). */
export async function updateClip(sandbox: Sandbox, ctx: RequestContext): Promise<Reply> {
  const target = ownClip(sandbox, ctx);
  if ('error' in target) return target.error;
  const contentTypeProblem = checkJsonContentType(sandbox, ctx);
  if (contentTypeProblem) return contentTypeProblem;
  const body = await readJsonBody(
    ctx.req,
    ctx.res,
    sandbox.options.maxJsonBytes,
    sandbox.options.jsonBodyTimeoutMs,
  );
  if (!body.ok) return body.error;
  const validation = validateUpdateMetadataRequest(body.value, { strict: sandbox.options.strict });
  if (!validation.ok) return badRequest(describeProblems(validation.problems));
  const changes = validation.value;
  if (Object.keys(changes).length === 0) return empty(200);
  const id = target.record.gameClipId;
  return sandbox.store.withLock(id, async () => {
    const current = currentClip(sandbox, id);
    if (!current || current.state === 'Deleted' || current.state === 'PendingDelete')
      return notFound();
    await sandbox.store.put({ ...current, ...changes, lastModified: new Date().toISOString() });
    return empty(200);
  });
}

/** DELETE /users/me/scids/{scid}/clips/{gameClipId}: 204, then 404. */
export async function deleteClip(sandbox: Sandbox, ctx: RequestContext): Promise<Reply> {
  const target = ownClip(sandbox, ctx);
  if ('error' in target) return target.error;
  await endClip(sandbox, target.record.gameClipId, 'Deleted', 'deleted', 'The clip was deleted.');
  return empty(204);
}

/** POST .../clips/{gameClipId}/ratings/{rating} | /flag | /views: public attributes, any user. */
export async function updateAttribute(
  sandbox: Sandbox,
  ctx: RequestContext,
  attribute: 'rating' | 'flag' | 'view',
): Promise<Reply> {
  const missing = requireClaims(ctx.claims, ['Xuid']);
  if (missing) return missing;
  const rater = ctx.claims.Xuid as string;
  let rating = 0;
  if (attribute === 'rating') {
    const raw = ctx.params.rating ?? '';
    if (!/^[1-5]$/.test(raw))
      return badRequest(`A rating is a whole number from 1 to 5; got "${raw}".`);
    rating = Number(raw);
  }
  const owner = parseOwner(ctx.params.owner ?? '', ctx.claims);
  if (isServiceError(owner)) return owner;
  const id = ctx.params.gameClipId ?? '';
  // Lock only ids that exist, so made-up ids cannot grow the lock table.
  if (!sandbox.store.get(id)) return notFound();
  return sandbox.store.withLock(id, async () => {
    const record = currentClip(sandbox, id);
    if (
      !record ||
      record.xuid !== owner ||
      record.scid !== normalizeScid(ctx.params.scid ?? '') ||
      !canSee(record, ctx.claims)
    )
      return notFound();
    if (record.state !== 'Published')
      return conflict(
        `The clip is ${record.state}; only a published clip can be ${attribute === 'rating' ? 'rated' : attribute === 'flag' ? 'flagged' : 'viewed'}.`,
      );
    const changed: ServiceClip =
      attribute === 'rating'
        ? { ...record, ratings: { ...record.ratings, [rater]: rating } }
        : attribute === 'flag'
          ? { ...record, state: 'Flagged', lastModified: new Date().toISOString() }
          : { ...record, views: record.views + 1 };
    await sandbox.store.put(changed);
    return empty(200);
  });
}

/** Which clips a list route covers. */
export interface ListScope {
  readonly audience: 'user' | 'public';
  readonly by: 'all' | 'scid' | 'title';
  readonly saved: boolean;
}

const QUALIFIERS = ['created', 'rating', 'views'] as const;

interface ListQuery {
  readonly offset: number;
  readonly pageSize: number;
  readonly ascending: boolean;
  readonly qualifier: (typeof QUALIFIERS)[number];
  readonly listKey: string;
  readonly matches: (record: ServiceClip) => boolean;
}

function readCount(query: URLSearchParams, name: string): number | undefined | ServiceError {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^\d{1,9}$/.test(raw))
    return badRequest(`${name} must be a whole number of 0 or more; got "${raw}".`);
  return Number(raw);
}

function commaList(raw: string | null): string[] | undefined {
  if (raw === null) return undefined;
  return raw
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

/** Parses the list query parameters (section 2, "List a user's clips"; public clips). */
function readListQuery(
  sandbox: Sandbox,
  ctx: RequestContext,
  audience: ListScope['audience'],
): ListQuery | ServiceError {
  const { query } = ctx;
  const skip = readCount(query, 'skipItems');
  if (isServiceError(skip)) return skip;
  const max = readCount(query, 'maxItems');
  if (isServiceError(max)) return max;
  const pageSize =
    max === undefined || max === 0 ? DEFAULT_PAGE_SIZE : Math.min(max, MAX_PAGE_SIZE);
  const order = (query.get('order') ?? 'D').toUpperCase();
  if (order !== 'A' && order !== 'D') return badRequest(`order must be A or D; got "${order}".`);
  if (audience === 'public' && order === 'A')
    return badRequest('Public clip lists have no ascending order; leave order out or send D.');
  // The docs spell it "qualifer" once; take either.
  const rawQualifier = query.get('qualifier') ?? query.get('qualifer');
  if (audience === 'public' && rawQualifier === null)
    return badRequest('Public clip lists need a qualifier, e.g. qualifier=created.');
  const qualifier = QUALIFIERS.find((q) => q === (rawQualifier ?? 'created').toLowerCase());
  if (qualifier === undefined)
    return badRequest(`qualifier must be created, rating or views; got "${rawQualifier}".`);
  const filters: ((record: ServiceClip) => boolean)[] = [];
  const rawType = query.get('type');
  let typeKey = '';
  if (rawType !== null && rawType.trim() !== '') {
    const parsed = parseClipTypes(rawType);
    if (!parsed.ok) return badRequest(`type has unknown values: ${parsed.unknown.join(', ')}.`);
    typeKey = parsed.normalized;
    const wanted = new Set(parsed.flags);
    filters.push((record) =>
      record.request.type.split(', ').some((flag) => wanted.has(flag as never)),
    );
  }
  // Clips uploaded through this protocol carry no eventId or achievementId, so asking for any
  // value finds nothing, as the service would answer.
  for (const name of audience === 'public' ? ['eventId', 'achievementId'] : ['eventId']) {
    const wanted = commaList(query.get(name));
    if (wanted !== undefined && wanted.length > 0) filters.push(() => false);
  }
  if (audience === 'public') {
    const wanted = commaList(query.get('greatestMomentId'));
    if (wanted !== undefined && wanted.length > 0)
      filters.push((record) => wanted.includes(record.request.greatestMomentId));
  }
  const listKey = [
    ctx.pathname,
    order,
    qualifier,
    typeKey,
    query.get('eventId') ?? '',
    query.get('achievementId') ?? '',
    query.get('greatestMomentId') ?? '',
  ].join('|');
  let offset = skip ?? 0;
  const token = query.get('continuationToken');
  if (token !== null && token !== '') {
    if (token.length > MAX_CONTINUATION_TOKEN_CHARS)
      return badRequest(`continuationToken is at most ${MAX_CONTINUATION_TOKEN_CHARS} characters.`);
    const fromToken = sandbox.signer.readContinuationToken(listKey, token);
    if (fromToken === undefined)
      return badRequest('continuationToken does not belong to this list; start again without it.');
    offset = fromToken;
  }
  return {
    offset,
    pageSize,
    ascending: order === 'A',
    qualifier,
    listKey,
    matches: (record) => filters.every((filter) => filter(record)),
  };
}

function sortKey(record: ServiceClip, qualifier: ListQuery['qualifier']): number {
  switch (qualifier) {
    case 'created':
      return Date.parse(toUtc(record.request.dateRecorded));
    case 'rating':
      return averageRating(record).rating;
    case 'views':
      return record.views;
  }
}

function publiclyVisible(record: ServiceClip, caller: Claims): boolean {
  if (record.state !== 'Published') return false;
  return (
    record.visibility === 'Public' ||
    record.visibility === 'Default' ||
    (record.visibility === 'Title' && record.titleId === caller.TitleId)
  );
}

/** The GET list routes, user and public (QueryClipsResponse, 3.6). */
export async function listClips(
  sandbox: Sandbox,
  ctx: RequestContext,
  scope: ListScope,
): Promise<Reply> {
  const { claims, params } = ctx;
  let candidates: Iterable<ServiceClip>;
  let visible: (record: ServiceClip) => boolean;
  if (scope.audience === 'user') {
    const missing = requireClaims(claims, ['Xuid']);
    if (missing) return missing;
    const owner = parseOwner(params.owner ?? '', claims);
    if (isServiceError(owner)) return owner;
    candidates = sandbox.store.ownedBy(owner);
    visible = (record) => canSee(record, claims);
  } else {
    candidates = sandbox.store.all();
    visible = (record) => publiclyVisible(record, claims);
  }
  let inScope: (record: ServiceClip) => boolean = () => true;
  if (scope.by === 'scid') {
    const scid = normalizeScid(params.scid ?? '');
    if (scid === undefined) return badRequest(`The SCID "${params.scid}" is not a GUID.`);
    const title = sandbox.registry.titleForScid(scid);
    if (scope.audience === 'user' && (!title || title.titleId !== claims.TitleId))
      return serviceError(
        403,
        SANDBOX_ERROR_CODES.scidMismatch,
        `The token's title has no access to SCID ${scid}.`,
      );
    inScope = (record) => record.scid === scid;
  } else if (scope.by === 'title') {
    const titleId = normalizeTitleId(params.titleId ?? '');
    if (titleId === undefined)
      return badRequest(`The title id "${params.titleId}" is not a number.`);
    inScope = (record) => record.titleId === titleId;
  }
  const query = readListQuery(sandbox, ctx, scope.audience);
  if (isServiceError(query)) return query;
  const found: ServiceClip[] = [];
  for (const stored of candidates) {
    const record = currentClip(sandbox, stored.gameClipId) ?? stored;
    if (
      inScope(record) &&
      (!scope.saved || record.request.savedByUser === true) &&
      visible(record) &&
      query.matches(record)
    )
      found.push(record);
  }
  const direction = query.ascending ? 1 : -1;
  found.sort(
    (a, b) =>
      direction * (sortKey(a, query.qualifier) - sortKey(b, query.qualifier)) ||
      direction * a.createdAt.localeCompare(b.createdAt) ||
      a.gameClipId.localeCompare(b.gameClipId),
  );
  const page = found.slice(query.offset, query.offset + query.pageSize);
  const nextOffset = query.offset + page.length;
  return json(200, {
    gameClips: page.map((record) => toGameClip(record, viewContext(sandbox, ctx, record))),
    pagingInfo: {
      continuationToken:
        nextOffset < found.length
          ? sandbox.signer.continuationToken(query.listKey, nextOffset)
          : null,
      totalItems: found.length,
    },
  });
}
