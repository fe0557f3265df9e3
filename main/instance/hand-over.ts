/**
 * The local hand-over channel: a second process on a held data folder (the CLI's `register`)
 * hands its files to the owner instead of deciding about them itself (one writer per ledger).
 *
 * User-only by three locks: a Unix domain socket inside the data folder with mode 0600 (Linux
 * refuses connect() to it for other users; Windows: a named pipe, whose default DACL admits the
 * creator, SYSTEM and administrators), a client that checks the socket and token file belong to
 * its own user, and a random token, re-made at every start, in a 0600 file beside the socket that
 * every request must carry. Node exposes no peer-credential call (SO_PEERCRED), so the file modes
 * and the token stand in for it.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, lstatSync, readFileSync, unlinkSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { RegisterReport } from './register-report';

const TOKEN_FILE = 'companion.token';
/** A request is a short list of paths; anything longer is not ours. */
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

export type HandOverRequest =
  { readonly op: 'ping' } | { readonly op: 'register'; readonly paths: readonly string[] };

export type HandOverAnswer =
  | { readonly ok: true; readonly pid: number; readonly report?: RegisterReport }
  | { readonly ok: false; readonly pid: number; readonly error: string };

export interface HandOverHandlers {
  register(paths: readonly string[]): Promise<RegisterReport>;
}

/** Where the owner of `dataDir` listens. */
export function channelPathOf(dataDir: string, platform: NodeJS.Platform = process.platform) {
  const hash = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 24);
  if (platform === 'win32') return `\\\\.\\pipe\\gameclips-companion-${hash}`;
  const inside = path.join(dataDir, 'companion.sock');
  // sun_path holds about 104 bytes; a deep data folder uses a per-folder name in the temp folder.
  return Buffer.byteLength(inside) <= 100
    ? inside
    : path.join(os.tmpdir(), `gameclips-companion-${hash}.sock`);
}

export interface HandOverServer {
  close(): Promise<void>;
}

/** Starts listening for hand-overs; the caller holds the data folder's lock. */
export async function startHandOverServer(
  dataDir: string,
  handlers: HandOverHandlers,
  log: (message: string, fields?: Record<string, unknown>) => void = () => undefined,
): Promise<HandOverServer> {
  const token = randomBytes(32);
  const tokenFile = path.join(dataDir, TOKEN_FILE);
  const temp = `${tokenFile}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, token.toString('hex'), { mode: 0o600 });
  await rename(temp, tokenFile);
  const channel = channelPathOf(dataDir);
  // We hold the folder's lock, so a socket file left here is a crashed owner's.
  if (process.platform !== 'win32') await rm(channel, { force: true });
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.setTimeout(30_000, () => socket.destroy());
    let buffer = '';
    socket.setEncoding('utf8');
    const answer = (value: HandOverAnswer) => socket.end(`${JSON.stringify(value)}\n`);
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.length > MAX_REQUEST_BYTES) {
        socket.destroy();
        return;
      }
      const newline = buffer.indexOf('\n');
      if (newline < 0) return;
      socket.removeAllListeners('data');
      socket.setTimeout(0);
      void handle(buffer.slice(0, newline)).then(answer, (error: unknown) =>
        answer({ ok: false, pid: process.pid, error: String(error) }),
      );
    });
  });
  const handle = async (line: string): Promise<HandOverAnswer> => {
    let request: { token?: unknown; op?: unknown; paths?: unknown };
    try {
      request = JSON.parse(line) as typeof request;
    } catch {
      return { ok: false, pid: process.pid, error: 'malformed request' };
    }
    const given = Buffer.from(typeof request.token === 'string' ? request.token : '', 'hex');
    if (given.length !== token.length || !timingSafeEqual(given, token)) {
      log('hand-over: refused a request without the token');
      return { ok: false, pid: process.pid, error: 'unauthorized' };
    }
    if (request.op === 'ping') return { ok: true, pid: process.pid };
    if (
      request.op === 'register' &&
      Array.isArray(request.paths) &&
      request.paths.length <= 10_000 &&
      request.paths.every((p): p is string => typeof p === 'string' && path.isAbsolute(p))
    ) {
      log('hand-over: registering files for another process', { count: request.paths.length });
      return { ok: true, pid: process.pid, report: await handlers.register(request.paths) };
    }
    return { ok: false, pid: process.pid, error: 'unknown request' };
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(channel, () => {
      server.off('error', reject);
      resolve();
    });
  });
  if (process.platform !== 'win32') chmodSync(channel, 0o600);
  return {
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
      try {
        if (readFileSync(tokenFile, 'utf8') === token.toString('hex')) unlinkSync(tokenFile);
      } catch {
        // Already gone.
      }
    },
  };
}

/** Why a hand-over could not be made: nobody answers, or the answer cannot be trusted. */
export class HandOverError extends Error {
  override name = 'HandOverError';
}

function ownedByMe(file: string): boolean {
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return true;
  const info = lstatSync(file);
  return info.uid === process.getuid() && (info.mode & 0o077) === 0;
}

/** Sends one request to the owner of `dataDir` and answers its reply. */
export async function askOwner(
  dataDir: string,
  request: HandOverRequest,
  timeoutMs = 10 * 60_000,
): Promise<HandOverAnswer> {
  const channel = channelPathOf(dataDir);
  const tokenFile = path.join(dataDir, TOKEN_FILE);
  let token: string;
  try {
    if (!ownedByMe(tokenFile) || (process.platform !== 'win32' && !ownedByMe(channel)))
      throw new HandOverError('the owner channel does not belong to this user');
    token = readFileSync(tokenFile, 'utf8').trim();
  } catch (error) {
    if (error instanceof HandOverError) throw error;
    throw new HandOverError(`no owner channel: ${(error as Error).message}`);
  }
  return new Promise((resolve, reject) => {
    const socket = net.connect(channel);
    let text = '';
    socket.setEncoding('utf8');
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new HandOverError('the owner did not answer in time'));
    });
    socket.on('connect', () => socket.write(`${JSON.stringify({ ...request, token })}\n`));
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('error', (error) => reject(new HandOverError(error.message)));
    socket.on('end', () => {
      try {
        resolve(JSON.parse(text.trim()) as HandOverAnswer);
      } catch {
        reject(new HandOverError('the owner sent no answer'));
      }
    });
  });
}
