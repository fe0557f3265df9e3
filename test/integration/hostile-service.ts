/**
 * Real HTTP(S) servers on loopback for the trust-boundary tests (issue 14): a service that answers
 * as it likes, and bystanders (another origin, a squatter on an old port) that only record what
 * reached them, above all every Authorization header.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization?: string;
  readonly bytes: number;
}

export interface Answer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly json?: unknown;
}

export interface RecordingServer {
  /** `http(s)://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly requests: SeenRequest[];
  /** Every Authorization value that reached this server. */
  authorizations(): string[];
  close(): Promise<void>;
}

export interface RecorderOptions {
  /** Answer each request (after its body was read); 404 with no body by default. */
  readonly answer?: (request: SeenRequest, server: { url: string }) => Answer;
  /** A key and certificate: HTTPS instead of HTTP. */
  readonly tls?: { readonly key: string; readonly cert: string };
  /** Listen on this port (a squatter on a port someone used before); 0 by default. */
  readonly port?: number;
}

/** A server on 127.0.0.1 that records every request and answers with `answer`. */
export async function startRecorder(options: RecorderOptions = {}): Promise<RecordingServer> {
  const requests: SeenRequest[] = [];
  let url = '';
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      const seen: SeenRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        ...(req.headers.authorization !== undefined
          ? { authorization: req.headers.authorization }
          : {}),
        bytes,
      };
      requests.push(seen);
      const answer = options.answer?.(seen, { url }) ?? { status: 404 };
      const body = answer.json === undefined ? '' : JSON.stringify(answer.json);
      res.writeHead(answer.status, {
        ...(body ? { 'Content-Type': 'application/json' } : {}),
        'Content-Length': String(Buffer.byteLength(body)),
        ...answer.headers,
      });
      res.end(body);
    });
  };
  const server = options.tls
    ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, handler)
    : http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  return {
    url,
    port,
    requests,
    authorizations: () =>
      requests.flatMap((request) =>
        request.authorization === undefined ? [] : [request.authorization],
      ),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A self-signed certificate for 127.0.0.1 made by the openssl command (no download). */
export async function selfSignedCertificate(dir: string): Promise<{ key: string; cert: string }> {
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  await run('openssl', [
    ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1'],
    ...['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
    ...['-keyout', keyFile, '-out', certFile],
  ]);
  return { key: await readFile(keyFile, 'utf8'), cert: await readFile(certFile, 'utf8') };
}
