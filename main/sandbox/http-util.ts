/**
 * HTTP plumbing for the sandbox: reply values, capped body reading, Range parsing, loopback checks.
 *
 * Handlers return a `Reply` instead of writing to the response, so the dispatcher can count it,
 * log it, and (for `afterCommit` faults) hold it back after the work is done.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SANDBOX_ERROR_CODES, badRequest, serviceError, type ServiceError } from './errors';

export interface JsonReply {
  readonly kind: 'json';
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface EmptyReply {
  readonly kind: 'empty';
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Part or all of a file on disk, for downloads. `end` is exclusive. */
export interface FileReply {
  readonly kind: 'file';
  readonly status: number;
  readonly path: string;
  readonly start: number;
  readonly end: number;
  readonly headOnly: boolean;
  readonly headers: Readonly<Record<string, string>>;
}

/** A text body (the share page's HTML). */
export interface TextReply {
  readonly kind: 'text';
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
  readonly headOnly?: boolean;
  readonly headers?: Readonly<Record<string, string>>;
}

export type Reply = JsonReply | EmptyReply | FileReply | TextReply | ServiceError;

export function json(status: number, body: unknown, headers?: Record<string, string>): JsonReply {
  return { kind: 'json', status, body, ...(headers ? { headers } : {}) };
}

export function empty(status: number, headers?: Record<string, string>): EmptyReply {
  return { kind: 'empty', status, ...(headers ? { headers } : {}) };
}

/**
 * How much of an unwanted body we read and throw away so the client sees our answer rather than a
 * reset; beyond this the connection is closed instead.
 */
const DISCARD_LIMIT_BYTES = 16 * 1024 * 1024;

/** Reads and discards the rest of a request body, or gives up and marks the connection to close. */
export async function discardBody(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.readableEnded || req.destroyed) return;
  // Already given up on (a timed-out body): the connection closes after the answer.
  if (!res.shouldKeepAlive) return;
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > DISCARD_LIMIT_BYTES) {
    res.shouldKeepAlive = false;
    return;
  }
  let seen = 0;
  await new Promise<void>((resolve) => {
    const onData = (chunk: Buffer): void => {
      seen += chunk.length;
      if (seen > DISCARD_LIMIT_BYTES) {
        res.shouldKeepAlive = false;
        cleanup();
      }
    };
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', cleanup);
      req.off('error', cleanup);
      req.off('close', cleanup);
      req.pause();
      resolve();
    };
    req.on('data', onData);
    req.once('end', cleanup);
    req.once('error', cleanup);
    req.once('close', cleanup);
    req.resume();
  });
}

function declaredLength(req: IncomingMessage): number | undefined {
  const raw = req.headers['content-length'];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

function tooLarge(what: string, limit: number): ServiceError {
  return serviceError(
    400,
    SANDBOX_ERROR_CODES.bodyTooLarge,
    `The ${what} is larger than ${limit.toLocaleString('en-US')} bytes, the most this call accepts.`,
  );
}

/**
 * Feeds a request body to `onChunk` until it ends, is aborted, or `onChunk` answers false (too
 * much). Never destroys the request, so an over-size body can still get a proper 400.
 */
/**
 * Time limits on a body: `totalMs` for the whole of it (JSON), `idleMs` between two chunks
 * (uploads: a slow link is fine, a stalled one is not). 0 or absent means none.
 */
export interface BodyTimeouts {
  readonly totalMs?: number;
  readonly idleMs?: number;
}

type Outcome = 'complete' | 'stopped' | 'aborted' | 'timeout';

function consume(
  req: IncomingMessage,
  onChunk: (chunk: Buffer) => boolean,
  timeouts: BodyTimeouts = {},
): Promise<Outcome> {
  return new Promise((resolve) => {
    let total: NodeJS.Timeout | undefined;
    let idle: NodeJS.Timeout | undefined;
    const onTimeout = (): void => {
      req.pause();
      settle('timeout');
    };
    const armIdle = (): void => {
      if (!timeouts.idleMs) return;
      clearTimeout(idle);
      idle = setTimeout(onTimeout, timeouts.idleMs);
    };
    if (timeouts.totalMs) total = setTimeout(onTimeout, timeouts.totalMs);
    armIdle();
    const settle = (outcome: Outcome): void => {
      clearTimeout(total);
      clearTimeout(idle);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      req.off('error', onClose);
      resolve(outcome);
    };
    const onData = (chunk: Buffer): void => {
      armIdle();
      if (!onChunk(chunk)) {
        req.pause();
        settle('stopped');
      }
    };
    const onEnd = (): void => settle('complete');
    const onClose = (): void => settle(req.complete ? 'complete' : 'aborted');
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('close', onClose);
    req.once('error', onClose);
    req.resume();
  });
}

const ABORTED = (): ServiceError => badRequest('The request body ended before it was complete.');
/** A body too slow to arrive: 408, and the connection is closed (the rest is not waited for). */
function timedOut(res: ServerResponse, what: string, timeouts: BodyTimeouts): ServiceError {
  res.shouldKeepAlive = false;
  return serviceError(
    408,
    SANDBOX_ERROR_CODES.requestTimeout,
    timeouts.totalMs
      ? `The ${what} did not arrive within ${timeouts.totalMs / 1000} s.`
      : `The ${what} stopped arriving: nothing for ${(timeouts.idleMs ?? 0) / 1000} s.`,
  );
}
const DISK_FAILURE = (): ServiceError =>
  serviceError(500, SANDBOX_ERROR_CODES.internal, 'The sandbox could not store the body on disk.');

/** Collects a body of at most `limit` bytes in memory; more is drained and refused. */
async function gatherBody(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
  what: string,
  timeouts: BodyTimeouts = {},
): Promise<{ ok: true; chunks: Buffer[]; bytes: number } | { ok: false; error: ServiceError }> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  const outcome = await consume(
    req,
    (chunk) => {
      bytes += chunk.length;
      chunks.push(chunk);
      return bytes <= limit;
    },
    timeouts,
  );
  if (outcome === 'timeout') return { ok: false, error: timedOut(res, what, timeouts) };
  if (outcome === 'stopped') {
    await discardBody(req, res);
    return { ok: false, error: tooLarge(what, limit) };
  }
  if (outcome === 'aborted') return { ok: false, error: ABORTED() };
  return { ok: true, chunks, bytes };
}

/**
 * Reads a JSON body of at most `limit` bytes. An absent body reads as `undefined`, so routes whose
 * body is optional can tell "nothing sent" from "an empty object".
 */
export async function readJsonBody(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
  timeoutMs = 0,
): Promise<{ ok: true; value: unknown } | { ok: false; error: ServiceError }> {
  const declared = declaredLength(req);
  if (declared !== undefined && declared > limit) {
    await discardBody(req, res);
    return { ok: false, error: tooLarge('JSON body', limit) };
  }
  const body = await gatherBody(req, res, limit, 'JSON body', { totalMs: timeoutMs });
  if (!body.ok) return body;
  const { chunks, bytes: size } = body;
  if (size === 0) return { ok: true, value: undefined };
  const text = Buffer.concat(chunks, size).toString('utf8');
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, error: badRequest('The body is not valid JSON.') };
  }
}

export type ReceiveResult =
  | { readonly ok: true; readonly bytes: number }
  | { readonly ok: false; readonly error: ServiceError };

/**
 * Bodies up to this size (blocks, thumbnails) are gathered in memory and written with one call:
 * far fewer file-system round trips than a stream writing each 64 KiB chunk.
 */
const BUFFERED_LIMIT_BYTES = 4 * 1024 * 1024;

async function receiveBuffered(
  req: IncomingMessage,
  res: ServerResponse,
  filePath: string,
  limit: number,
  what: string,
  timeouts: BodyTimeouts,
): Promise<ReceiveResult> {
  const body = await gatherBody(req, res, limit, what, timeouts);
  if (!body.ok) return body;
  const { chunks, bytes } = body;
  try {
    // writev hands the chunks to the kernel as they are, without first copying them into one.
    const handle = await open(filePath, 'w');
    try {
      await handle.writev(chunks);
    } finally {
      await handle.close();
    }
    return { ok: true, bytes };
  } catch {
    await rm(filePath, { force: true });
    return { ok: false, error: DISK_FAILURE() };
  }
}

/**
 * Streams a request body into `filePath`, refusing more than `limit` bytes. On any failure the
 * partial file is removed, so a half-received block can never be mistaken for a whole one.
 */
export async function receiveToFile(
  req: IncomingMessage,
  res: ServerResponse,
  filePath: string,
  limit: number,
  what: string,
  idleMs = 0,
): Promise<ReceiveResult> {
  const timeouts: BodyTimeouts = { idleMs };
  const declared = declaredLength(req);
  if (declared !== undefined && declared > limit) {
    await discardBody(req, res);
    return { ok: false, error: tooLarge(what, limit) };
  }
  if (limit <= BUFFERED_LIMIT_BYTES)
    return receiveBuffered(req, res, filePath, limit, what, timeouts);
  const out = createWriteStream(filePath);
  let writeFailed = false;
  out.on('error', () => {
    writeFailed = true;
    req.resume();
  });
  let bytes = 0;
  const outcome = await consume(
    req,
    (chunk) => {
      bytes += chunk.length;
      if (bytes > limit) return false;
      if (!writeFailed && !out.write(chunk)) {
        req.pause();
        out.once('drain', () => req.resume());
      }
      return true;
    },
    timeouts,
  );
  const closed = new Promise<void>((resolve) => {
    if (out.closed) resolve();
    else out.once('close', () => resolve());
  });
  if (outcome === 'complete' && !writeFailed) {
    out.end();
    await closed;
    if (!writeFailed) return { ok: true, bytes };
  } else {
    out.destroy();
    await closed;
  }
  await rm(filePath, { force: true });
  if (outcome === 'stopped') {
    await discardBody(req, res);
    return { ok: false, error: tooLarge(what, limit) };
  }
  if (outcome === 'aborted') return { ok: false, error: ABORTED() };
  if (outcome === 'timeout') return { ok: false, error: timedOut(res, what, timeouts) };
  return { ok: false, error: DISK_FAILURE() };
}

export type RangeRequest =
  | { readonly kind: 'whole' }
  | { readonly kind: 'partial'; readonly start: number; readonly end: number }
  | { readonly kind: 'unsatisfiable' };

/**
 * Parses a single `bytes=` range (RFC 9110 14.1). A header we cannot parse, or one with several
 * ranges, is ignored as the RFC allows, and the whole file is sent. `end` is exclusive.
 */
export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (header === undefined) return { kind: 'whole' };
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match) return { kind: 'whole' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'whole' };
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size };
  }
  const start = Number(first);
  if (start >= size) return { kind: 'unsatisfiable' };
  if (last === '') return { kind: 'partial', start, end: size };
  const lastByte = Number(last);
  if (lastByte < start) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end: Math.min(size, lastByte + 1) };
}

/** Whether a socket's remote address is this machine (IPv4 127/8, IPv6 ::1, or mapped 127/8). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  if (address === '::1') return true;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** Writes a reply. Error replies become a ServiceErrorResponse with a JSON content type (3.8). */
export function writeReply(
  res: ServerResponse,
  reply: Reply,
  commonHeaders: Readonly<Record<string, string>>,
): void {
  for (const [name, value] of Object.entries(commonHeaders)) res.setHeader(name, value);
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  switch (reply.kind) {
    case 'error': {
      const body = JSON.stringify({
        ...reply.extraBody,
        errorCode: reply.errorCode,
        errorMessage: reply.errorMessage,
      });
      res.statusCode = reply.status;
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('Content-Length', Buffer.byteLength(body));
      res.end(body);
      return;
    }
    case 'json': {
      const body = JSON.stringify(reply.body);
      res.statusCode = reply.status;
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('Content-Length', Buffer.byteLength(body));
      res.end(body);
      return;
    }
    case 'text':
      res.statusCode = reply.status;
      res.setHeader('Content-Type', reply.contentType);
      res.setHeader('Content-Length', Buffer.byteLength(reply.body));
      res.end(reply.headOnly ? undefined : reply.body);
      return;
    case 'empty':
      res.statusCode = reply.status;
      res.setHeader('Content-Length', '0');
      res.end();
      return;
    case 'file': {
      res.statusCode = reply.status;
      res.setHeader('Content-Length', reply.end - reply.start);
      if (reply.headOnly || reply.end === reply.start) {
        res.end();
        return;
      }
      const stream = createReadStream(reply.path, { start: reply.start, end: reply.end - 1 });
      stream.on('error', () => res.destroy());
      stream.pipe(res);
      return;
    }
  }
}
