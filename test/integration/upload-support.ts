/**
 * Shared pieces of the upload tests: large real clips and thumbnails made by ffmpeg, a sandbox
 * account, a companion set up the way these tests run it, and reading back what the sandbox holds
 * (state, caption, bytes, request counts).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ClipRecord } from '../../app/clip/clip';
import type { Companion } from '../../main/core/companion';
import {
  adminHeaders,
  startSandbox,
  type RunningSandbox,
  type SandboxOptions,
} from '../../main/sandbox/index';
import { tempDir } from '../support/clips';

const run = promisify(execFile);

/**
 * A clip of tens of MB: ffmpeg noise keeps the encoder from squeezing it, so the size is what the
 * bitrate says (about 3 MB per second at 24M).
 */
export async function makeLargeClip(filePath: string, seconds = 8): Promise<string> {
  await run('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', `testsrc2=size=640x360:rate=30:duration=${seconds}`],
    ...['-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`],
    ...['-shortest', '-vf', 'noise=alls=60:allf=t'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
    ...['-b:v', '24M', '-maxrate', '24M', '-bufsize', '24M', '-c:a', 'aac'],
    filePath,
  ]);
  return filePath;
}

/** One frame of the clip at `offsetMs`, scaled to width x height, as PNG bytes. */
export async function renderThumbnail(
  clipPath: string,
  offsetMs: number,
  width: number,
  height: number,
): Promise<Uint8Array> {
  const { stdout } = await run(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-ss', String(offsetMs / 1000), '-i', clipPath],
      ...['-frames:v', '1', '-vf', `scale=${width}:${height}`, '-f', 'image2pipe'],
      ...['-vcodec', 'png', 'pipe:1'],
    ],
    { encoding: 'buffer', maxBuffer: 32 * 1024 * 1024 },
  );
  return new Uint8Array(stdout);
}

export async function sha256File(filePath: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(filePath))
    .digest('hex');
}

export interface SandboxAccount {
  readonly authorization: string;
  readonly scid: string;
  readonly xuid: string;
}

export async function newAccount(sandbox: RunningSandbox): Promise<SandboxAccount> {
  const response = await fetch(`${sandbox.baseUrl}/sandbox/accounts`, { method: 'POST' });
  if (response.status !== 201) throw new Error(`account: ${response.status}`);
  return (await response.json()) as SandboxAccount;
}

export interface ServiceClip {
  readonly gameClipId: string;
  readonly state: string;
  readonly userCaption?: string;
  readonly visibility?: string;
  readonly thumbnails?: Array<{ uri: string; thumbnailType?: string }>;
  readonly gameClipUris?: Array<{ uri: string; uriType?: string }>;
}

export async function getServiceClip(
  baseUrl: string,
  account: SandboxAccount,
  gameClipId: string,
): Promise<{ status: number; clip?: ServiceClip }> {
  const response = await fetch(`${baseUrl}/users/me/scids/${account.scid}/clips/${gameClipId}`, {
    headers: {
      Authorization: account.authorization,
      'X-RequestedServiceVersion': '1',
      'x-xbl-contract-version': '1',
    },
  });
  if (response.status !== 200) return { status: response.status };
  return { status: 200, clip: ((await response.json()) as { gameClip: ServiceClip }).gameClip };
}

/** SHA-256 of what the sandbox serves as the clip's download. */
export async function downloadedSha256(clip: ServiceClip): Promise<string> {
  const uri =
    clip.gameClipUris?.find((item) => item.uriType === 'Download') ?? clip.gameClipUris?.[0];
  if (!uri) throw new Error('the clip has no download URI');
  const response = await fetch(uri.uri);
  if (response.status !== 200) throw new Error(`download: ${response.status}`);
  return createHash('sha256')
    .update(Buffer.from(await response.arrayBuffer()))
    .digest('hex');
}

export interface SandboxStats {
  readonly requests: Record<string, Record<string, number>>;
  readonly liveReservations: Record<string, number>;
  readonly clipsByState: Record<string, number>;
}

export async function stats(baseUrl: string): Promise<SandboxStats> {
  return (await (
    await fetch(`${baseUrl}/sandbox/stats`, { headers: adminHeaders(baseUrl) })
  ).json()) as SandboxStats;
}

/** Requests a route received, all statuses together (or only `statuses`). */
export function count(s: SandboxStats, route: string, statuses?: readonly number[]): number {
  return Object.entries(s.requests[route] ?? {})
    .filter(([status]) => !statuses || statuses.includes(Number(status)))
    .reduce((sum, [, n]) => sum + n, 0);
}

export async function armFault(baseUrl: string, fault: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${baseUrl}/sandbox/faults`, {
    method: 'POST',
    // The built-in service (a companion's) wants its per-run admin secret; a test's own is open.
    headers: { 'Content-Type': 'application/json', ...adminHeaders(baseUrl) },
    body: JSON.stringify(fault),
  });
  if (response.status !== 201)
    throw new Error(`fault: ${response.status} ${await response.text()}`);
}

export async function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  what: string | (() => string),
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A temporary folder with a sandbox in `dir/sandbox` and one account on it. */
export interface UploadSandbox {
  readonly dir: string;
  readonly sandbox: RunningSandbox;
  readonly account: SandboxAccount;
  /** Stops the sandbox, then removes the folder. */
  close(): Promise<void>;
}

export async function openUploadSandbox(
  prefix: string,
  options: Partial<Omit<SandboxOptions, 'dataDir'>> = {},
): Promise<UploadSandbox> {
  const { dir, cleanup } = await tempDir(prefix);
  // Strict unless a test says otherwise: the app's client must meet the reference pages to the
  // letter (issue 18), so a header it stops sending fails these tests at once.
  const sandbox = await startSandbox({
    strict: true,
    ...(process.env.GC_DEBUG ? { log: (line: string) => process.stderr.write(`${line}\n`) } : {}),
    ...options,
    dataDir: path.join(dir, 'sandbox'),
  });
  const account = await newAccount(sandbox);
  return {
    dir,
    sandbox,
    account,
    close: async () => {
      await sandbox.close();
      await cleanup();
    },
  };
}

// The companion itself starts in the one harness (test/support/companion.ts); these names stay
// for the upload tests that import them from here.
export {
  QUICK_BLOCK_RETRY,
  quietLogger,
  startUploadCompanion as startTestCompanion,
  type UploadCompanion as TestCompanion,
  type UploadCompanionOptions as TestCompanionOptions,
} from '../support/companion';

/** Writes a large clip next to the folder, then renames it in: complete, as a recorder does. */
export async function dropLargeClip(
  watched: string,
  name: string,
  seconds: number,
): Promise<string> {
  const staging = path.join(path.dirname(watched), `.${name}`);
  await makeLargeClip(staging, seconds);
  const target = path.join(watched, name);
  await rename(staging, target);
  return target;
}

/** The clip of `filePath` once it is in one of `states`. */
export function clipInState(
  companion: Companion,
  filePath: string,
  states: readonly ClipRecord['state'][],
  timeoutMs = 60_000,
): Promise<ClipRecord> {
  return waitFor(
    () =>
      companion.ledger
        .all()
        .find((record) => record.file.path === filePath && states.includes(record.state)),
    timeoutMs,
    `${path.basename(filePath)} to be ${states.join(' or ')}`,
  );
}
