/**
 * A published clip whose file is no longer on this computer, played in the window from the
 * service (issue 16, item 1). The window's CSP lets media come only from `gameclips-media:`, so
 * main fetches the service's download link and streams it through the same
 * `gameclips-media://clip/<id>` URL: the page never learns the link and never talks to the
 * network itself.
 *
 * - Only a clip the ledger holds as published and still online; anything else is not served.
 * - The link is the record's while it is fresh, else fetched again with a GET of the clip (the
 *   same refresh "Copy link" uses, main/ipc/share-link.ts); a link the service refuses (401/403:
 *   expired or no longer signed) is fetched again once.
 * - Range is passed through (206 with Content-Range, 416); the type is the probed container's,
 *   with nosniff, whatever the service labels it.
 * - Redirects are followed only on the link's own origin; the account token goes only where the
 *   token-scope decision allows (app/gameclips/token-scope.ts). Signed links need none, but a
 *   service of the user's own may ask for it on its own origin.
 * - Bounded: the service must answer within `headersTimeoutMs` and keep sending within
 *   `idleTimeoutMs`; when the window stops reading (a seek, the player closed), the request to the
 *   service is aborted.
 */
import type { ClipRecord } from '../../app/clip/clip';
import { checkAddress, tokenScopeFor, type TokenScope } from '../../app/gameclips/token-scope';
import type { SharedLink } from '../../app/ipc/contract';
import type { IpcResult } from '../../app/ipc/result';
import type { ClipLedger } from '../ledger/clip-ledger';
import type { Logger } from '../util/logger';
import { CONTENT_TYPES } from './media-protocol';

export interface PublishedMediaDeps {
  readonly ledger: () => Promise<ClipLedger>;
  /** The clip's download link now; `refresh` fetches it again from the service. */
  readonly downloadLink: (
    clipId: string,
    options: { readonly refresh: boolean },
  ) => Promise<IpcResult<SharedLink>>;
  readonly authorization: () => Promise<string | undefined>;
  readonly tokenScope: () => TokenScope | Promise<TokenScope>;
  readonly logger: Logger;
  /** Test seam; the runtime's fetch by default. */
  readonly fetch?: typeof fetch;
  /** How long the service may take to start answering (default 15 s). */
  readonly headersTimeoutMs?: number;
  /** How long the service may go without sending a byte mid-body (default 30 s). */
  readonly idleTimeoutMs?: number;
}

/** Serves a published clip from the service; undefined for a clip that is not one. */
export type PublishedMedia = (clipId: string, request: Request) => Promise<Response | undefined>;

const MAX_REDIRECTS = 3;
const RANGE = /^bytes=\d*-\d*$/u;
const CONTENT_RANGE = /^bytes \d+-\d+\/\d+$/u;
const UNSATISFIED_RANGE = /^bytes \*\/\d+$/u;

/** Why the service did not send the clip, as the sentence the window shows after a colon. */
class NotSent extends Error {
  constructor(
    readonly status: number,
    sentence: string,
  ) {
    super(sentence);
  }
}

function failure(status: number, sentence: string): Response {
  return new Response(sentence, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
  });
}

/** Whether the window may see this record from the service: published and still online. */
function isOnline(record: ClipRecord | undefined): record is ClipRecord {
  return record?.state === 'published' && record.reservation !== undefined;
}

/**
 * The service's answer's body, re-streamed: an idle limit while it flows, and the request to the
 * service aborted when the window cancels.
 */
function relay(
  body: ReadableStream<Uint8Array>,
  abort: (reason: string) => void,
  idleTimeoutMs: number,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      // Timed only while waiting on the service: a paused player that stops reading is no fault.
      const timer = setTimeout(() => abort('the service stopped sending'), idleTimeoutMs);
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        controller.error(error);
      } finally {
        clearTimeout(timer);
      }
    },
    cancel(reason) {
      abort('the window stopped reading');
      return reader.cancel(reason).catch(() => undefined);
    },
  });
}

function parsed(location: string, base: string): URL | undefined {
  try {
    return new URL(location, base);
  } catch {
    return undefined;
  }
}

export function createPublishedMedia(deps: PublishedMediaDeps): PublishedMedia {
  const fetchImpl = deps.fetch ?? fetch;
  const headersTimeoutMs = deps.headersTimeoutMs ?? 15_000;
  const idleTimeoutMs = deps.idleTimeoutMs ?? 30_000;

  /** One GET (or HEAD) of the link, redirects followed on its own origin only. */
  async function ask(link: string, request: Request, signal: AbortSignal): Promise<Response> {
    let url = link;
    const origin = checkAddress(link);
    if (!origin.allowed) throw new NotSent(502, 'the service gave a link this app does not open.');
    const scope = await deps.tokenScope();
    const authorization = await deps.authorization();
    for (let hop = 0; ; hop++) {
      const headers = new Headers({ Accept: 'video/*, application/octet-stream' });
      const range = request.headers.get('Range');
      if (range !== null && RANGE.test(range.trim())) headers.set('Range', range.trim());
      if (authorization !== undefined && tokenScopeFor(url, scope).allowed)
        headers.set('Authorization', authorization);
      const response = await fetchImpl(url, {
        method: request.method === 'HEAD' ? 'HEAD' : 'GET',
        headers,
        redirect: 'manual',
        signal,
      });
      if (response.status < 300 || response.status >= 400) return response;
      await response.body?.cancel().catch(() => undefined);
      const location = response.headers.get('Location');
      const next = location === null ? undefined : parsed(location, url);
      if (!next || next.origin !== origin.origin || hop >= MAX_REDIRECTS)
        throw new NotSent(
          502,
          next && next.origin !== origin.origin
            ? `the service sent it on to ${next.origin}, which is not followed.`
            : 'the service redirected it without end.',
        );
      url = next.href;
    }
  }

  async function serve(record: ClipRecord, request: Request): Promise<Response> {
    if (record.removedFromServiceAt !== undefined)
      throw new NotSent(404, 'it was removed from the service.');
    const controller = new AbortController();
    let why = 'the window stopped reading';
    const abort = (reason: string) => {
      why = reason;
      controller.abort();
    };
    const onWindowAbort = () => abort('the window stopped reading');
    request.signal.addEventListener('abort', onWindowAbort, { once: true });
    const timer = setTimeout(
      () => abort(`the service did not answer within ${Math.round(headersTimeoutMs / 1000)} s.`),
      headersTimeoutMs,
    );
    try {
      for (let attempt = 0; ; attempt++) {
        const link = await deps.downloadLink(record.id, { refresh: attempt > 0 });
        if (!link.ok) throw new NotSent(502, link.error.detail ?? link.error.message);
        let upstream: Response;
        try {
          upstream = await ask(link.value.url, request, controller.signal);
        } catch (error) {
          if (error instanceof NotSent) throw error;
          throw new NotSent(
            502,
            controller.signal.aborted
              ? why
              : `the service could not be reached (${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}).`,
          );
        }
        const status = upstream.status;
        if ((status === 401 || status === 403) && attempt === 0) {
          // Expired or no longer signed: one fresh link from the service, then once more.
          await upstream.body?.cancel().catch(() => undefined);
          continue;
        }
        if (status === 416) {
          await upstream.body?.cancel().catch(() => undefined);
          const range = upstream.headers.get('Content-Range');
          return new Response(null, {
            status: 416,
            headers: {
              'X-Content-Type-Options': 'nosniff',
              ...(range !== null && UNSATISFIED_RANGE.test(range)
                ? { 'Content-Range': range }
                : {}),
            },
          });
        }
        if (status !== 200 && status !== 206) {
          await upstream.body?.cancel().catch(() => undefined);
          throw new NotSent(
            status === 404 || status === 410 ? 404 : 502,
            status === 404 || status === 410
              ? 'the service no longer has this clip.'
              : `the service answered ${status}.`,
          );
        }
        const range = upstream.headers.get('Content-Range');
        if (status === 206 && (range === null || !CONTENT_RANGE.test(range))) {
          await upstream.body?.cancel().catch(() => undefined);
          throw new NotSent(502, 'the service answered a range it did not name.');
        }
        clearTimeout(timer);
        const headers = new Headers({
          'Content-Type': CONTENT_TYPES[record.probe?.container ?? 'mp4'],
          'X-Content-Type-Options': 'nosniff',
          'Accept-Ranges': 'bytes',
          'Cache-Control': 'no-store',
          Vary: 'Origin',
        });
        const length = upstream.headers.get('Content-Length');
        if (length !== null && /^\d+$/u.test(length)) headers.set('Content-Length', length);
        if (status === 206 && range !== null) headers.set('Content-Range', range);
        if (request.method === 'HEAD' || upstream.body === null) {
          await upstream.body?.cancel().catch(() => undefined);
          return new Response(null, { status, headers });
        }
        return new Response(relay(upstream.body, abort, idleTimeoutMs), { status, headers });
      }
    } finally {
      // The window's abort stays heard while the body flows; after that it is a no-op.
      clearTimeout(timer);
    }
  }

  return async (clipId, request) => {
    const record = (await deps.ledger()).get(clipId);
    if (!isOnline(record)) return undefined;
    try {
      return await serve(record, request);
    } catch (error) {
      if (!(error instanceof NotSent)) throw error;
      deps.logger.info('published clip not streamed from the service', {
        id: clipId,
        reason: error.message,
      });
      return failure(error.status, error.message);
    }
  };
}

/**
 * Why a clip cannot be played in the window now, or null when it can: asks the protocol handler
 * for the clip's first byte, from the file or from the service, as the player would.
 */
export async function playbackProblem(
  handler: (request: Request) => Promise<Response>,
  url: string,
): Promise<string | null> {
  const response = await handler(new Request(url, { headers: { Range: 'bytes=0-0' } }));
  if (response.status === 200 || response.status === 206) {
    await response.body?.cancel().catch(() => undefined);
    return null;
  }
  const text = response.status === 416 ? '' : (await response.text()).trim();
  return text === '' || text === 'not found' ? 'neither the file nor the service has it.' : text;
}
