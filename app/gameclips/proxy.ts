/**
 * Which proxy a request to a URL goes through: the same decision for axios's calls and the block
 * PUTs. From the environment (HTTPS_PROXY / HTTP_PROXY / NO_PROXY, either case, as axios and
 * curl read them), or from what Chromium's proxy resolution said for the service URL in the app
 * (session.resolveProxy: "DIRECT", "PROXY host:port; DIRECT", ...). Pure.
 */

export type ProxyDecision =
  { readonly kind: 'direct' } | { readonly kind: 'proxy'; readonly proxyUrl: string };

export const DIRECT: ProxyDecision = { kind: 'direct' };

/** The parts of a URL the decision reads (a WHATWG URL has them). */
export interface ProxyTarget {
  readonly protocol: string;
  readonly hostname: string;
  readonly port: string;
}

function envValue(env: Readonly<Record<string, string | undefined>>, name: string) {
  return env[name.toLowerCase()] ?? env[name.toUpperCase()];
}

/** NO_PROXY: comma/space separated hosts, `.suffix` or `*.suffix`, optional `:port`, or `*`. */
export function bypassesProxy(target: ProxyTarget, noProxy: string | undefined): boolean {
  if (noProxy === undefined || noProxy.trim() === '') return false;
  const host = target.hostname.replace(/^\[|\]$/gu, '').toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  for (const raw of noProxy.split(/[\s,]+/u)) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    const match = /^(.*?)(?::(\d+))?$/u.exec(entry.replace(/^\[|\]$/gu, ''));
    const name = (match?.[1] ?? entry).replace(/^\*/u, '');
    const entryPort = match?.[2];
    if (entryPort !== undefined && entryPort !== port) continue;
    if (name.startsWith('.') ? host.endsWith(name) || host === name.slice(1) : host === name)
      return true;
  }
  return false;
}

/** The environment's decision for `target` (what axios's proxy-from-env decides). */
export function proxyFromEnv(
  target: ProxyTarget,
  env: Readonly<Record<string, string | undefined>>,
): ProxyDecision {
  if (bypassesProxy(target, envValue(env, 'no_proxy'))) return DIRECT;
  const value =
    target.protocol === 'https:'
      ? (envValue(env, 'https_proxy') ?? envValue(env, 'all_proxy'))
      : (envValue(env, 'http_proxy') ?? envValue(env, 'all_proxy'));
  if (value === undefined || value.trim() === '') return DIRECT;
  // eslint-disable-next-line @microsoft/sdl/no-insecure-url -- a proxy address without a scheme is an HTTP proxy (curl's reading); https targets tunnel TLS through it
  const proxyUrl = /^[a-z][a-z0-9+.-]*:\/\//iu.test(value) ? value : `http://${value}`;
  // Only HTTP proxies (plain, or CONNECT for https targets) are spoken here; SOCKS is not.
  return /^https?:\/\/[^/\s]+/iu.test(proxyUrl) ? { kind: 'proxy', proxyUrl } : DIRECT;
}

/**
 * Chromium's answer for a URL (session.resolveProxy): the first usable entry. `PROXY h:p` and
 * `HTTPS h:p` are HTTP(S) proxies; `DIRECT` is none; SOCKS is not spoken here, so it is skipped.
 */
export function proxyFromChromium(resolved: string): ProxyDecision | undefined {
  for (const raw of resolved.split(';')) {
    const [scheme, hostPort] = raw.trim().split(/\s+/u);
    const kind = scheme?.toUpperCase();
    if (kind === 'DIRECT') return DIRECT;
    if ((kind === 'PROXY' || kind === 'HTTPS') && hostPort)
      return { kind: 'proxy', proxyUrl: `${kind === 'HTTPS' ? 'https' : 'http'}://${hostPort}/` };
  }
  return undefined;
}

/**
 * The decision: the environment when it names a proxy or a bypass (the user set it on purpose),
 * else what the system said for the service (when the app asked Chromium), else direct.
 */
export function decideProxy(
  target: ProxyTarget,
  env: Readonly<Record<string, string | undefined>>,
  system?: ProxyDecision,
): ProxyDecision {
  const fromEnv = proxyFromEnv(target, env);
  if (fromEnv.kind === 'proxy') return fromEnv;
  if (bypassesProxy(target, envValue(env, 'no_proxy'))) return DIRECT;
  return system ?? DIRECT;
}
