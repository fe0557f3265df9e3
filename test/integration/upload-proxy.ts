/**
 * A small HTTP proxy in front of a real sandbox, for what the sandbox's fault injection cannot
 * say: a Retry-After beyond its 86,400 s limit (2147484, 99999999999999), small list pages, and
 * work done between two list pages (another clip deleted mid-reconciliation). Everything else
 * passes through unchanged; upload URIs point at the sandbox itself, so blocks bypass it.
 */
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  readonly method: string;
  readonly url: URL;
}

export interface ProxyHooks {
  /** Runs before the request is forwarded (may wait, may call the sandbox). */
  before?(req: ProxiedRequest): void | Promise<void>;
  /** The URL forwarded (query rewriting); default unchanged. */
  rewrite?(req: ProxiedRequest): URL;
  /** Response headers as forwarded; default unchanged. */
  headers?(req: ProxiedRequest, status: number, headers: IncomingHttpHeaders): IncomingHttpHeaders;
}

export interface RunningProxy {
  readonly baseUrl: string;
  hooks: ProxyHooks;
  /** Requests seen, in order ("GET /users/me/...?..."). */
  readonly seen: string[];
  close(): Promise<void>;
}

export async function startProxy(target: string, hooks: ProxyHooks = {}): Promise<RunningProxy> {
  const targetUrl = new URL(target);
  const seen: string[] = [];
  const proxy: RunningProxy = {
    baseUrl: '',
    hooks,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const incoming: ProxiedRequest = {
        method: req.method ?? 'GET',
        url: new URL(req.url ?? '/', targetUrl),
      };
      seen.push(`${incoming.method} ${incoming.url.pathname}${incoming.url.search}`);
      await proxy.hooks.before?.(incoming);
      const url = proxy.hooks.rewrite?.(incoming) ?? incoming.url;
      const headers = { ...req.headers, host: targetUrl.host };
      const upstream = request(url, { method: incoming.method, headers }, (answer) => {
        const status = answer.statusCode ?? 502;
        const out = proxy.hooks.headers?.(incoming, status, answer.headers) ?? answer.headers;
        res.writeHead(status, out);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    })().catch(() => res.destroy());
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  (proxy as { baseUrl: string }).baseUrl = `http://127.0.0.1:${port}`;
  return proxy;
}

/** Whether a request is the list route of the user's clips. */
export function isList(req: ProxiedRequest): boolean {
  return req.method === 'GET' && /\/users\/[^/]+\/(scids\/[^/]+\/)?clips$/u.test(req.url.pathname);
}

/** Whether a request is the GET of one clip (the follow-to-Published poll). */
export function isGetClip(req: ProxiedRequest): boolean {
  return (
    req.method === 'GET' && /\/users\/[^/]+\/scids\/[^/]+\/clips\/[^/]+$/u.test(req.url.pathname)
  );
}
