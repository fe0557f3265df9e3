/**
 * Shared pieces of the upload tests: large real clips and thumbnails made by ffmpeg, a sandbox
 * account, and reading back what the sandbox holds (state, caption, bytes, request counts).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { RunningSandbox } from '../../main/sandbox/index';

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
    headers: { Authorization: account.authorization, 'x-xbl-contract-version': '1' },
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
  return (await (await fetch(`${baseUrl}/sandbox/stats`)).json()) as SandboxStats;
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
    headers: { 'Content-Type': 'application/json' },
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
