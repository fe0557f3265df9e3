/**
 * node:http agents that go through an HTTP proxy, for the block PUTs (block-transport.ts) that
 * cannot use axios: plain http targets are forwarded (absolute-form request line, as RFC 9112
 * asks of a request to a proxy); https targets are tunnelled with CONNECT and TLS runs inside
 * the tunnel end to end, so the proxy never sees the Authorization header or the bytes.
 */
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import type { ProxyDecision } from '../../app/gameclips/proxy';

export interface AgentPoolOptions {
  readonly keepAlive: boolean;
  readonly maxSockets: number;
}

function proxyAuthorization(proxy: URL): string | undefined {
  if (proxy.username === '') return undefined;
  const user = decodeURIComponent(proxy.username);
  const pass = decodeURIComponent(proxy.password);
  return `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
}

/** Forwards http requests to the proxy with the absolute URL as the request target. */
class ForwardingAgent extends http.Agent {
  constructor(
    private readonly proxy: URL,
    options: AgentPoolOptions,
  ) {
    super(options);
  }

  addRequest(request: http.ClientRequest, options: http.RequestOptions): void {
    const host = options.host ?? options.hostname ?? 'localhost';
    const port = options.port ? `:${options.port}` : '';
    // eslint-disable-next-line @microsoft/sdl/no-insecure-url -- the absolute-form target of a plain-http request to a forward proxy
    request.path = `http://${host}${port}${request.path}`;
    const auth = proxyAuthorization(this.proxy);
    if (auth) request.setHeader('Proxy-Authorization', auth);
    (
      http.Agent.prototype as unknown as {
        addRequest(r: http.ClientRequest, o: http.RequestOptions): void;
      }
    ).addRequest.call(this, request, {
      ...options,
      host: this.proxy.hostname,
      hostname: this.proxy.hostname,
      port: Number(this.proxy.port || 80),
    });
  }
}

/** Opens each https connection through a CONNECT tunnel, then TLS to the real host inside it. */
class TunnelingAgent extends https.Agent {
  constructor(
    private readonly proxy: URL,
    options: AgentPoolOptions,
  ) {
    super(options);
  }

  override createConnection(
    options: http.ClientRequestArgs,
    callback?: (error: Error | null, socket: Duplex) => void,
  ): Duplex | null | undefined {
    const host = (options as tls.ConnectionOptions).servername || options.host || 'localhost';
    const port = options.port ?? 443;
    const auth = proxyAuthorization(this.proxy);
    const connect = (this.proxy.protocol === 'https:' ? https : http).request({
      host: this.proxy.hostname,
      port: Number(this.proxy.port || (this.proxy.protocol === 'https:' ? 443 : 80)),
      method: 'CONNECT',
      path: `${host}:${port}`,
      headers: { Host: `${host}:${port}`, ...(auth ? { 'Proxy-Authorization': auth } : {}) },
      agent: false,
    });
    connect.once('connect', (response, socket) => {
      if (response.statusCode !== 200) {
        socket.destroy();
        callback?.(
          new Error(`The proxy refused the tunnel: HTTP ${response.statusCode}`),
          undefined as never,
        );
        return;
      }
      const tlsOptions = options as tls.ConnectionOptions;
      const secure = tls.connect({
        socket,
        servername: host,
        ...(tlsOptions.ca !== undefined ? { ca: tlsOptions.ca } : {}),
        ...(tlsOptions.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
      });
      callback?.(null, secure);
    });
    connect.once('error', (error) => callback?.(error, undefined as never));
    connect.end();
    return undefined;
  }
}

/** Agents per route (direct, or per proxy), made on first use and closed together. */
export class ProxyAwareAgents {
  private readonly agents = new Map<string, http.Agent>();

  constructor(
    private readonly decide: (target: URL) => ProxyDecision,
    private readonly options: AgentPoolOptions,
  ) {}

  /** The agent for a request to `target`. */
  agentFor(target: URL): http.Agent {
    const secure = target.protocol === 'https:';
    const decision = this.decide(target);
    const key = `${secure ? 'https' : 'http'} ${decision.kind === 'proxy' ? decision.proxyUrl : 'direct'}`;
    let agent = this.agents.get(key);
    if (agent === undefined) {
      if (decision.kind === 'direct')
        agent = secure ? new https.Agent(this.options) : new http.Agent(this.options);
      else {
        const proxy = new URL(decision.proxyUrl);
        agent = secure
          ? new TunnelingAgent(proxy, this.options)
          : new ForwardingAgent(proxy, this.options);
      }
      this.agents.set(key, agent);
    }
    return agent;
  }

  destroy(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}
