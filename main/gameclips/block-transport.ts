/**
 * Block PUTs (spec step 2) over node:http directly, not axios: a block is written in slices with
 * back-pressure, so progress is counted as bytes leave, a bandwidth cap can pace the slices, and a
 * no-progress watchdog can cut a stalled socket (R4). Keep-alive sockets are reused across blocks.
 */
import http from 'node:http';
import https from 'node:https';
import { DIRECT, type ProxyDecision } from '../../app/gameclips/proxy';
import { parseRetryAfter } from '../../app/retry';
import { describeErrorBody } from '../../app/gameclips/wire';
import { describeRefusal, tokenScopeFor, type TokenScope } from '../../app/gameclips/token-scope';
import { APP_VERSION } from '../util/version';
import type { AccountProvider, CallFailure, CallResult } from './gameclips-client';
import { ProxyAwareAgents } from './proxy-agent';

/** Written per write() call: big enough to be cheap, small enough for smooth progress. */
const SLICE_BYTES = 256 * 1024;

export interface BlockPutOptions {
  /** Cut the request when no byte moved either way for this long. */
  readonly noProgressTimeoutMs: number;
  /** Bytes of this body that left, as they leave (for progress). */
  readonly onSent?: (bytes: number) => void;
  /** Waits before each slice (bandwidth cap). */
  readonly pace?: (bytes: number) => Promise<void>;
  readonly signal?: AbortSignal;
}

export interface BlockTransportOptions {
  readonly account: AccountProvider;
  /** Where the token may go (issue 14): a block for any other URL is refused, not sent. */
  readonly tokenScope: TokenScope | (() => TokenScope);
  readonly maxSockets?: number;
  readonly locale?: string;
  /** Which proxy a block PUT goes through (app/gameclips/proxy.ts); direct when not given. */
  readonly proxy?: (target: URL) => ProxyDecision;
}

export class BlockTransport {
  private readonly agents: ProxyAwareAgents;

  constructor(private readonly options: BlockTransportOptions) {
    const maxSockets = options.maxSockets ?? 16;
    this.agents = new ProxyAwareAgents(options.proxy ?? (() => DIRECT), {
      keepAlive: true,
      maxSockets,
    });
  }

  /** `PUT {uploadUri}?blockNum=n[&uploadId=..]` with the block's bytes. 201 commits the clip. */
  async putBlock(
    uploadUri: string,
    blockNum: number,
    body: Uint8Array,
    uploadId: string | undefined,
    options: BlockPutOptions,
  ): Promise<CallResult<void>> {
    let url: URL;
    try {
      url = new URL(uploadUri);
    } catch {
      return notSent(`The upload address ${uploadUri} is not a URL.`);
    }
    url.searchParams.set('blockNum', String(blockNum));
    if (uploadId) url.searchParams.set('uploadId', uploadId);
    const scope =
      typeof this.options.tokenScope === 'function'
        ? this.options.tokenScope()
        : this.options.tokenScope;
    const decision = tokenScopeFor(url.href, scope);
    if (!decision.allowed)
      return {
        ok: false,
        failure: {
          kind: 'network',
          sent: false,
          refused: 'token-scope',
          message: describeRefusal(uploadUri, decision),
        },
      };
    const authorization = await this.options.account.authorization();
    // A redirect is never followed (issue 14): the same PUT to Location would carry the token
    // to another origin, or from https to http. It ends as a failure the uploader names.
    const answer = await this.send(url, body, authorization, options);
    // A 401 refreshes the account once (shared with every other call) and sends the block again.
    if (
      !answer.ok &&
      answer.failure.kind === 'http' &&
      answer.failure.status === 401 &&
      !options.signal?.aborted &&
      (await this.options.account.refresh())
    )
      return this.send(url, body, await this.options.account.authorization(), options);
    return answer;
  }

  close(): void {
    this.agents.destroy();
  }

  private send(
    url: URL,
    body: Uint8Array,
    authorization: string | undefined,
    options: BlockPutOptions,
  ): Promise<CallResult<void>> {
    const secure = url.protocol === 'https:';
    return new Promise((resolve) => {
      let settled = false;
      let written = 0;
      let watchdog: NodeJS.Timeout | undefined;
      const finish = (value: CallResult<void>) => {
        if (settled) return;
        settled = true;
        if (watchdog) clearTimeout(watchdog);
        options.signal?.removeEventListener('abort', onAbort);
        resolve(value);
      };
      const request = (secure ? https : http).request(url, {
        method: 'PUT',
        agent: this.agents.agentFor(url),
        headers: {
          'Content-Type': 'application/octet-stream',
          'Content-Length': String(body.byteLength),
          Accept: 'application/json',
          'X-RequestedServiceVersion': '1',
          'x-xbl-contract-version': '1',
          'Accept-Language': this.options.locale ?? 'en-US',
          'User-Agent': `GameClipsCompanion/${APP_VERSION}`,
          ...(authorization ? { Authorization: authorization } : {}),
        },
      });
      const progressed = () => {
        if (watchdog) clearTimeout(watchdog);
        watchdog = setTimeout(() => {
          stalled = true;
          request.destroy(new Error('no progress'));
        }, options.noProgressTimeoutMs);
      };
      let stalled = false;
      const onAbort = () => request.destroy(new Error('aborted'));
      options.signal?.addEventListener('abort', onAbort);
      progressed();

      request.on('error', (error: NodeJS.ErrnoException) => {
        const failure: CallFailure = {
          kind: 'network',
          // Before a byte left, a refused connection certainly did nothing; a block PUT is
          // idempotent anyway, so this only matters for the message.
          sent:
            written > 0 || !['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'].includes(error.code ?? ''),
          message: stalled
            ? `No progress for ${Math.round(options.noProgressTimeoutMs / 1000)} s; the connection was cut.`
            : `${error.code ?? 'network error'}: ${error.message}`,
          ...(stalled ? { stalled: true } : {}),
        };
        finish({ ok: false, failure });
      });
      request.on('response', (response) => {
        progressed();
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          progressed();
          // Error bodies are small; never keep more than 64 KiB of one.
          if (size < 65_536) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('error', () => undefined);
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          if (status >= 300 && status < 400) {
            finish({
              ok: false,
              failure: {
                kind: 'http',
                status,
                message: `The upload address answered ${status} (a redirect); it was not followed.`,
              },
            });
            return;
          }
          if (status >= 200 && status < 300) {
            finish({ ok: true, status, value: undefined });
            return;
          }
          const text = Buffer.concat(chunks).toString('utf8');
          const { message, code } = describeErrorBody(text);
          const retryAfter = parseRetryAfter(response.headers['retry-after'], Date.now());
          finish({
            ok: false,
            failure: {
              kind: 'http',
              status,
              ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}),
              ...(message !== undefined ? { message } : {}),
              ...(code !== undefined ? { errorCode: code } : {}),
            },
          });
        });
      });

      void (async () => {
        try {
          for (let offset = 0; offset < body.byteLength && !settled; offset += SLICE_BYTES) {
            const slice = body.subarray(offset, Math.min(body.byteLength, offset + SLICE_BYTES));
            if (options.pace) await options.pace(slice.byteLength);
            if (settled) return;
            const flushed = request.write(slice);
            if (!flushed)
              await new Promise<void>((go) => {
                const done = () => {
                  request.off('drain', done);
                  request.off('close', done);
                  go();
                };
                request.once('drain', done);
                request.once('close', done);
              });
            written += slice.byteLength;
            options.onSent?.(slice.byteLength);
            progressed();
          }
          if (!settled) request.end();
        } catch (error) {
          request.destroy(error as Error);
        }
      })();
    });
  }
}

function notSent(message: string): CallResult<void> {
  return { ok: false, failure: { kind: 'network', sent: false, message } };
}
