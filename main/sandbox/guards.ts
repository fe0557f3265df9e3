/**
 * "The built-in service answers only this app" (issue 14, item 5): checks that keep a web page in
 * the user's browser, or another program, from using the sandbox on loopback.
 *
 * - Host must name this sandbox on loopback (`127.0.0.1:<port>`, `localhost:<port>`,
 *   `[::1]:<port>`): a DNS-rebinding page reaches us under its own name, which is refused (421).
 * - A request with an `Origin` other than the sandbox's own is refused (403): browsers send one on
 *   every cross-origin POST and on fetches, so a foreign page cannot act even with a good Host.
 * - JSON routes refuse bodies of another media type (415): `text/plain` is what a page may send
 *   cross-site without a preflight.
 * - Admin routes need the per-run secret when the sandbox has one (403).
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { SANDBOX_ERROR_CODES, serviceError, type ServiceError } from './errors';
import { isLoopbackHost, type ResolvedOptions } from './options';

/** The header carrying the admin secret. */
export const ADMIN_SECRET_HEADER = 'X-Sandbox-Admin-Secret';

const HOST_HEADER = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/;

/** The host names (with port) this sandbox answers to, in its own origin form. */
function ownHosts(port: number): string[] {
  return ['127.0.0.1', 'localhost', '[::1]'].map((name) => `${name}:${port}`);
}

function isOwnHost(options: ResolvedOptions, host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  const match = HOST_HEADER.exec(host.trim());
  if (!match) return false;
  const name = (match[1] as string).toLowerCase();
  // Served to other machines on purpose (--public): they use names we cannot know.
  if (options.public) return true;
  return isLoopbackHost(name) && Number(match[2]) === port;
}

/** 421 for a Host that is not this sandbox's, 403 for a foreign Origin; undefined when fine. */
export function foreignCaller(
  options: ResolvedOptions,
  req: IncomingMessage,
): ServiceError | undefined {
  const port = req.socket.localPort ?? options.port;
  const host = req.headers.host;
  if (!isOwnHost(options, host, port))
    return serviceError(
      421,
      SANDBOX_ERROR_CODES.wrongHost,
      `This sandbox answers only to ${ownHosts(port).join(', ')}; the request named host "${host ?? ''}" (a page reaching it through another name, as in DNS rebinding, is refused).`,
    );
  const origin = req.headers.origin;
  if (origin === undefined) return undefined;
  const allowed = options.public
    ? [`http://${host}`]
    : ownHosts(port).map((name) => `http://${name}`);
  if (!allowed.includes(origin.trim().toLowerCase()))
    return serviceError(
      403,
      SANDBOX_ERROR_CODES.foreignOrigin,
      `Requests from the web page at ${origin} are refused; this sandbox serves only the app.`,
    );
  return undefined;
}

/** 415 when a JSON route gets a body that says it is something else; a missing type is allowed. */
export function unsupportedMediaType(req: IncomingMessage): ServiceError | undefined {
  const type = req.headers['content-type'];
  if (type === undefined || type.trim() === '') return undefined;
  const essence = (type.split(';')[0] ?? '').trim().toLowerCase();
  if (essence === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(essence))
    return undefined;
  return serviceError(
    415,
    SANDBOX_ERROR_CODES.unsupportedMediaType,
    `This call takes a JSON body (Content-Type: application/json), not ${essence}.`,
  );
}

/** 403 when the sandbox has an admin secret and the request does not carry it. */
export function missingAdminSecret(
  options: ResolvedOptions,
  req: IncomingMessage,
): ServiceError | undefined {
  const secret = options.adminSecret;
  if (secret === undefined) return undefined;
  const given = req.headers[ADMIN_SECRET_HEADER.toLowerCase()];
  const expected = Buffer.from(secret);
  const actual = Buffer.from(typeof given === 'string' ? given : '');
  if (actual.length === expected.length && timingSafeEqual(actual, expected)) return undefined;
  return serviceError(
    403,
    SANDBOX_ERROR_CODES.adminSecretRequired,
    `The /sandbox/ admin routes of this sandbox need its per-run secret in ${ADMIN_SECRET_HEADER}; only the process that started it has it.`,
  );
}

/**
 * The Host and Origin check on a network listener ("Share on my network", issue 16): Host must be
 * the address and port the request came in on (`192.0.2.2:<port>`), the one the copied link names;
 * any other name is 421 as on loopback. An Origin, when sent, must be that same origin (403).
 */
export function foreignNetworkCaller(req: IncomingMessage): ServiceError | undefined {
  const own = `${req.socket.localAddress ?? ''}:${req.socket.localPort ?? ''}`;
  const host = req.headers.host;
  if (host === undefined || host.trim().toLowerCase() !== own)
    return serviceError(
      421,
      SANDBOX_ERROR_CODES.wrongHost,
      `On the network this service answers only to ${own}; the request named host "${host ?? ''}".`,
    );
  const origin = req.headers.origin;
  if (origin !== undefined && origin.trim().toLowerCase() !== `http://${own}`)
    return serviceError(
      403,
      SANDBOX_ERROR_CODES.foreignOrigin,
      `Requests from the web page at ${origin} are refused; share pages load only their own video.`,
    );
  return undefined;
}
