/**
 * Helpers for the sandbox conformance suite: a real sandbox on a loopback port over a temporary
 * folder, accounts made through its admin route, and small HTTP helpers over fetch.
 */
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { expect } from 'vitest';
import { describeErrorBody } from '../../app/gameclips/wire';
import {
  startSandbox,
  unsignedToken,
  type RunningSandbox,
  type SandboxOptions,
} from '../../main/sandbox/index';
import { tempDir } from '../support/clips';

export interface AccountInfo {
  readonly xuid: string;
  readonly userHash: string;
  readonly token: string;
  readonly authorization: string;
  readonly titleId: string;
  readonly scid: string;
  readonly deviceType: string;
  readonly deviceId: string;
  readonly sandboxId: string;
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  readonly body: unknown;
}

export interface CallOptions {
  readonly method?: string;
  /** An account (its Authorization header) or a literal header value. */
  readonly auth?: AccountInfo | string;
  /** An object is sent as JSON; bytes as they are. */
  readonly json?: unknown;
  readonly bytes?: Uint8Array;
  readonly headers?: Record<string, string>;
}

/** One HTTP call; never throws for an HTTP status. */
export async function call(url: string, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = {
    // Both version headers, as the app's client sends them (issue 18); strict mode needs the first.
    'X-RequestedServiceVersion': '1',
    'x-xbl-contract-version': '1',
    Accept: 'application/json',
    ...options.headers,
  };
  if (options.auth !== undefined)
    headers.Authorization =
      typeof options.auth === 'string' ? options.auth : options.auth.authorization;
  // fetch's types want ArrayBuffer-backed views; Buffers from node:fs are typed more loosely.
  let body: string | Uint8Array<ArrayBuffer> | undefined;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['Content-Type'] ??= 'application/json';
  } else if (options.bytes !== undefined) {
    body = options.bytes as Uint8Array<ArrayBuffer>;
    headers['Content-Type'] ??= 'application/octet-stream';
  }
  const response = await fetch(url, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}

/** Every clip the account has under its SCID, following continuation tokens to the last page. */
export async function listAllClips(
  baseUrl: string,
  account: Pick<AccountInfo, 'scid' | 'authorization'>,
): Promise<Array<{ gameClipId: string; systemProperties?: string }>> {
  const clips: Array<{ gameClipId: string; systemProperties?: string }> = [];
  let token: string | undefined;
  do {
    const query = `?maxItems=100${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`;
    const page = await call(`${baseUrl}/users/me/scids/${account.scid}/clips${query}`, {
      auth: account.authorization,
    });
    expect(page.status, page.text).toBe(200);
    const body = page.body as {
      gameClips: Array<{ gameClipId: string; systemProperties?: string }>;
      pagingInfo?: { continuationToken?: string | null };
    };
    clips.push(...body.gameClips);
    token = body.pagingInfo?.continuationToken ?? undefined;
  } while (token);
  return clips;
}

/** A valid InitialUploadRequest (the spec's minimal request), with overrides. */
export function reserveBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    greatestMomentId: '',
    userCaption: '',
    dateRecorded: '2024-01-01T12:00:00Z',
    durationInSeconds: 30,
    expectedBlocks: 1,
    fileSize: 1000,
    type: 'UserGenerated',
    source: 'TitleDirect',
    visibility: 'Default',
    thumbnailSource: 'Upload',
    savedByUser: false,
    ...overrides,
  };
}

export interface Reservation {
  readonly gameClipId: string;
  readonly uploadUri: string;
  readonly largeThumbnailUri?: string;
  readonly smallThumbnailUri?: string;
}

export interface TestSandbox {
  readonly baseUrl: string;
  readonly dataDir: string;
  /** The temporary folder holding `dataDir` (and room for files beside it). */
  readonly root: string;
  readonly running: RunningSandbox;
  /** Creates an account through POST /sandbox/accounts. */
  account(body?: Record<string, unknown>): Promise<AccountInfo>;
  /** Reserves a clip and expects 200. */
  reserve(account: AccountInfo, overrides?: Record<string, unknown>): Promise<Reservation>;
  /** The URL of a metadata route on this sandbox. */
  url(path: string): string;
  /** The URL of a clip: /users/me/scids/{scid}/clips/{id}. */
  clipUrl(account: AccountInfo, gameClipId: string): string;
  /** Polls GET until the clip reaches `state` (no sleeps: each poll waits on the server). */
  waitForState(
    account: AccountInfo,
    gameClipId: string,
    state: string,
  ): Promise<Record<string, unknown>>;
  /** Stops and starts again on the same folder (a new port). */
  restart(options?: Partial<SandboxOptions>): Promise<void>;
  close(): Promise<void>;
}

/** Starts a sandbox over a fresh temporary folder. */
export async function openSandbox(options: Partial<SandboxOptions> = {}): Promise<TestSandbox> {
  const folder = await tempDir('gameclips-sandbox-test-');
  const dataDir = path.join(folder.dir, 'data');
  // The conformance suite builds claim sets with unsigned JWTs (jwtAuth); a test of the default
  // (signed only) passes allowUnsignedTokens: false.
  let running = await startSandbox({
    ffmpegPath: null,
    allowUnsignedTokens: true,
    ...options,
    dataDir,
  });
  const self: TestSandbox = {
    get baseUrl() {
      return running.baseUrl;
    },
    dataDir,
    root: folder.dir,
    get running() {
      return running;
    },
    async account(body = {}) {
      const answer = await call(`${running.baseUrl}/sandbox/accounts`, { json: body });
      if (answer.status !== 201) throw new Error(`account: ${answer.status} ${answer.text}`);
      return answer.body as AccountInfo;
    },
    async reserve(account, overrides = {}) {
      const answer = await call(self.url(`/users/me/scids/${account.scid}/clips`), {
        auth: account,
        json: reserveBody(overrides),
      });
      if (answer.status !== 200) throw new Error(`reserve: ${answer.status} ${answer.text}`);
      return answer.body as Reservation;
    },
    url(path) {
      return `${running.baseUrl}${path}`;
    },
    clipUrl(account, gameClipId) {
      return self.url(`/users/me/scids/${account.scid}/clips/${gameClipId}`);
    },
    async waitForState(account, gameClipId, state) {
      for (let attempt = 0; attempt < 2000; attempt++) {
        const answer = await call(self.clipUrl(account, gameClipId), { auth: account });
        const clip = (answer.body as { gameClip?: Record<string, unknown> } | undefined)?.gameClip;
        if (clip?.state === state) return clip;
        if (answer.status !== 200) throw new Error(`poll: ${answer.status} ${answer.text}`);
        await new Promise((resolve) => setImmediate(resolve));
      }
      throw new Error(`clip ${gameClipId} never reached ${state}`);
    },
    async restart(more = {}) {
      await running.close();
      running = await startSandbox({
        ffmpegPath: null,
        allowUnsignedTokens: true,
        ...options,
        ...more,
        dataDir,
      });
    },
    async close() {
      await running.close();
      await folder.cleanup();
    },
  };
  return self;
}

/** Deterministic bytes of a given length (no two blocks alike). */
export function pattern(length: number, seed = 1): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

/** PUTs one block. */
export function putBlock(
  uploadUri: string,
  account: AccountInfo,
  blockNum: number | undefined,
  bytes: Uint8Array,
): Promise<Answer> {
  const url = blockNum === undefined ? uploadUri : `${uploadUri}?blockNum=${blockNum}`;
  return call(url, { method: 'PUT', auth: account, bytes });
}

/** Asserts an error answer: the status, and a ServiceErrorResponse body a person can read (3.8). */
export function expectError(answer: Answer, status: number, errorCode?: number): void {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  const body = answer.body as { errorCode?: unknown; errorMessage?: unknown };
  expect(typeof body.errorCode).toBe('number');
  expect(typeof body.errorMessage).toBe('string');
  expect((body.errorMessage as string).length).toBeGreaterThan(10);
  if (errorCode !== undefined) expect(body.errorCode).toBe(errorCode);
  // The client reads the same sentence out of it.
  expect(describeErrorBody(answer.text).message).toBe(body.errorMessage);
}

/** An Authorization header carrying an unsigned JWT with exactly these claims. */
export function jwtAuth(claims: Record<string, string>, userHash = '1234567890123456789'): string {
  return `XBL3.0 x=${userHash};${unsignedToken({ ...claims, uhs: userHash })}`;
}

/** Every claim a reservation needs, as the account carries them. */
export function fullClaims(account: AccountInfo): Record<string, string> {
  return {
    Xuid: account.xuid,
    DeviceType: account.deviceType,
    DeviceId: account.deviceId,
    TitleId: account.titleId,
    TitleSandboxId: account.sandboxId,
    SandboxId: account.sandboxId,
  };
}

/** An Authorization header with a JWT signed by `sandbox` (POST /sandbox/tokens) carrying `claims`. */
export async function signedAuth(
  sandbox: TestSandbox,
  claims: Record<string, string>,
): Promise<string> {
  const answer = await call(sandbox.url('/sandbox/tokens'), {
    json: { claims },
    headers: sandbox.running.adminSecret
      ? { 'X-Sandbox-Admin-Secret': sandbox.running.adminSecret }
      : {},
  });
  if (answer.status !== 201) throw new Error(`token: ${answer.status} ${answer.text}`);
  return (answer.body as { authorization: string }).authorization;
}

export interface Raw {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  readonly body: unknown;
}

/**
 * Sends exactly `headers` (plus Host, unless given, and Content-Length) through node:http; fetch
 * would add Accept, Accept-Encoding and a text/plain Content-Type of its own, and hides Host.
 */
export function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string | Uint8Array,
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          parsed = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: parsed });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
