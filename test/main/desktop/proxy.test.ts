/* eslint-disable @microsoft/sdl/no-insecure-url -- proxy addresses are http:// by nature (https targets tunnel TLS through them), and the decision is tested on plain-http targets too */
/**
 * Issue 17 item 7: block PUTs take the same proxy decision as the rest (HTTPS_PROXY / HTTP_PROXY
 * / NO_PROXY, and the system's answer in the app), through a loopback proxy that counts what it
 * carries: plain http forwarded, https tunnelled with CONNECT (TLS end to end inside it).
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import http, { createServer, type IncomingMessage, type Server } from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decideProxy, DIRECT, proxyFromChromium, proxyFromEnv } from '../../../app/gameclips/proxy';
import { BlockTransport } from '../../../main/gameclips/block-transport';
import { ProxyAwareAgents } from '../../../main/gameclips/proxy-agent';
import { tempDir } from '../../support/clips';

const url = (text: string) => new URL(text);

describe('the proxy decision', () => {
  it('reads HTTPS_PROXY / HTTP_PROXY by scheme, either case, with NO_PROXY bypasses', () => {
    const env = {
      HTTPS_PROXY: 'http://proxy.corp:3128',
      http_proxy: 'proxy.corp:8080',
      NO_PROXY: 'localhost,.internal.example, upload.example.com:8443',
    };
    expect(proxyFromEnv(url('https://gameclips.example.com/x'), env)).toEqual({
      kind: 'proxy',
      proxyUrl: 'http://proxy.corp:3128',
    });
    expect(proxyFromEnv(url('http://gameclips.example.com/x'), env)).toEqual({
      kind: 'proxy',
      proxyUrl: 'http://proxy.corp:8080',
    });
    expect(proxyFromEnv(url('https://blocks.internal.example/x'), env)).toEqual(DIRECT);
    expect(proxyFromEnv(url('https://internal.example/x'), env)).toEqual(DIRECT);
    expect(proxyFromEnv(url('http://localhost:9/x'), env)).toEqual(DIRECT);
    expect(proxyFromEnv(url('https://upload.example.com:8443/x'), env)).toEqual(DIRECT);
    expect(proxyFromEnv(url('https://upload.example.com/x'), env).kind).toBe('proxy');
    expect(proxyFromEnv(url('https://a.example/'), { ...env, no_proxy: '*' })).toEqual(DIRECT);
    expect(proxyFromEnv(url('https://a.example/'), {})).toEqual(DIRECT);
    expect(proxyFromEnv(url('https://a.example/'), { HTTPS_PROXY: 'socks5://s:1080' })).toEqual(
      DIRECT,
    );
  });

  it('reads what Chromium resolved, and lets the environment win', () => {
    expect(proxyFromChromium('DIRECT')).toEqual(DIRECT);
    expect(proxyFromChromium('PROXY wpad.corp:8080; DIRECT')).toEqual({
      kind: 'proxy',
      proxyUrl: 'http://wpad.corp:8080/',
    });
    expect(proxyFromChromium('SOCKS5 s:1080; PROXY p:3128')).toEqual({
      kind: 'proxy',
      proxyUrl: 'http://p:3128/',
    });
    expect(proxyFromChromium('SOCKS5 s:1080')).toBe(undefined);
    const system = proxyFromChromium('PROXY wpad.corp:8080');
    const target = url('https://gameclips.example.com/');
    expect(decideProxy(target, {}, system)).toEqual(system);
    expect(decideProxy(target, { HTTPS_PROXY: 'http://env:1' }, system)).toEqual({
      kind: 'proxy',
      proxyUrl: 'http://env:1',
    });
    expect(decideProxy(target, { NO_PROXY: 'gameclips.example.com' }, system)).toEqual(DIRECT);
  });
});

/** A tiny forward + CONNECT proxy on loopback that counts what it carried. */
function startProxy(): Promise<{
  server: Server;
  port: number;
  forwarded: string[];
  tunnels: string[];
}> {
  const forwarded: string[] = [];
  const tunnels: string[] = [];
  const server = createServer((req, res) => {
    forwarded.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? '');
    const upstream = http.request(
      target,
      { method: req.method, headers: req.headers, agent: false },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connect', (req: IncomingMessage, client: net.Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, port: (server.address() as AddressInfo).port, forwarded, tunnels }),
    ),
  );
}

/** The block endpoint: counts bytes and answers 201 (the last block commits). */
function uploadHandler(received: Array<{ url: string; bytes: number; auth?: string }>) {
  return (req: IncomingMessage, res: http.ServerResponse) => {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      received.push({
        url: req.url ?? '',
        bytes,
        ...(req.headers.authorization ? { auth: req.headers.authorization } : {}),
      });
      res.writeHead(201, { 'Content-Type': 'application/json' }).end('{}');
    });
  };
}

const account = {
  authorization: () => Promise.resolve('XBL3.0 x=1;secret-token'),
  refresh: () => Promise.resolve(false),
};

describe('block PUTs through a proxy', () => {
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let target: Server;
  let received: Array<{ url: string; bytes: number; auth?: string }>;
  beforeEach(async () => {
    proxy = await startProxy();
    received = [];
    target = createServer(uploadHandler(received));
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  });
  afterEach(async () => {
    await new Promise((resolve) => proxy.server.close(resolve));
    await new Promise((resolve) => target.close(resolve));
  });

  it('forwards plain-http blocks through HTTP_PROXY (NO_PROXY set without loopback)', async () => {
    const port = (target.address() as AddressInfo).port;
    const env = { HTTP_PROXY: `http://127.0.0.1:${proxy.port}`, NO_PROXY: 'example.org' };
    const transport = new BlockTransport({
      account,
      tokenScope: { serviceOrigin: `http://127.0.0.1:${port}` },
      proxy: (t) => decideProxy(t, env),
    });
    try {
      const body = new Uint8Array(300_000).fill(7);
      const answer = await transport.putBlock(`http://127.0.0.1:${port}/upload/c1`, 0, body, 'u1', {
        noProgressTimeoutMs: 30_000,
      });
      expect(answer).toMatchObject({ ok: true, status: 201 });
    } finally {
      transport.close();
    }
    expect(proxy.forwarded).toEqual([
      `PUT http://127.0.0.1:${port}/upload/c1?blockNum=0&uploadId=u1`,
    ]);
    expect(received).toEqual([
      { url: '/upload/c1?blockNum=0&uploadId=u1', bytes: 300_000, auth: 'XBL3.0 x=1;secret-token' },
    ]);
  });

  it('goes direct when NO_PROXY names the host (the usual loopback default)', async () => {
    const port = (target.address() as AddressInfo).port;
    const env = { HTTP_PROXY: `http://127.0.0.1:${proxy.port}`, NO_PROXY: '127.0.0.1' };
    const transport = new BlockTransport({
      account,
      tokenScope: { serviceOrigin: `http://127.0.0.1:${port}` },
      proxy: (t) => decideProxy(t, env),
    });
    try {
      const answer = await transport.putBlock(
        `http://127.0.0.1:${port}/upload/c2`,
        1,
        new Uint8Array(10),
        undefined,
        { noProgressTimeoutMs: 30_000 },
      );
      expect(answer.ok).toBe(true);
    } finally {
      transport.close();
    }
    expect(proxy.forwarded).toEqual([]);
    expect(received).toHaveLength(1);
  });

  describe('https, tunnelled with CONNECT', () => {
    let cert: { key: string; cert: string } | undefined;
    beforeAll(async () => {
      const dir = await tempDir('gc-proxy-tls-');
      try {
        await promisify(execFile)('openssl', [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
          '-keyout',
          path.join(dir.dir, 'key.pem'),
          '-out',
          path.join(dir.dir, 'cert.pem'),
        ]);
        cert = {
          key: await readFile(path.join(dir.dir, 'key.pem'), 'utf8'),
          cert: await readFile(path.join(dir.dir, 'cert.pem'), 'utf8'),
        };
      } finally {
        await dir.cleanup();
      }
    });

    it('sends the block inside a tunnel the proxy cannot read', async () => {
      const tlsReceived: typeof received = [];
      const secure = https.createServer(cert!, uploadHandler(tlsReceived));
      await new Promise<void>((resolve) => secure.listen(0, '127.0.0.1', resolve));
      const port = (secure.address() as AddressInfo).port;
      const env = { HTTPS_PROXY: `http://127.0.0.1:${proxy.port}` };
      const agents = new ProxyAwareAgents((t) => decideProxy(t, env), {
        keepAlive: true,
        maxSockets: 4,
      });
      try {
        const status = await new Promise<number>((resolve, reject) => {
          const request = https.request(
            `https://127.0.0.1:${port}/upload/c3?blockNum=0`,
            {
              method: 'PUT',
              agent: agents.agentFor(url(`https://127.0.0.1:${port}/`)),
              ca: cert!.cert,
              headers: { Authorization: 'XBL3.0 x=1;secret-token', 'Content-Length': '5000' },
            },
            (response) => {
              response.resume();
              resolve(response.statusCode ?? 0);
            },
          );
          request.on('error', reject);
          request.end(Buffer.alloc(5000, 1));
        });
        expect(status).toBe(201);
      } finally {
        agents.destroy();
        await new Promise((resolve) => secure.close(resolve));
      }
      expect(proxy.tunnels).toEqual([`127.0.0.1:${port}`]);
      expect(proxy.forwarded).toEqual([]);
      expect(tlsReceived).toEqual([
        { url: '/upload/c3?blockNum=0', bytes: 5000, auth: 'XBL3.0 x=1;secret-token' },
      ]);
    });
  });
});
