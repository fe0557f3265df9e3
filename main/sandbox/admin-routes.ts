/**
 * The admin surface under /sandbox/ (not part of the GameClips protocol; loopback only):
 * accounts, faults, stats, health, a raw PUT sink for benchmarks, and forcing a clip's state.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { NewAccountSchema } from './accounts';
import { signedToken } from './auth';
import { currentClip, endClip, type RequestContext, type Sandbox } from './context';
import { badRequest, isServiceError, notFound } from './errors';
import { SINK_MAX_BYTES } from './options';
import { FaultSpecSchema } from './faults';
import { empty, json, readJsonBody, receiveToFile, type Reply } from './http-util';

function zodMessage(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`)
    .join('; ');
}

async function readAdminBody(
  sandbox: Sandbox,
  ctx: RequestContext,
): Promise<{ ok: true; value: unknown } | { ok: false; reply: Reply }> {
  const body = await readJsonBody(
    ctx.req,
    ctx.res,
    sandbox.options.maxJsonBytes,
    sandbox.options.jsonBodyTimeoutMs,
  );
  if (!body.ok) return { ok: false, reply: body.error };
  return { ok: true, value: body.value ?? {} };
}

/** POST /sandbox/accounts: a new account and the Authorization header value to use. */
export async function createAccount(sandbox: Sandbox, ctx: RequestContext): Promise<Reply> {
  const body = await readAdminBody(sandbox, ctx);
  if (!body.ok) return body.reply;
  const parsed = NewAccountSchema.safeParse(body.value);
  if (!parsed.success)
    return badRequest(`The account request is invalid: ${zodMessage(parsed.error)}.`);
  const account = await sandbox.registry.createAccount(parsed.data);
  if (isServiceError(account)) return account;
  return json(201, {
    xuid: account.xuid,
    userHash: account.userHash,
    token: account.token,
    authorization: `XBL3.0 x=${account.userHash};${account.token}`,
    gamertag: account.gamertag,
    titleId: account.titleId,
    scid: account.scid,
    deviceType: account.deviceType,
    deviceId: account.deviceId,
    sandboxId: account.sandboxId,
    ...(account.quota ? { quota: account.quota } : {}),
  });
}

const TokenRequestSchema = z.strictObject({
  userHash: z
    .string()
    .regex(/^[A-Za-z0-9]{1,64}$/)
    .optional(),
  claims: z.partialRecord(
    z.enum(['Xuid', 'DeviceType', 'DeviceId', 'TitleId', 'TitleSandboxId', 'SandboxId']),
    z.string().min(1).max(256),
  ),
});

/**
 * POST /sandbox/tokens: a JWT signed by this sandbox carrying exactly the claims given, so a test
 * can hold a token that lacks one claim without the sandbox accepting unsigned tokens.
 */
export async function issueToken(sandbox: Sandbox, ctx: RequestContext): Promise<Reply> {
  const body = await readAdminBody(sandbox, ctx);
  if (!body.ok) return body.reply;
  const parsed = TokenRequestSchema.safeParse(body.value);
  if (!parsed.success)
    return badRequest(`The token request is invalid: ${zodMessage(parsed.error)}.`);
  const userHash = parsed.data.userHash ?? '1234567890123456789';
  const token = signedToken(sandbox.registry, { ...parsed.data.claims, uhs: userHash });
  return json(201, { token, userHash, authorization: `XBL3.0 x=${userHash};${token}` });
}

/** GET /sandbox/health: liveness, configuration that matters, and whether ffmpeg works. */
export async function health(sandbox: Sandbox): Promise<Reply> {
  const ffmpeg = await sandbox.thumbnails.probe();
  const { options } = sandbox;
  return json(200, {
    status: 'ok',
    uptimeSeconds: Math.round((Date.now() - sandbox.startedAt) / 1000),
    dataDir: options.dataDir,
    strict: options.strict,
    deviceTypeAllowList: options.deviceTypeAllowList,
    stateDelaysMs: options.stateDelaysMs,
    reservationTtlMs: options.reservationTtlMs,
    rateLimit: options.rateLimit,
    quota: options.quota,
    accounts: sandbox.registry.accountCount,
    ffmpeg,
    thumbnails: ffmpeg.available
      ? 'Default and Offset thumbnails are rendered with ffmpeg.'
      : (ffmpeg.note ?? 'ffmpeg is not available; clips publish without rendered thumbnails.'),
  });
}

/** GET /sandbox/stats: requests per route and status, live reservations per account. */
export async function stats(sandbox: Sandbox): Promise<Reply> {
  const liveReservations: Record<string, number> = {};
  const clipsByState: Record<string, number> = {};
  for (const stored of sandbox.store.all()) {
    const record = currentClip(sandbox, stored.gameClipId) ?? stored;
    clipsByState[record.state] = (clipsByState[record.state] ?? 0) + 1;
    if (record.state === 'PendingUpload')
      liveReservations[record.xuid] = (liveReservations[record.xuid] ?? 0) + 1;
  }
  return json(200, { requests: sandbox.stats.snapshot(), liveReservations, clipsByState });
}

export async function resetStats(sandbox: Sandbox): Promise<Reply> {
  sandbox.stats.reset();
  return empty(204);
}

/** POST /sandbox/faults: arm a fault; GET lists them; DELETE clears them. */
export async function addFault(sandbox: Sandbox, ctx: RequestContext): Promise<Reply> {
  const body = await readAdminBody(sandbox, ctx);
  if (!body.ok) return body.reply;
  const parsed = FaultSpecSchema.safeParse(body.value);
  if (!parsed.success) return badRequest(`The fault is invalid: ${zodMessage(parsed.error)}.`);
  return json(201, sandbox.faults.add(parsed.data));
}

export async function listFaults(sandbox: Sandbox): Promise<Reply> {
  return json(200, { faults: sandbox.faults.list() });
}

export async function clearFaults(sandbox: Sandbox): Promise<Reply> {
  sandbox.faults.clear();
  return empty(204);
}

/**
 * PUT /sandbox/sink: stores a body with one streamed write and nothing else. Benchmarks use it as
 * the reference a block upload is compared against ("a raw streamed PUT to the same server").
 */
export async function sink(sandbox: Sandbox, ctx: RequestContext): Promise<Reply> {
  const dir = path.join(sandbox.options.dataDir, 'sink');
  await mkdir(dir, { recursive: true });
  // Capped and timed like any upload; one file, replaced by each PUT.
  const received = await receiveToFile(
    ctx.req,
    ctx.res,
    path.join(dir, 'upload'),
    SINK_MAX_BYTES,
    'sink body',
    sandbox.options.uploadIdleTimeoutMs,
  );
  if (!received.ok) return received.error;
  return json(201, { bytes: received.bytes });
}

/** The states a tester may force: the terminal ones, which the protocol gives no way to reach. */
const FORCEABLE_STATES = ['Flagged', 'Banned', 'PendingDelete', 'Deleted', 'Error'] as const;
const ForcedStateSchema = z.strictObject({ state: z.enum(FORCEABLE_STATES) });

/**
 * POST /sandbox/clips/{gameClipId}/state: force a terminal state (e.g. Banned) so clients can
 * test how they stop polling.
 */
export async function forceState(sandbox: Sandbox, ctx: RequestContext): Promise<Reply> {
  const id = ctx.params.gameClipId ?? '';
  const record = currentClip(sandbox, id);
  if (!record) return notFound();
  const body = await readAdminBody(sandbox, ctx);
  if (!body.ok) return body.reply;
  const parsed = ForcedStateSchema.safeParse(body.value);
  if (!parsed.success) return badRequest(`The state is invalid: ${zodMessage(parsed.error)}.`);
  const { state } = parsed.data;
  if (state === 'Deleted' || state === 'Error') {
    await endClip(sandbox, id, state, 'admin', `Set to ${state} through /sandbox/clips.`);
    return empty(204);
  }
  await sandbox.store.withLock(id, async () => {
    const current = sandbox.store.get(id);
    if (current)
      await sandbox.store.put({ ...current, state, lastModified: new Date().toISOString() });
  });
  return empty(204);
}
