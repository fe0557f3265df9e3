/**
 * The sandbox's configuration: what callers may set, and the defaults that make a fresh sandbox
 * usable by the desktop app without any setup (spec section 6).
 */
import { SERVICE_MAX_BLOCK_BYTES } from '../../app/gameclips/limits';

/** Device types the documented service treats as uploading devices: the consoles (section 6). */
export const CONSOLE_DEVICE_TYPES = [
  'XboxOne',
  'Durango',
  'Scorpio',
  'Scarlett',
  'Edmonton',
] as const;

/**
 * The device type of a PC, carried by default sandbox accounts. It is on the default allow-list
 * so the desktop app can upload; pass `deviceTypeAllowList: CONSOLE_DEVICE_TYPES` to get the
 * retail behaviour (403 for a PC).
 */
export const PC_DEVICE_TYPE = 'Win32';

/** The intermediate states a committed clip passes through, each held for a configurable time. */
export const TIMED_STATES = ['Uploaded', 'Processing', 'Processed', 'Publishing'] as const;
export type TimedState = (typeof TIMED_STATES)[number];

/** Storage limits per account (A29: the documented service publishes no numbers). */
export interface QuotaOptions {
  /** Most clips with `savedByUser: true` an account may hold (over it: 400). */
  readonly maxCount?: number;
  /** Most bytes (declared `fileSize`) of saved clips an account may hold (over it: 400). */
  readonly maxBytes?: number;
  /** Most unsaved clips kept before the oldest are evicted (FIFO storage). */
  readonly fifoMaxCount?: number;
  /** Most bytes of unsaved clips kept before the oldest are evicted. */
  readonly fifoMaxBytes?: number;
}

/** Fine-grained rate limiting (5.3), counted per (xuid, titleId), reads and writes apart. */
export interface RateLimitOptions {
  /** Requests allowed per burst window (default 30). */
  readonly burst?: number;
  /** Requests allowed per sustain window (default 300). */
  readonly sustain?: number;
  /** Burst window length in seconds (default 15, as Xbox Live). */
  readonly burstSeconds?: number;
  /** Sustain window length in seconds (default 300, as Xbox Live). */
  readonly sustainSeconds?: number;
}

/** A title the sandbox knows: reservations for `scid` need a token whose TitleId is `titleId`. */
export interface TitleOptions {
  readonly titleId: string;
  readonly scid: string;
  readonly name?: string;
}

/** Everything `startSandbox` accepts. Only `dataDir` is required. */
export interface SandboxOptions {
  /** Folder holding every clip, block, thumbnail and account; created when missing. */
  readonly dataDir: string;
  /** Port to listen on; 0 (default) picks a free one. */
  readonly port?: number;
  /** Address to listen on; loopback by default (S5). */
  readonly host?: string;
  /** Strict mode (section 6): version header required, no `blockNumber` alias, unknown members 400. */
  readonly strict?: boolean;
  /** Device types allowed to reserve; default the consoles plus `Win32` (see PC_DEVICE_TYPE). */
  readonly deviceTypeAllowList?: readonly string[];
  /** Time each intermediate state lasts, in ms; default 0 so tests run instantly (4.6). */
  readonly stateDelaysMs?: Partial<Record<TimedState, number>>;
  /** How long a reservation accepts blocks, in ms (default 24 h); after it, PUTs answer 410. */
  readonly reservationTtlMs?: number;
  /** How long a download or thumbnail URI stays valid, in ms (default 1 h); GET refreshes it. */
  readonly downloadUriTtlMs?: number;
  /** Default storage limits for every account; an account may carry its own `quota`. */
  readonly quota?: QuotaOptions;
  /** Fine-grained rate limiting; off unless given. */
  readonly rateLimit?: RateLimitOptions | false;
  /** ffmpeg for Default/Offset thumbnails; default `ffmpeg` on PATH, `null` to render none. */
  readonly ffmpegPath?: string | null;
  /** Largest accepted block, in bytes (default 2,097,152, A6). */
  readonly maxBlockBytes?: number;
  /** Largest accepted JSON body, in bytes (default 65,536). */
  readonly maxJsonBytes?: number;
  /** Titles known from the start, besides the default one and those accounts bring. */
  readonly titles?: readonly TitleOptions[];
  /** Receives one line per request (method, path, status, MS-CV); silent by default. */
  readonly log?: (line: string) => void;
  /**
   * When set, the /sandbox/ admin routes answer only requests carrying it in
   * `X-Sandbox-Admin-Secret` (403 otherwise). The built-in service always sets a per-run one.
   */
  readonly adminSecret?: string;
  /** Accept unsigned test JWTs (`alg: none`); off by default, signed tokens only (issue 14). */
  readonly allowUnsignedTokens?: boolean;
  /** Needed to listen on an address other than loopback; without it such a `host` is refused. */
  readonly public?: boolean;
  /** Serve `PUT /sandbox/sink` (the benchmark reference); off by default. */
  readonly sink?: boolean;
  /** How long a JSON body may take to arrive, in ms (default 10 s); then 408. */
  readonly jsonBodyTimeoutMs?: number;
  /** How long an upload body may go without a byte, in ms (default 30 s); then 408. */
  readonly uploadIdleTimeoutMs?: number;
  /** Most connections open at once (default 64); more are refused by the server. */
  readonly maxConnections?: number;
}

/** The options with every default applied. */
export interface ResolvedOptions {
  readonly dataDir: string;
  readonly port: number;
  readonly host: string;
  readonly strict: boolean;
  readonly deviceTypeAllowList: readonly string[];
  readonly stateDelaysMs: Readonly<Record<TimedState, number>>;
  readonly reservationTtlMs: number;
  readonly downloadUriTtlMs: number;
  readonly quota: Required<QuotaOptions>;
  readonly rateLimit: Required<RateLimitOptions> | false;
  readonly ffmpegPath: string | null;
  readonly maxBlockBytes: number;
  readonly maxJsonBytes: number;
  readonly titles: readonly TitleOptions[];
  readonly log: (line: string) => void;
  readonly adminSecret: string | undefined;
  readonly allowUnsignedTokens: boolean;
  readonly public: boolean;
  readonly sink: boolean;
  readonly jsonBodyTimeoutMs: number;
  readonly uploadIdleTimeoutMs: number;
  readonly maxConnections: number;
}

/** Largest body `PUT /sandbox/sink` takes (the benchmark sends 64 MB). */
export const SINK_MAX_BYTES = 256 * 1024 * 1024;

/** Whether `host` names this machine only (S5). */
export function isLoopbackHost(host: string): boolean {
  return (
    host === 'localhost' ||
    host === '::1' ||
    host === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  );
}

/** The title and SCID a default account reserves on. */
export const DEFAULT_TITLE: Required<TitleOptions> = {
  // 0x47435342 is "GCSB" (GameClips SandBox); the SCID carries the title id in hex, as old
  // Xbox Live SCIDs do, so the pair is easy to recognise in logs.
  titleId: '1195594562',
  scid: '00000000-0000-0000-0000-000047435342',
  name: 'GameClips Sandbox Title',
};

export const DEFAULT_QUOTA: Required<QuotaOptions> = {
  maxCount: 500,
  maxBytes: 20 * 1024 ** 3,
  fifoMaxCount: 1000,
  fifoMaxBytes: 20 * 1024 ** 3,
};

export const DEFAULT_RATE_LIMIT: Required<RateLimitOptions> = {
  burst: 30,
  sustain: 300,
  burstSeconds: 15,
  sustainSeconds: 300,
};

const HOUR_MS = 60 * 60 * 1000;

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0)
    throw new RangeError(`Sandbox option ${name} must be a number of 0 or more; got ${value}.`);
  return value;
}

/** Applies defaults and rejects nonsense early, so a bad option fails at start, not mid-request. */
export function resolveOptions(options: SandboxOptions): ResolvedOptions {
  if (typeof options.dataDir !== 'string' || options.dataDir.length === 0)
    throw new TypeError('Sandbox option dataDir is required.');
  const delays = options.stateDelaysMs ?? {};
  const stateDelaysMs = Object.fromEntries(
    TIMED_STATES.map((state) => [state, nonNegative(`stateDelaysMs.${state}`, delays[state], 0)]),
  ) as Record<TimedState, number>;
  const port = nonNegative('port', options.port, 0);
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) && options.public !== true)
    throw new RangeError(
      `Sandbox option host ${host} is not loopback; other machines could reach the sandbox. Pass public: true (--public) to mean it.`,
    );
  if (options.adminSecret !== undefined && options.adminSecret.length < 16)
    throw new RangeError('Sandbox option adminSecret must be at least 16 characters.');
  if (!Number.isInteger(port) || port > 65_535)
    throw new RangeError(`Sandbox option port must be a whole number up to 65535; got ${port}.`);
  return {
    dataDir: options.dataDir,
    port,
    host,
    strict: options.strict ?? false,
    deviceTypeAllowList: options.deviceTypeAllowList ?? [...CONSOLE_DEVICE_TYPES, PC_DEVICE_TYPE],
    stateDelaysMs,
    reservationTtlMs: nonNegative('reservationTtlMs', options.reservationTtlMs, 24 * HOUR_MS),
    downloadUriTtlMs: nonNegative('downloadUriTtlMs', options.downloadUriTtlMs, HOUR_MS),
    quota: { ...DEFAULT_QUOTA, ...options.quota },
    rateLimit:
      options.rateLimit === undefined || options.rateLimit === false
        ? false
        : { ...DEFAULT_RATE_LIMIT, ...options.rateLimit },
    ffmpegPath: options.ffmpegPath === undefined ? 'ffmpeg' : options.ffmpegPath,
    maxBlockBytes: nonNegative('maxBlockBytes', options.maxBlockBytes, SERVICE_MAX_BLOCK_BYTES),
    maxJsonBytes: nonNegative('maxJsonBytes', options.maxJsonBytes, 64 * 1024),
    titles: options.titles ?? [],
    log: options.log ?? (() => undefined),
    adminSecret: options.adminSecret,
    allowUnsignedTokens: options.allowUnsignedTokens ?? false,
    public: options.public ?? false,
    sink: options.sink ?? false,
    jsonBodyTimeoutMs: nonNegative('jsonBodyTimeoutMs', options.jsonBodyTimeoutMs, 10_000),
    uploadIdleTimeoutMs: nonNegative('uploadIdleTimeoutMs', options.uploadIdleTimeoutMs, 30_000),
    maxConnections: nonNegative('maxConnections', options.maxConnections, 64),
  };
}
