/**
 * The GameClips sandbox: a faithful, persistent implementation of the GameClips upload protocol
 * (../shared/spec/gameclips-protocol.md, section 6) that the app uses as its default service and
 * every integration test talks to. `startSandbox` is the one way in.
 */
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FolderHeldError, lockFolder } from '../util/folder-lock';
import { Registry } from './accounts';
import { currentClip, type Sandbox } from './context';
import { FaultInjector } from './faults';
import { Lifecycle } from './lifecycle';
import { NetworkListeners, type NetworkShareState } from './network-listeners';
import type { Reach } from './network';
import { resolveOptions, type SandboxOptions } from './options';
import { RateLimiter } from './rate-limit';
import { handleRequest } from './server';
import { ShareBook } from './shares';
import { Signer } from './signing';
import { Stats } from './stats';
import { ClipStore } from './store';
import { ThumbnailRenderer } from './thumbnails';

export type {
  QuotaOptions,
  RateLimitOptions,
  SandboxOptions,
  TimedState,
  TitleOptions,
} from './options';
export { CONSOLE_DEVICE_TYPES, DEFAULT_TITLE, PC_DEVICE_TYPE } from './options';
export { SANDBOX_ERROR_CODES } from './errors';
export { FAULT_ROUTES, type FaultRoute } from './faults';
export { signedToken, unsignedToken } from './auth';
export { ADMIN_SECRET_HEADER } from './guards';
export type { NetworkShareState } from './network-listeners';
export { networkMayReach } from './network';

/** A sandbox lock nobody refreshed for this long belongs to a crashed process. */
export const SANDBOX_LOCK_STALE_MS = 10_000;

/** A started sandbox. */
export interface RunningSandbox {
  /** `http://<host>:<port>`, the base of every GameClips and /sandbox/ route. */
  readonly baseUrl: string;
  readonly port: number;
  /**
   * The secret the /sandbox/ admin routes want in `X-Sandbox-Admin-Secret`, when started with
   * one (the built-in service always is); undefined when admin is open on loopback.
   */
  readonly adminSecret: string | undefined;
  /** Stops listening, finishes pending writes, and releases the data folder. */
  close(): Promise<void>;
  /**
   * "Share on my network" (issue 16): also listen on these IPv4 addresses of this computer and
   * answer there only the share pages (network.ts); `[]` stops. Applies at once; loopback is never
   * touched. Answers the network origins now listening and the addresses that failed.
   */
  shareOnNetwork(addresses: readonly string[]): Promise<NetworkShareState>;
}

/**
 * Admin secrets of the sandboxes this process started, by base URL. In-process only (a global of
 * this process, shared by every bundle copy of this module), so the app's own test harnesses can
 * reach the built-in service's admin routes and nothing outside the process can.
 */
const SECRETS_KEY = Symbol.for('gameclips.sandbox.adminSecrets');

function secretRegistry(): Map<string, string> {
  const holder = globalThis as { [SECRETS_KEY]?: Map<string, string> };
  holder[SECRETS_KEY] ??= new Map();
  return holder[SECRETS_KEY];
}

/** The admin secret of a sandbox this process started at `baseUrl`, if it has one. */
export function adminSecretOf(baseUrl: string): string | undefined {
  return secretRegistry().get(new URL(baseUrl).origin);
}

/** Headers that open the admin routes of a sandbox this process started (none when open). */
export function adminHeaders(baseUrl: string): Record<string, string> {
  const secret = adminSecretOf(baseUrl);
  return secret === undefined ? {} : { 'X-Sandbox-Admin-Secret': secret };
}

const LOCK_NAME = 'sandbox.lock';

/**
 * Claims the data folder for this process: two sandboxes writing one folder would lose clips.
 * The lock is an owner token with a stale timeout (main/util/folder-lock.ts), not a bare pid:
 * after a crash, another process reusing the old pid must not keep the folder locked.
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  try {
    const lock = await lockFolder(dataDir, { name: LOCK_NAME, staleMs: SANDBOX_LOCK_STALE_MS });
    return () => lock.release();
  } catch (error) {
    if (!(error instanceof FolderHeldError)) throw error;
    const holder = error.owner?.pid;
    throw new Error(
      `The sandbox data folder ${dataDir} is in use by process ${holder ?? 'unknown'}${holder === process.pid ? ' (this one)' : ''}.`,
    );
  }
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Starts the sandbox on `host:port` (default 127.0.0.1, a free port) over `dataDir`. */
export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const resolved = resolveOptions(options);
  await mkdir(resolved.dataDir, { recursive: true });
  const unlock = await lockDataDir(resolved.dataDir);
  try {
    return await start(resolved, unlock);
  } catch (error) {
    await unlock();
    throw error;
  }
}

async function start(
  options: ReturnType<typeof resolveOptions>,
  unlock: () => Promise<void>,
): Promise<RunningSandbox> {
  const registry = await Registry.open(options.dataDir, options.titles);
  const store = await ClipStore.open(options.dataDir, options.log);
  const thumbnails = new ThumbnailRenderer(options.ffmpegPath);
  const shares = await ShareBook.open(options.dataDir);
  const lifecycle = new Lifecycle(store, options, thumbnails);
  const controller = new AbortController();
  const sandbox: Sandbox = {
    options,
    store,
    registry,
    signer: new Signer(registry.secret),
    lifecycle,
    faults: new FaultInjector(),
    stats: new Stats(),
    limiter: options.rateLimit ? new RateLimiter(options.rateLimit) : undefined,
    thumbnails,
    shares,
    startedAt: Date.now(),
    closed: controller.signal,
  };
  let baseUrl = '';
  const makeServer = (reach: Reach): Server => {
    const made = createServer(
      // Large single-shot uploads take a while; the default 5-minute request timeout is too short.
      { requestTimeout: 30 * 60 * 1000, keepAliveTimeout: 5000 },
      (req, res) => {
        // handleRequest answers every failure itself; this only guards the process against a bug.
        handleRequest(sandbox, req, res, baseUrl, reach).catch(() => res.destroy());
      },
    );
    made.maxConnections = options.maxConnections;
    return made;
  };
  const server = makeServer('loopback');
  const port = await listen(server, options.port, options.host);
  const network = new NetworkListeners(() => makeServer('network'), port);
  baseUrl = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  if (options.adminSecret !== undefined)
    secretRegistry().set(new URL(baseUrl).origin, options.adminSecret);

  // Expired reservations are retired on access; this sweep also frees their bytes when nobody asks.
  const sweep = (): void => {
    for (const record of [...store.all()]) currentClip(sandbox, record.gameClipId);
  };
  sweep();
  const sweeper = setInterval(sweep, Math.max(1000, Math.min(options.reservationTtlMs, 60_000)));
  sweeper.unref();
  lifecycle.resume();
  void thumbnails.probe();

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      controller.abort();
      clearInterval(sweeper);
      secretRegistry().delete(new URL(baseUrl).origin);
      await network.close();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Give requests in flight a moment to finish, then cut what is left.
      const grace = setTimeout(() => server.closeAllConnections(), 500);
      await stopped;
      clearTimeout(grace);
      await lifecycle.close();
      await store.flush();
      await registry.flush();
      await shares.flush();
      await unlock();
    })();
    return closing;
  };
  return {
    baseUrl,
    port,
    adminSecret: options.adminSecret,
    close,
    shareOnNetwork: (addresses) =>
      closing ? Promise.resolve(network.state()) : network.set(addresses),
  };
}
